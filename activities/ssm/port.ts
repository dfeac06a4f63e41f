import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';

export type RunCommandCommand = OperationCommand<'ssm', 'runCommand'>;

/**
 * Running commands on instances. A step's command is sent once: a retried attempt finds it
 * (in its heartbeat, or by the step's marker in the command's comment) and waits on it.
 */
export type SsmPort = CapabilityPort<'ssm'>;

export function createSsmActivities(port: SsmPort) {
  return capabilityActivities('ssm', { runCommand: (command) => port.runCommand(command) });
}
