/**
 * What each step returns in a dry run, when no vendor is called: the placeholder each
 * operation declares (`operations.ts`), built from the step's own input.
 */
import { declarationOf, type Capability, type OperationInput, type OperationName, type OperationOutput } from './operations';

export function dryRunResult<C extends Capability, O extends OperationName<C>>(
  capability: C,
  name: O,
  input: OperationInput<C, O>,
  stepId: string,
): OperationOutput<C, O> {
  return declarationOf(capability, name).dryRun(input, stepId);
}
