import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type ListAlarmsQuery = OperationCommand<'monitoring', 'listAlarms'>;

/** Reading a service's alarms from the monitoring system. Reads only: nothing to do once. */
export type MonitoringPort = CapabilityPort<'monitoring'>;

export function createMonitoringActivities(port: MonitoringPort) {
  return capabilityActivities('monitoring', { listAlarms: (query) => port.listAlarms(query) });
}
