import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  type EndedSessions,
  type EndSessionInput,
  endSessionIssue,
  endSessionUpdate,
  endedSessionsQuery,
  SESSION_LIMITS as LIMITS,
  SessionFailure,
  type SessionsWorkflowInput,
  unexpired,
} from '../core/model/sessions';

/**
 * The console sessions signed out before they expired (`sessions:<taskQueue>`), ended by
 * update and read by query, started on demand by the first sign-out (update-with-start).
 *
 * Bounded: an id is dropped once its session would have expired (at most 168 hours), and at
 * most 10,000 are held; one more ends every session issued until then instead, so the state
 * never grows past the bound and no signed-out session works again. Time comes from the
 * workflow clock only.
 */
export async function sessionsWorkflow(input: SessionsWorkflowInput): Promise<never> {
  let state: EndedSessions = unexpired(input.state ?? { ended: [] }, Date.now());
  const historyLimit = input.historyLimit ?? LIMITS.historyEvents;
  const maxEnded = input.maxEnded ?? LIMITS.maxEnded;

  setHandler(endedSessionsQuery, (): EndedSessions => unexpired(state, Date.now()));

  setHandler(
    endSessionUpdate,
    ({ id, expiresAt, issuedAt }: EndSessionInput): void => {
      const now = Date.now();
      state = unexpired(state, now);
      if (state.ended.some((session) => session.id === id)) return;
      if (state.endedBefore !== undefined && issuedAt < state.endedBefore) return;
      if (state.ended.length < maxEnded) {
        state = { ...state, ended: [...state.ended, { id, expiresAt }] };
        return;
      }
      state = { ended: [], endedBefore: Math.max(now, issuedAt + 1, state.endedBefore ?? 0) };
    },
    {
      validator: (end: EndSessionInput) => {
        const issue = endSessionIssue(end, Date.now());
        if (issue) throw ApplicationFailure.nonRetryable(issue, SessionFailure.Invalid);
      },
    },
  );

  // Lives as long as its deployment; a fresh history now and then keeps replays short.
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit);
  await condition(allHandlersFinished);
  return continueAsNew<typeof sessionsWorkflow>({ state: unexpired(state, Date.now()), historyLimit: input.historyLimit, maxEnded: input.maxEnded });
}
