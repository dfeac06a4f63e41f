import { SSM_INSTANCES_SHOWN, type RunCommandResult } from '../../core/schemas/capabilities/ssm';
import { keyDigest } from '../step-input';
import type { RunCommandCommand, SsmPort } from './port';

/**
 * The built-in Run Command adapter: recorded, no-op. Nothing runs anywhere; the answer says
 * so (`recordedOnly: true`), with each named instance reported done and no output, so a
 * runbook's dry path can be followed end to end without AWS.
 */
export class LocalSsm implements SsmPort {
  async runCommand({ idempotencyKey, instanceIds = [] }: RunCommandCommand): Promise<RunCommandResult> {
    return {
      commandId: `local-${keyDigest(idempotencyKey, 12)}`,
      status: 'Success',
      created: true,
      counts: { targets: instanceIds.length, completed: instanceIds.length, errors: 0 },
      instances: instanceIds.slice(0, SSM_INSTANCES_SHOWN).map((instanceId) => ({
        instanceId,
        status: 'Success',
        statusDetails: 'recorded only: nothing ran',
        responseCode: 0,
        stdout: '',
        stderr: '',
      })),
      truncated: instanceIds.length > SSM_INSTANCES_SHOWN,
      recordedOnly: true,
    };
  }
}
