/**
 * The activity contract, derived from the operations declared in `operations.ts`: one
 * activity per operation, named `<capability><Operation>` (the names Temporal records).
 */
import type { Capability, OperationInput, OperationName, OperationOutput } from './operations';

/** The activity name registered with Temporal: `chat` + `setTopic` → `chatSetTopic`. */
export type ActivityName<C extends Capability, O extends OperationName<C>> = `${C}${Capitalize<O>}`;

export function activityName<C extends Capability, O extends OperationName<C>>(capability: C, name: O): ActivityName<C, O> {
  return `${capability}${name.charAt(0).toUpperCase()}${name.slice(1)}` as ActivityName<C, O>;
}

/** The activities of one capability, by the names workflows call. */
export type ActivitiesOf<C extends Capability> = {
  [O in OperationName<C> as ActivityName<C, O>]: (input: OperationInput<C, O>) => Promise<OperationOutput<C, O>>;
};

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;

/**
 * The activities workflows and runbooks may call: one function per side-effecting step.
 * `activities/index.ts` implements exactly this (checked with `satisfies`), so workflows
 * depend on this contract, not on any adapter.
 */
export type CapabilityActivities = UnionToIntersection<{ [C in Capability]: ActivitiesOf<C> }[Capability]>;

