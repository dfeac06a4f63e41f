/**
 * Scenario 6, the console: the size of its JavaScript, and how soon its pages are
 * interactive with many open incidents, in the same headless Chromium the browser tests
 * drive (Debian's, test/browser/chromium.ts).
 *
 * - JavaScript: every `.js` file the build wrote under apps/web/dist/assets, each gzipped
 *   (zlib's default level, as an HTTP server compresses), summed; also the part index.html
 *   loads before the first page renders. Target: 250 KB in all.
 * - Interactive: `incidents` incidents opened through the API first (generic alerts, one
 *   service of their own), each paged at level 1 and all listed by Temporal's visibility.
 *   Each sample is a fresh browser context (an empty HTTP cache, signed in with the session
 *   cookie) navigating to the page. The page is interactive when the console marks it ready
 *   (`firebreak:incidents-ready`, `firebreak:incident-ready`): in the effect that follows
 *   the first render with the page's data (the list's first page of rows; the incident's
 *   header, actions and timeline), when React has attached every handler. Timed by the
 *   page's own clock from the start of the navigation (a mark's `startTime`, whose origin
 *   is the navigation's start). Targets: p90 1.5 s and 1 s.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../test/browser/chromium';
import { sleep } from '../lib/clock';
import { pool } from '../lib/pool';
import { round, type Summary, summarize } from '../lib/stats';
import { BENCH_KEY, type System } from '../lib/system';
import { type AlertAnswer, benchIncidentId, firingAlert } from './alerts';

export const CONSOLE_TARGETS = { js_gzip_kb: 250, incidents_page_ms: 1500, incident_page_ms: 1000 } as const;

export interface ConsoleOptions {
  incidents: number;
  /** Navigations measured per page, after `warmup` unmeasured ones. */
  samples: number;
  warmup: number;
}

export interface JsSize {
  files: number;
  bytes: number;
  gzip_kb: number;
  /** What index.html loads itself (its module script and preloads), gzipped. */
  initial_gzip_kb: number;
  target_kb: number;
  met: boolean;
}

export interface PageTiming extends Summary {
  target_ms: number;
  /** p90 within the target. */
  met: boolean;
  /** DOMContentLoaded of the same navigations, p50 (ms from navigation start). */
  dom_content_loaded_p50: number;
  /** When the API's answer with the page's data had arrived, p50 (ms from navigation start). */
  data_answered_p50: number;
}

export interface ConsoleResult {
  options: ConsoleOptions;
  chromium: string;
  open_seconds: number;
  js: JsSize;
  incidents_page: PageTiming;
  incident_page: PageTiming;
}

const gzipKb = (bytes: Buffer) => gzipSync(bytes).length / 1024;

/** The built console's JavaScript: all of it, and what index.html loads before anything else. */
export function consoleJsSize(dist: string): JsSize {
  const assets = join(dist, 'assets');
  // The build's own files, as scripts/web.mjs lists them: the previous build's stay beside them for pages still open.
  const { assets: built } = JSON.parse(readFileSync(join(dist, '.build-inputs.json'), 'utf8')) as { assets: string[] };
  const scripts = built.filter((name) => name.endsWith('.js'));
  const sizes = new Map(
    scripts.map((name) => {
      const bytes = readFileSync(join(assets, name));
      return [name, { bytes: bytes.length, gzipKb: gzipKb(bytes) }] as const;
    }),
  );
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  const initial = [...index.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((match) => match[1]);
  const total = [...sizes.values()].reduce((sum, size) => sum + size.gzipKb, 0);
  return {
    files: scripts.length,
    bytes: [...sizes.values()].reduce((sum, size) => sum + size.bytes, 0),
    gzip_kb: round(total, 1),
    initial_gzip_kb: round(initial.reduce((sum, name) => sum + (sizes.get(name)?.gzipKb ?? 0), 0), 1),
    target_kb: CONSOLE_TARGETS.js_gzip_kb,
    met: total <= CONSOLE_TARGETS.js_gzip_kb,
  };
}

/** Opens `count` incidents through the API (one service of their own) and waits until each has paged and visibility lists them all. */
async function openIncidents(system: System, count: number, service: string): Promise<string[]> {
  const run = Date.now().toString(36);
  const ids: string[] = [];
  await pool(count, 32, async (index) => {
    const key = `console-${run}-${index}`;
    for (let attempt = 1; ; attempt++) {
      // A kept-alive connection the API closed as it went idle (while the console was built)
      // fails once; the alert goes again on a new one, to the same incident (same dedup key).
      const answer = await system.http
        .post<AlertAnswer>('/v1/alerts', firingAlert(key, `Console bench incident ${index}`, service))
        .catch((error: Error) => ({ status: 0, body: error.message }));
      if (answer.status === 202) break;
      // Every delivery slot and queue busy: the API says when to come back.
      if ((answer.status !== 503 && answer.status !== 0) || attempt === 20) {
        throw new Error(`POST /v1/alerts answered ${answer.status || 'nothing'}: ${JSON.stringify(answer.body)}`);
      }
      await sleep(500);
    }
    ids[index] = benchIncidentId(key);
  });
  // Open as in scenario 3: paged at level 1, each now waiting on its escalation timer, so the
  // pages are measured with the incidents open, not while they are still being opened.
  await Promise.all(ids.map((id) => system.marks.wait(`page:${id}`, 300_000)));
  const query = `WorkflowType = 'incidentWorkflow' AND FirebreakService = '${service}' AND ExecutionStatus = 'Running'`;
  const until = Date.now() + 300_000;
  for (;;) {
    const { count: listed } = await system.client.workflow.count(query);
    if (listed >= count) return ids;
    if (Date.now() > until) throw new Error(`only ${listed} of ${count} incidents listed after 300 s`);
    await sleep(500);
  }
}

/** One navigation's times, in ms from its start. */
interface Navigation {
  interactive: number;
  domContentLoaded: number;
  /** When the answer to the page's own data request (`data`) had arrived. */
  dataAnswered: number;
}

/**
 * Navigates `page` to `path` and answers when the page was interactive: the time of the
 * console's `firebreak:<page>-ready` performance mark (apps/web/src/lib/ready.ts: set once
 * the page has rendered its data), in ms since the navigation started; with DOMContentLoaded
 * and the arrival of the API's answer to the request whose path matches `data`, which say
 * where the time went.
 */
async function interactiveAt(page: Page, path: string, ready: string, data: RegExp): Promise<Navigation> {
  await page.goto(path, { waitUntil: 'commit' });
  // Functions, not strings: the console's CSP (no 'unsafe-eval') refuses a string predicate.
  const mark = `firebreak:${ready}-ready`;
  const interactive = await page.waitForFunction((name) => performance.getEntriesByName(name, 'mark')[0]?.startTime, mark, {
    polling: 'raf',
    timeout: 60_000,
  });
  const times = await page.evaluate(
    ({ source, flags }) => {
      // The page's navigation and resource entries (browser types Node's typings lack).
      const entries = performance as unknown as {
        getEntriesByType(type: string): Array<{ name: string; domContentLoadedEventEnd?: number; responseEnd: number }>;
      };
      const pattern = new RegExp(source, flags);
      const answered = entries
        .getEntriesByType('resource')
        .filter((entry) => pattern.test(new URL(entry.name).pathname))
        .map((entry) => entry.responseEnd);
      return {
        domContentLoaded: entries.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? Number.NaN,
        dataAnswered: answered.length ? Math.min(...answered) : Number.NaN,
      };
    },
    { source: data.source, flags: data.flags },
  );
  return { interactive: (await interactive.jsonValue()) as number, ...times };
}

async function measure(
  browser: Browser,
  baseURL: string,
  storageState: Awaited<ReturnType<BrowserContext['storageState']>>,
  runs: number,
  visit: (page: Page, index: number) => Promise<Navigation>,
): Promise<Navigation[]> {
  const navigations: Navigation[] = [];
  for (let index = 0; index < runs; index++) {
    // A fresh context each time: an empty HTTP cache, as a person opening the console anew.
    const context = await browser.newContext({ baseURL, storageState, viewport: { width: 1280, height: 800 } });
    try {
      navigations.push(await visit(await context.newPage(), index));
    } finally {
      await context.close();
    }
  }
  return navigations;
}

function timing(navigations: Navigation[], warmup: number, target: number): PageTiming {
  const measured = navigations.slice(warmup);
  const summary = summarize(measured.map((navigation) => navigation.interactive));
  return {
    ...summary,
    target_ms: target,
    met: summary.p90 <= target,
    dom_content_loaded_p50: summarize(measured.map((navigation) => navigation.domContentLoaded)).p50,
    data_answered_p50: summarize(measured.map((navigation) => navigation.dataAnswered)).p50,
  };
}

/** Builds the console when it is missing or stale (scripts/web.mjs), answering apps/web/dist. */
export function buildConsole(root: string): string {
  return execFileSync(process.execPath, [join(root, 'scripts', 'web.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export async function consoleScenario(system: System, root: string, options: ConsoleOptions, log: (line: string) => void): Promise<ConsoleResult> {
  const dist = buildConsole(root);
  const js = consoleJsSize(dist);
  log(`  JavaScript: ${js.gzip_kb} KB gzipped in ${js.files} files (${js.initial_gzip_kb} KB loaded by index.html)`);

  const service = `bench-console-${Date.now().toString(36)}`;
  const started = Date.now();
  const ids = await openIncidents(system, options.incidents, service);
  const openSeconds = (Date.now() - started) / 1000;
  log(`  ${options.incidents} incidents open and listed in ${round(openSeconds, 1)} s`);

  const baseURL = `http://127.0.0.1:${system.api.port}`;
  const browser = await launchChromium();
  try {
    const signIn = await browser.newContext({ baseURL });
    const answer = await signIn.request.post('/v1/session', { data: { key: BENCH_KEY } });
    if (!answer.ok()) throw new Error(`POST /v1/session answered ${answer.status()}: ${await answer.text()}`);
    const storageState = await signIn.storageState();
    await signIn.close();

    const runs = options.warmup + options.samples;
    const list = await measure(browser, baseURL, storageState, runs, (page) => interactiveAt(page, '/incidents', 'incidents', /^\/v1\/incidents$/));
    const one = await measure(browser, baseURL, storageState, runs, (page, index) => {
      const id = ids[(index * 7919) % ids.length];
      return interactiveAt(page, `/incidents/${id}`, 'incident', new RegExp(`^/v1/incidents/${id}$`));
    });
    return {
      options,
      chromium: browser.version(),
      open_seconds: round(openSeconds, 2),
      js,
      incidents_page: timing(list, options.warmup, CONSOLE_TARGETS.incidents_page_ms),
      incident_page: timing(one, options.warmup, CONSOLE_TARGETS.incident_page_ms),
    };
  } finally {
    await browser.close();
    await system.terminate(ids);
  }
}
