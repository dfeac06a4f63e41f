/**
 * Signals, queries and updates, defined once and imported by both the workflows and the API.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { IncidentSnapshot, IngestAlertsInput, IngestAlertsResult } from './incident';

/** Records a batch of alerts on the incident. Rejected with `IncidentNotOpen` once resolved. */
export const ingestAlertsUpdate = defineUpdate<IngestAlertsResult, [IngestAlertsInput]>('ingestAlerts');

/** The whole incident as the workflow knows it. */
export const incidentQuery = defineQuery<IncidentSnapshot>('incident');
