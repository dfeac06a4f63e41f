import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type HttpRequestCommand = OperationCommand<'http', 'request'>;

/**
 * The HTTP step. Each request carries an `Idempotency-Key` derived from the step's key, the
 * same on every retry, so a server that honours it acts once.
 */
export type HttpPort = CapabilityPort<'http'>;

export function createHttpActivities(port: HttpPort) {
  return capabilityActivities('http', { request: (command) => port.request(command) });
}
