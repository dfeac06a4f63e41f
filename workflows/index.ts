/** Every workflow the worker runs; the bundler's entry point. */
export { incidentWorkflow } from './incident/incident.workflow';
export { heartbeatWorkflow } from './heartbeat';
export { runbookWorkflow } from './runbook';
export { runbookGuardWorkflow } from './runbook-guard';
export { statusPageWorkflow } from './status-page';
export { alertQueueWorkflow } from './alert-queue';
export { alertLeaseWorkflow } from './alert-lease';
export { scheduleOverridesWorkflow } from './schedule-overrides';
export { sessionsWorkflow } from './sessions';
export { webhookDeliveryWorkflow } from './webhooks';
