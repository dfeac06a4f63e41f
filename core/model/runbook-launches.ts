import type { Alert } from './alert';
import { matchesLabels } from './label-matchers';
import type { RunbookDefinition } from './runbook';
import type { RunbookLaunch } from './runbook-launch';
import { describeIssues } from './validation-issues';

/**
 * The runbooks an alert starts on its incident: those its route lists and those whose
 * triggers match, each with its input built from the alert and checked against its schema.
 */
export function launchesForAlert(
  alert: Alert,
  routeRunbooks: readonly string[],
  catalog: ReadonlyMap<string, RunbookDefinition>,
): RunbookLaunch[] {
  const launches: RunbookLaunch[] = [];
  for (const runbook of catalog.values()) {
    const trigger = runbook.triggers?.find((candidate) => matchesLabels(candidate.match, alert));
    if (!trigger && !routeRunbooks.includes(runbook.id)) continue;
    if (!runbook.fromAlert) {
      launches.push({ runbookId: runbook.id, input: null, refused: 'it has no fromAlert to build its input from an alert' });
      continue;
    }
    const parsed = runbook.input.safeParse(runbook.fromAlert(alert));
    launches.push(
      parsed.success
        ? { runbookId: runbook.id, input: parsed.data, everyAlert: trigger?.everyAlert }
        : {
            runbookId: runbook.id,
            input: null,
            refused: `input from the alert is invalid: ${describeIssues(parsed.error.issues)}`,
          },
    );
  }
  return launches;
}

/** A catalog entry as `GET /v1/runbooks` shows it: matchers' RegExps as `/source/flags`. */
export function describeTrigger(match: Record<string, string | RegExp>): Record<string, string> {
  return Object.fromEntries(Object.entries(match).map(([label, matcher]) => [label, typeof matcher === 'string' ? matcher : String(matcher)]));
}
