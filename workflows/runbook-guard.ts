import { condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { GuardAcquireInput, GuardDecision, GuardReleaseInput, GuardState } from '../core/model/execution';
import { guardAcquireUpdate, guardQuery, guardReleaseSignal } from '../core/model/messages';

/**
 * The guardrails of one runbook and target, durably: which run holds the single flight,
 * and when runs that acted started (for the budget). A worker restart changes nothing:
 * this state is in Temporal.
 */
export async function runbookGuardWorkflow(initial: GuardState): Promise<void> {
  const state: GuardState = { ...initial, actions: [...initial.actions] };

  setHandler(guardQuery, () => state);
  setHandler(guardReleaseSignal, ({ executionId }: GuardReleaseInput) => {
    if (state.active === executionId) state.active = undefined;
  });
  setHandler(guardAcquireUpdate, ({ executionId, singleFlight, budget, replacing }: GuardAcquireInput): GuardDecision => {
    if (replacing !== undefined && state.active === replacing) state.active = undefined;
    if (singleFlight && state.active && state.active !== executionId) return { role: 'follower', leader: state.active };
    const now = Date.now();
    if (budget) {
      const since = now - budget.windowMinutes * 60_000;
      state.actions = state.actions.filter((at) => Date.parse(at) > since);
    }
    const allowed = !budget || state.actions.length < budget.max || state.active === executionId;
    if (allowed && state.active !== executionId) state.actions.push(new Date(now).toISOString());
    state.active = executionId;
    return { role: 'leader', allowed, used: state.actions.length, max: budget?.max, windowMinutes: budget?.windowMinutes };
  });

  // Lives as long as it is used; a fresh history now and then keeps replays short.
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2_000);
  await condition(() => state.active === undefined);
  return continueAsNew<typeof runbookGuardWorkflow>(state);
}
