import type { Alert } from './alert';
import { matchesLabels } from './label-matchers';
import type { AlertLaunchContext, RunbookDefinition } from './runbook';
import { isDestructive } from './runbook-engine/permissions';
import type { RunbookLaunch } from './runbook-launch';
import { describeIssues } from './validation-issues';
import type { OperatorConfig } from '../schemas/operator-config';
import type { ServiceTarget } from '../schemas/services-config';

/** A start decided from an alert: besides the launch, the key that sent the alert (it may not approve the run). */
export type AlertLaunch = RunbookLaunch & { triggeredBy?: string };

/** What decides the starts of an alert besides the alert: the operator's services, its route, who sent it. */
export interface AlertLaunchOptions {
  /** `runbooks/services.ts`; a destructive runbook starts only for a service listed here. */
  services?: ReadonlyMap<string, ServiceTarget>;
  /** The alert's route opts its destructive runbooks out of waiting for approval. */
  autoRemediate?: boolean;
  /** The API key the alert (or the declaration) came with. */
  receivedBy?: string;
}

/**
 * The options for an alert routed by `routeName`: the operator's services, that route's
 * `autoRemediate`, and the key it came with.
 */
export function alertLaunchOptions(
  operator: Pick<OperatorConfig, 'routes' | 'defaultRoute' | 'services'>,
  routeName: string,
  receivedBy: string,
): AlertLaunchOptions {
  const route = operator.routes.find((candidate) => candidate.name === routeName) ?? operator.defaultRoute;
  return { services: operator.services, autoRemediate: route.autoRemediate === true, receivedBy };
}

/**
 * The runbooks an alert starts on its incident: those its route lists and those whose
 * triggers match, each with its input built from the alert and checked against its schema.
 * A destructive runbook acts on what `runbooks/services.ts` says the alert's service is; an
 * alert whose service is not listed there does not start it (the launch is refused, and the
 * incident's timeline says why).
 */
export function launchesForAlert(
  alert: Alert,
  routeRunbooks: readonly string[],
  catalog: ReadonlyMap<string, RunbookDefinition>,
  options: AlertLaunchOptions = {},
): AlertLaunch[] {
  const launches: AlertLaunch[] = [];
  const by = options.receivedBy !== undefined ? { triggeredBy: options.receivedBy } : {};
  for (const runbook of catalog.values()) {
    const trigger = runbook.triggers?.find((candidate) => matchesLabels(candidate.match, alert));
    if (!trigger && !routeRunbooks.includes(runbook.id)) continue;
    const refuse = (refused: string) => launches.push({ runbookId: runbook.id, input: null, refused, ...by });
    if (!runbook.fromAlert) {
      refuse('it has no fromAlert to build its input from an alert');
      continue;
    }
    const destructive = isDestructive(runbook);
    const service = alert.service !== undefined ? options.services?.get(alert.service) : undefined;
    if (destructive && !service) {
      refuse(
        alert.service === undefined
          ? 'the alert names no service, and a destructive runbook acts only on a service listed in runbooks/services.ts'
          : `service "${alert.service}" is not listed in runbooks/services.ts, so a destructive runbook may not act on it`,
      );
      continue;
    }
    const context: AlertLaunchContext = { ...(service ? { service } : {}), requireApproval: destructive && options.autoRemediate !== true };
    let built: unknown;
    try {
      built = runbook.fromAlert(alert, context);
    } catch (error) {
      refuse(error instanceof Error ? error.message : String(error));
      continue;
    }
    const parsed = runbook.input.safeParse(built);
    if (parsed.success) launches.push({ runbookId: runbook.id, input: parsed.data, everyAlert: trigger?.everyAlert, ...by });
    else refuse(`input from the alert is invalid: ${describeIssues(parsed.error.issues)}`);
  }
  return launches;
}

/** A catalog entry as `GET /v1/runbooks` shows it: matchers' RegExps as `/source/flags`. */
export function describeTrigger(match: Record<string, string | RegExp>): Record<string, string> {
  return Object.fromEntries(Object.entries(match).map(([label, matcher]) => [label, typeof matcher === 'string' ? matcher : String(matcher)]));
}
