/** A runbook to start, as decided by the API from an alert (triggers, routes) or a person. */
export interface RunbookLaunch {
  runbookId: string;
  input: unknown;
  /** Start even if this incident already ran it (a trigger with `everyAlert`). */
  everyAlert?: boolean;
  /** Why it cannot start (its input, built from the alert, is invalid): recorded, not started. */
  refused?: string;
  /** The key whose alert or declaration decided this start: it may not approve the run (four eyes). */
  triggeredBy?: string;
}
