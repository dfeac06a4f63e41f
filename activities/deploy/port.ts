import type { z } from 'zod';
import { FindReleasesInputSchema, type Releases, RollbackInputSchema, type RollbackResult } from '../../core/capabilities/deploy';
import { stepActivity } from '../step-input';

export type FindReleasesQuery = z.output<typeof FindReleasesInputSchema>;
export type RollbackCommand = z.output<typeof RollbackInputSchema>;

/** Deploy rollback. A rollback acts once per idempotency key; finding releases has no effect. */
export interface DeployPort {
  findReleases(query: FindReleasesQuery): Promise<Releases>;
  rollback(command: RollbackCommand): Promise<RollbackResult>;
}

export function createDeployActivities(port: DeployPort) {
  return {
    deployFindReleases: stepActivity('deployFindReleases', FindReleasesInputSchema, (q) => port.findReleases(q)),
    deployRollback: stepActivity('deployRollback', RollbackInputSchema, (c) => port.rollback(c)),
  };
}
