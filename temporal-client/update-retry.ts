/**
 * An update that meets its workflow between two workflow tasks — the workflow completing or
 * continuing as new while the update arrives, so the server fails that task
 * (`UnhandledCommand`) and hands the events to the next one — is refused with
 * FAILED_PRECONDITION and applied nowhere. The client does not retry it by itself; trying
 * again moments later reaches the next task (or the next run). Other failures pass through.
 */

/** Attempts in all, the first included. */
const ATTEMPTS = 6;
const BACKOFF_MS = 50;

const TRANSIENT = /unexpected workflow task failure|workflow is closing|Update-with-Start could not be executed/i;

/** Whether `error` (or a cause of it) is the refusal of an update that met a workflow task ending. */
export function isTransientUpdateFailure(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    if ((cause as { code?: unknown }).code === 9 && TRANSIENT.test(cause.message)) return true;
  }
  return false;
}

/** Runs `attempt` again (after 50, 100, … ms) while it fails with {@link isTransientUpdateFailure}. */
export async function withUpdateRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= ATTEMPTS || !isTransientUpdateFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * tries));
    }
  }
}
