import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Override } from '../core/model/oncall/types';
import {
  type AddOverrideInput,
  addOverrideUpdate,
  keptOverrides,
  OverrideFailure,
  overrideIssues,
  overridesQuery,
  type RemoveOverrideInput,
  removeOverrideUpdate,
  SCHEDULE_OVERRIDE_LIMITS as LIMITS,
  type ScheduleOverridesWorkflowInput,
} from '../core/model/schedule-overrides';
import { utf8Bytes } from '../core/model/text';
import { describeIssues } from '../core/model/validation-issues';

/** The most characters each text field may have, so the held state stays small whoever sends it. */
const FIELD_MAX_CHARS = { id: 64, responder: 63, from: 40, to: 40, createdBy: 200, createdAt: 40 } as const;

// Code-unit order, never locale order: the same on every worker.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** ISO instants in UTC, as the API writes them, sort as text. */
const byStart = (a: Override, b: Override) => compare(a.from, b.from) || compare(a.id, b.id);

/** Why `override` is not an override this workflow holds, or undefined. */
function malformed(override: Override | undefined): string | undefined {
  if (typeof override !== 'object' || override === null) return 'an override is an object';
  for (const [name, max] of Object.entries(FIELD_MAX_CHARS)) {
    const value: unknown = override[name as keyof typeof FIELD_MAX_CHARS];
    if (typeof value !== 'string' || value.length === 0 || value.length > max) return `${name} must be text of 1 to ${max} characters`;
  }
  if (override.reason !== undefined && (typeof override.reason !== 'string' || utf8Bytes(override.reason) > LIMITS.reasonMaxBytes)) {
    return `reason must be at most ${LIMITS.reasonMaxBytes} bytes`;
  }
  return undefined;
}

/**
 * The overrides of one schedule (`schedule-overrides:<scheduleId>`), changed by updates and
 * read by query, started on demand by the API's first add (update-with-start).
 *
 * Bounded: an override lasts at most 31 days, is dropped 7 days after it ended, and at most
 * 500 are held (a further add is refused, never applied in part). A repeated add of the same
 * id answers the override already held, so a retried request adds once even across
 * continue-as-new. Time comes from the workflow clock only.
 */
export async function scheduleOverridesWorkflow(input: ScheduleOverridesWorkflowInput): Promise<never> {
  let overrides: Override[] = keptOverrides(input.overrides ?? [], Date.now()).sort(byStart);
  const historyLimit = input.historyLimit ?? LIMITS.historyEvents;
  const prune = () => {
    overrides = keptOverrides(overrides, Date.now());
  };
  const held = (id: string) => overrides.find((override) => override.id === id);

  // Read-only: what has ended more than a week ago is left out here, and dropped at the next change.
  setHandler(overridesQuery, (): Override[] => keptOverrides(overrides, Date.now()));

  setHandler(
    addOverrideUpdate,
    ({ override }: AddOverrideInput): Override => {
      const existing = held(override.id);
      if (existing) return existing;
      prune();
      overrides = [...overrides, override].sort(byStart);
      return override;
    },
    {
      validator: ({ override }: AddOverrideInput) => {
        const shape = malformed(override);
        if (shape) throw ApplicationFailure.nonRetryable(shape, OverrideFailure.Invalid);
        if (held(override.id)) return;
        const issues = overrideIssues(override, Date.now());
        if (issues.length > 0) throw ApplicationFailure.nonRetryable(describeIssues(issues), OverrideFailure.Invalid, ...issues);
        const count = keptOverrides(overrides, Date.now()).length;
        if (count >= LIMITS.maxHeld) {
          throw ApplicationFailure.nonRetryable(
            `the schedule already holds ${count} overrides (at most ${LIMITS.maxHeld}); remove one first`,
            OverrideFailure.Full,
          );
        }
      },
    },
  );

  setHandler(
    removeOverrideUpdate,
    ({ overrideId }: RemoveOverrideInput): Override => {
      const removed = held(overrideId)!;
      overrides = overrides.filter((override) => override.id !== overrideId);
      prune();
      return removed;
    },
    {
      validator: ({ overrideId }: RemoveOverrideInput) => {
        if (!held(overrideId)) throw ApplicationFailure.nonRetryable(`no override ${overrideId}`, OverrideFailure.NotFound);
      },
    },
  );

  // Lives as long as its schedule; a fresh history now and then keeps replays short.
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit);
  await condition(allHandlersFinished);
  return continueAsNew<typeof scheduleOverridesWorkflow>({
    scheduleId: input.scheduleId,
    overrides: keptOverrides(overrides, Date.now()),
    historyLimit: input.historyLimit,
  });
}
