import type { z } from 'zod';
import {
  type FindReleasesInput,
  FindReleasesInputSchema,
  type Releases,
  type RollbackInput,
  RollbackInputSchema,
  type RollbackResult,
} from '../../core/capabilities/deploy';
import { parseStepInput } from '../step-input';

export type FindReleasesQuery = z.output<typeof FindReleasesInputSchema>;
export type RollbackCommand = z.output<typeof RollbackInputSchema>;

/** Deploy rollback. A rollback acts once per idempotency key; finding releases has no effect. */
export interface DeployPort {
  findReleases(query: FindReleasesQuery): Promise<Releases>;
  rollback(command: RollbackCommand): Promise<RollbackResult>;
}

export function createDeployActivities(port: DeployPort) {
  return {
    async deployFindReleases(input: FindReleasesInput): Promise<Releases> {
      return port.findReleases(parseStepInput(FindReleasesInputSchema, input, 'deployFindReleases'));
    },
    async deployRollback(input: RollbackInput): Promise<RollbackResult> {
      return port.rollback(parseStepInput(RollbackInputSchema, input, 'deployRollback'));
    },
  };
}
