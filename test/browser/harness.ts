/**
 * The browser tier: the built console (apps/web/dist), served by a real Firebreak (API and
 * worker on the run's Temporal server), driven in Debian's Chromium through playwright-core.
 *
 *   const ui = await openConsole({ role: 'responder' });
 *   await ui.page.goto('/incidents');
 *   ...
 *   await ui.close();
 *
 * One browser per test file, launched on first use and closed after the file's tests; each
 * `openConsole` gets its own browser context (cookies, storage) and page. The console is
 * built first when apps/web/dist is missing or older than its sources (scripts/web.mjs;
 * `npm test` builds it before jest starts, and its lock keeps parallel test files to one
 * build).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type FirebreakOptions, TEST_KEYS, TestFirebreak } from '../firebreak';
import { waitFor } from '../wait';
import { launchChromium } from './chromium';

const ROOT = join(__dirname, '..', '..');
/** The built console every browser test's Firebreak serves (scripts/web.mjs builds it there). */
export const WEB_DIST = join(ROOT, 'apps', 'web', 'dist');

// A browser test starts a Firebreak and a browser, and a person's steps take a few seconds each.
jest.setTimeout(120_000);

export type Role = keyof typeof TEST_KEYS;

/** The window every browser test (and every screenshot) uses. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/** How long a browser expectation waits for the page by default (Playwright's auto-waiting). */
export const EXPECT_TIMEOUT_MS = 15_000;

let built = false;

/** Builds the console into apps/web/dist when it is missing or stale; once per test file. */
export function ensureConsoleBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'web.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 10 * 60_000,
  });
  built = true;
}

let browser: Promise<Browser> | undefined;

/** What went wrong in each page the harness opened: uncaught errors and console errors. */
const pageProblems = new WeakMap<Page, string[]>();

/** This test file's Chromium, launched on first use. */
export function sharedBrowser(): Promise<Browser> {
  browser ??= launchChromium();
  return browser;
}

afterAll(async () => {
  const launched = browser;
  browser = undefined;
  await launched?.then(
    (running) => running.close(),
    () => undefined,
  );
});

export interface ConsoleOptions extends Pick<FirebreakOptions, 'operator' | 'integrations' | 'env'> {
  /** Signed in as this role, on the console's home page; on the sign-in page when absent. */
  role?: Role;
  /** A running Firebreak to open the console of (close() leaves it running); a new one by default. */
  firebreak?: TestFirebreak;
}

export interface OpenConsole {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  firebreak: TestFirebreak;
  /** The console's absolute URL for `path` (the page's base URL is the console's too: `page.goto('/incidents')`). */
  url(path?: string): string;
  /**
   * Signs in as `role` the way the sign-in page does (`POST /v1/session` with the role's key,
   * in this context, so the session cookie is the page's) and opens the console's home.
   */
  signIn(role: Role): Promise<void>;
  /** What went wrong in the page so far: uncaught errors and console errors (a CSP refusal is one). */
  problems(): string[];
  /** Closes the context, and the Firebreak when openConsole started it. */
  close(): Promise<void>;
}

/**
 * A Firebreak serving the built console, for tests that open several consoles on one
 * (`openConsole({ firebreak })`, e.g. a responder's and a viewer's); stop it yourself.
 */
export function startConsoleFirebreak(options: FirebreakOptions = {}): Promise<TestFirebreak> {
  ensureConsoleBuilt();
  return TestFirebreak.start({ ...options, env: { WEB_ROOT: WEB_DIST, ...options.env } });
}

/** A Firebreak serving the console and a fresh browser context on it, signed in as `role` when given. */
export async function openConsole(options: ConsoleOptions = {}): Promise<OpenConsole> {
  ensureConsoleBuilt();
  const running = await sharedBrowser();
  const owned = !options.firebreak;
  const firebreak =
    options.firebreak ?? (await startConsoleFirebreak({ operator: options.operator, integrations: options.integrations, env: options.env }));
  let context: BrowserContext | undefined;
  try {
    const base = firebreak.http.baseUrl;
    context = await running.newContext({ baseURL: base, viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC' });
    context.setDefaultTimeout(EXPECT_TIMEOUT_MS);
    const page = await context.newPage();
    const problems: string[] = [];
    pageProblems.set(page, problems);
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    const opened: BrowserContext = context;
    const ui: OpenConsole = {
      browser: running,
      context: opened,
      page,
      firebreak,
      url: (path = '/') => new URL(path, base).toString(),
      async signIn(role) {
        const answer = await opened.request.post(`${base}/v1/session`, { data: { key: TEST_KEYS[role] } });
        if (!answer.ok()) throw new Error(`signing in as ${role}: POST /v1/session answered ${answer.status()} ${await answer.text()}`);
        await page.goto('/');
      },
      problems: () => [...problems],
      async close() {
        await opened.close();
        if (owned) await firebreak.stop();
      },
    };
    if (options.role) await ui.signIn(options.role);
    return ui;
  } catch (error) {
    await context?.close().catch(() => undefined);
    if (owned) await firebreak.stop();
    throw error;
  }
}

/**
 * One console for a whole describe block: opened before its tests, closed after them.
 * Its fields are set once it has opened, so read them in tests and hooks.
 */
export function useConsole(options: ConsoleOptions = {}): OpenConsole {
  const ui = {} as OpenConsole;
  beforeAll(async () => {
    Object.assign(ui, await openConsole(options));
  });
  afterAll(async () => {
    await ui.close?.();
  });
  return ui;
}

/** What {@link seedConsole} made, for the pages that show one thing. */
export interface Seeded {
  /** A declared SEV1 with a commander, acknowledged, with notes, a status update and a finished health check. */
  incidentId: string;
  /** An incident opened by an alert, with labels and a link to its source. */
  alertIncidentId: string;
  /** The health check's execution, completed, on `incidentId`. */
  executionId: string;
  /** An execution waiting for a responder's approval. */
  approvalExecutionId: string;
}

/**
 * A few incidents, executions and an approval, made through the API as people and alerts
 * make them, so that every page of the console has something to show.
 */
export async function seedConsole(firebreak: TestFirebreak): Promise<Seeded> {
  const responder = firebreak.as('responder');
  // A 503 says Temporal did not confirm in time (a busy machine): the request goes again,
  // with a bound; actions carry an Idempotency-Key, so a repeat applies once.
  const post = async (what: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const answer = await waitFor(`${what} to be answered other than 503`, async () => {
      const sent = await responder.post(path, body, headers);
      return sent.status === 503 ? undefined : sent;
    });
    if (answer.status >= 300) throw new Error(`seeding the console: ${what} answered ${answer.status} ${answer.text}`);
    return answer;
  };
  const declare = async (body: Record<string, unknown>) => (await post(`declaring ${String(body.title)}`, '/v1/incidents', body)).body.id as string;
  const act = (id: string, body: Record<string, unknown>) =>
    post(`${String(body.action)} on ${id}`, `/v1/incidents/${id}/actions`, body, { 'idempotency-key': randomUUID() });
  // Posting to the public status page is a commander's (docs/rights.md).
  const commander = firebreak.as('commander');
  const tellCustomers = async (id: string, body: Record<string, unknown>) => {
    const answer = await waitFor('the status update to be answered other than 503', async () => {
      const sent = await commander.post(`/v1/incidents/${id}/actions`, body, { 'idempotency-key': randomUUID() });
      return sent.status === 503 ? undefined : sent;
    });
    if (answer.status >= 300) throw new Error(`seeding the console: post-status-update on ${id} answered ${answer.status} ${answer.text}`);
  };

  const incidentId = await declare({
    title: 'Checkout failing in eu-west-1',
    severity: 'SEV1',
    service: 'checkout',
    commander: 'alice',
    summary: 'Card payments fail for EU customers since the 09:40 deploy.',
    impact: 'high',
    urgency: 'high',
  });
  await act(incidentId, { action: 'acknowledge' });
  await act(incidentId, { action: 'assign-role', role: 'investigator', assignee: 'carol' });
  await act(incidentId, { action: 'add-note', text: 'The payments provider answers 502 for EU cards; US cards are fine.' });
  await tellCustomers(incidentId, {
    action: 'post-status-update',
    status: 'identified',
    message: 'Card payments are failing for some European customers. We have found the cause and are rolling back.',
  });

  const alert = await post('POST /v1/alerts', '/v1/alerts', {
    source: 'grafana',
    summary: 'search-api p99 latency above 2 s',
    status: 'firing',
    severity: 'SEV2',
    service: 'search-api',
    // Its own key: incident ids follow from dedup keys, and every Firebreak of the run shares one Temporal.
    dedupKey: `console-seed-search-latency-${randomUUID().slice(0, 8)}`,
    labels: { alertname: 'HighLatency', cluster: 'prod-eu', service: 'search-api' },
    annotations: { description: 'p99 of /search over 5 minutes is 2.4 s (threshold 2 s).' },
    externalUrl: 'https://grafana.example.com/d/search-api/latency',
  });
  const alertIncidentId = alert.body.incidentId as string;

  const resolvedId = await declare({ title: 'Login errors after certificate rotation', severity: 'SEV3', service: 'auth', commander: 'bob' });
  await act(resolvedId, { action: 'resolve' });
  await declare({ title: 'Invoice queue backlog growing', severity: 'SEV4', service: 'billing-worker' });

  const launch = async (runbook: string, body: Record<string, unknown>) =>
    (await post(`launching ${runbook}`, `/v1/runbooks/${runbook}/executions`, body)).body.id as string;
  const executionId = await launch('service-health-check', { input: { cluster: 'prod-eu', service: 'checkout' }, incidentId });
  const approvalExecutionId = await launch('approval-demo', { input: { approvers: ['responder'] } });

  const execution = (id: string) => responder.get(`/v1/executions/${id}`).then((answer) => answer.body as { status: string });
  await waitFor('the health check to complete', async () => (await execution(executionId)).status === 'completed');
  await waitFor('the approval to wait', async () => (await execution(approvalExecutionId)).status === 'waiting-approval');
  await waitFor('the alert to be on its incident', async () => (await responder.get(`/v1/incidents/${alertIncidentId}`)).status === 200);
  return { incidentId, alertIncidentId, executionId, approvalExecutionId };
}

/**
 * Waits until the page shows what it was opened for: its heading, no "Loading …" left, and
 * for pages that mark themselves ready (apps/web/src/lib/ready.ts), that mark.
 */
export async function waitUntilShown(page: Page, ready?: string): Promise<void> {
  try {
    if (ready) await page.locator(`body[data-ready="${ready}"]`).waitFor({ state: 'attached' });
    await page.locator('h1').first().waitFor({ state: 'visible' });
    await page.locator('[role="status"]', { hasText: /^\s*Loading\b/ }).first().waitFor({ state: 'detached' });
  } catch (error) {
    // What the page shows and what went wrong in it say more than the timeout alone.
    const shown = await page
      .locator('body')
      .innerText({ timeout: 1000 })
      .catch(() => '(unreadable)');
    const problems = pageProblems.get(page) ?? [];
    throw new Error(
      `${page.url()} was not shown${ready ? ` (${ready})` : ''}: ${(error as Error).message.split('\n')[0]}\n` +
        `the page shows: ${shown.replace(/\s+/g, ' ').slice(0, 500) || '(nothing)'}\n` +
        `problems in the page: ${problems.length ? problems.join('\n') : 'none'}`,
    );
  }
}
