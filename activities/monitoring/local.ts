import type { AlarmList } from '../../core/schemas/capabilities/monitoring';
import type { MonitoringPort } from './port';

/**
 * The built-in monitoring adapter: no monitoring system behind it, so it knows no alarms. It
 * says so (`provider: 'local'`) rather than answer like a system whose alarms are all quiet.
 */
export class LocalMonitoring implements MonitoringPort {
  async listAlarms(): Promise<AlarmList> {
    return { provider: 'local', alarms: [], truncated: false };
  }
}
