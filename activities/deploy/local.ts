import type { Releases, RollbackResult } from '../../core/schemas/capabilities/deploy';
import { keyDigest } from '../step-input';
import type { DeployPort, RollbackCommand } from './port';

/**
 * The built-in deploy adapter: recorded, no-op. Firebreak has no deploy system of its own
 * and keeps no second store, so it knows no releases (`current` and `previousGood` are null)
 * and a rollback changes nothing: it answers `recordedOnly: true`, and the calling workflow's
 * timeline entry is the record.
 */
export class LocalDeploy implements DeployPort {
  async findReleases(): Promise<Releases> {
    return { current: null, previousGood: null };
  }

  async rollback({ idempotencyKey, to }: RollbackCommand): Promise<RollbackResult> {
    return { deploymentId: `local-${keyDigest(idempotencyKey, 12)}`, ref: to.ref, created: false, stable: true, recordedOnly: true };
  }
}
