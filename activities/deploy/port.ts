import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type FindReleasesQuery = OperationCommand<'deploy', 'findReleases'>;
export type RollbackCommand = OperationCommand<'deploy', 'rollback'>;

/** Deploy rollback. A rollback acts once per idempotency key; finding releases has no effect. */
export type DeployPort = CapabilityPort<'deploy'>;

export const createDeployActivities = (port: DeployPort) => capabilityActivities('deploy', port);
