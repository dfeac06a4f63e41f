/** The status values a status page knows, without zod: workflow code reads them. */
export const STATUS_PAGE_INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type StatusPageIncidentStatus = (typeof STATUS_PAGE_INCIDENT_STATUSES)[number];

export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];
