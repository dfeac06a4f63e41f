/**
 * Every page of the console, checked with axe (@axe-core/playwright) in Chromium: no serious
 * or critical violation on any of them, signed in as a responder (who sees the action
 * buttons and forms) with seeded data, and the sign-in page signed out. Each page also
 * loads without an uncaught error or a refusal by the API's Content-Security-Policy.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { type OpenConsole, openConsole, type Seeded, seedConsole, startConsoleFirebreak, waitUntilShown } from './harness';
import type { TestFirebreak } from '../firebreak';

/** The console's pages (apps/web/src/app.tsx), each with what it shows once ready. */
const PAGES: Array<{ name: string; path: (seeded: Seeded) => string; ready?: string; signedOut?: boolean }> = [
  { name: 'Sign in', path: () => '/sign-in', signedOut: true },
  { name: 'Incidents', path: () => '/incidents', ready: 'incidents' },
  { name: 'Incident', path: (seeded) => `/incidents/${seeded.incidentId}`, ready: 'incident' },
  { name: 'Incident opened by an alert', path: (seeded) => `/incidents/${seeded.alertIncidentId}`, ready: 'incident' },
  { name: 'Declare', path: () => '/incidents/new' },
  { name: 'Runbooks', path: () => '/runbooks' },
  { name: 'Runbook', path: () => '/runbooks/rollback-bad-deploy' },
  { name: 'Executions', path: () => '/executions', ready: 'executions' },
  { name: 'Execution', path: (seeded) => `/executions/${seeded.executionId}`, ready: 'execution' },
  { name: 'Execution waiting for approval', path: (seeded) => `/executions/${seeded.approvalExecutionId}`, ready: 'execution' },
  { name: 'Approvals', path: () => '/approvals', ready: 'approvals' },
  { name: 'Heartbeats', path: () => '/heartbeats', ready: 'heartbeats' },
  { name: 'On call', path: () => '/oncall' },
  { name: 'No such page', path: () => '/no-such-page' },
];

const BLOCKING = new Set(['serious', 'critical']);

/** Serious and critical violations on the page, one line each, with where they are. */
async function blockingViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl}) at ${violation.nodes
          .slice(0, 5)
          .map((node) => node.target.join(' '))
          .join('; ')}${violation.nodes.length > 5 ? ` and ${violation.nodes.length - 5} more` : ''}`,
    );
}

/** Page problems other than the API's 401 to a signed-out page's "who am I". */
const problemsOf = (ui: OpenConsole) => ui.problems().filter((problem) => !/status of 401/.test(problem));

describe('the console is accessible', () => {
  let firebreak: TestFirebreak;
  let seeded: Seeded;
  let responder: OpenConsole;
  let signedOut: OpenConsole;

  beforeAll(async () => {
    firebreak = await startConsoleFirebreak();
    seeded = await seedConsole(firebreak);
    responder = await openConsole({ firebreak, role: 'responder' });
    signedOut = await openConsole({ firebreak });
  });
  afterAll(async () => {
    await responder?.close();
    await signedOut?.close();
    await firebreak?.stop();
  });

  it.each(PAGES)('$name: no serious or critical axe violation', async ({ path, ready, signedOut: anonymous }) => {
    const ui = anonymous ? signedOut : responder;
    const before = problemsOf(ui).length;
    await ui.page.goto(path(seeded));
    await waitUntilShown(ui.page, ready);
    expect(await blockingViolations(ui.page)).toEqual([]);
    expect(problemsOf(ui).slice(before)).toEqual([]);
  });
});
