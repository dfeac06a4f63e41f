/** Component statuses from best to worst (the status page workflow imports this). */
import type { ComponentStatus } from './statuses';

/** How bad each component status is, least first: the page's overall status is the worst one. */
export const COMPONENT_STATUS_ORDER: readonly ComponentStatus[] = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];

/** The worst of `statuses`, or operational when there are none. */
export function worstComponentStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const status of statuses) {
    if (COMPONENT_STATUS_ORDER.indexOf(status) > COMPONENT_STATUS_ORDER.indexOf(worst)) worst = status;
  }
  return worst;
}
