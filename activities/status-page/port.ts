import type { CapabilityPort } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

/** The public status page. Every operation acts once per idempotency key. */
export type StatusPagePort = CapabilityPort<'statusPage'>;

export const createStatusPageActivities = (port: StatusPagePort) => capabilityActivities('statusPage', port);
