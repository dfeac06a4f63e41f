/**
 * Screenshots of the console's main pages, at the harness's fixed window (1280×800) with
 * seeded data, signed in as a responder: Incidents, an incident, a runbook's form with its
 * dry-run plan, an execution, and who is on call.
 *
 * Every run takes them, into dist/console-screenshots/ (git-ignored: a run never dirties the
 * clone, and the pictures change with every run's times and ids). With
 * FIREBREAK_UPDATE_SCREENSHOTS=1 they go to docs/console/ instead, the ones docs/console.md
 * shows:
 *
 *   FIREBREAK_UPDATE_SCREENSHOTS=1 npx jest test/browser/screenshots.spec.ts
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TestFirebreak } from '../firebreak';
import { type OpenConsole, openConsole, type Seeded, seedConsole, startConsoleFirebreak, VIEWPORT, waitUntilShown } from './harness';

const ROOT = join(__dirname, '..', '..');
const OUT = process.env.FIREBREAK_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'console') : join(ROOT, 'dist', 'console-screenshots');

interface Shot {
  file: string;
  /** Opens the page and brings it to what the picture shows. */
  show(page: Page, seeded: Seeded): Promise<void>;
  /** The whole page, not only the window. */
  fullPage?: boolean;
}

const SHOTS: Shot[] = [
  {
    file: 'incidents.png',
    async show(page) {
      await page.goto('/incidents');
      await waitUntilShown(page, 'incidents');
    },
  },
  {
    file: 'incident.png',
    fullPage: true,
    async show(page, seeded) {
      await page.goto(`/incidents/${seeded.incidentId}`);
      await waitUntilShown(page, 'incident');
    },
  },
  {
    file: 'runbook.png',
    fullPage: true,
    async show(page) {
      await page.goto('/runbooks/rollback-bad-deploy');
      await waitUntilShown(page);
      await page.locator('input[name="service"]').fill('checkout');
      await page.locator('input[name="scope"]').fill('acme/checkout');
      await page.getByRole('button', { name: 'Dry run' }).click();
      await page.getByRole('list', { name: 'Planned steps' }).getByRole('listitem').first().waitFor();
    },
  },
  {
    file: 'execution.png',
    fullPage: true,
    async show(page, seeded) {
      await page.goto(`/executions/${seeded.executionId}`);
      await waitUntilShown(page, 'execution');
    },
  },
  {
    file: 'oncall.png',
    async show(page) {
      await page.goto('/oncall');
      await waitUntilShown(page);
    },
  },
];

/** A PNG's width and height, from its header. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('screenshots of the console', () => {
  let firebreak: TestFirebreak;
  let seeded: Seeded;
  let ui: OpenConsole;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    firebreak = await startConsoleFirebreak();
    seeded = await seedConsole(firebreak);
    ui = await openConsole({ firebreak, role: 'responder' });
  });
  afterAll(async () => {
    await ui?.close();
    await firebreak?.stop();
  });

  it.each(SHOTS)('$file', async ({ file, show, fullPage }) => {
    await show(ui.page, seeded);
    const path = join(OUT, file);
    await ui.page.screenshot({ path, fullPage: fullPage ?? false, animations: 'disabled' });
    const size = pngSize(readFileSync(path));
    expect(size.width).toBe(VIEWPORT.width);
    expect(size.height).toBeGreaterThanOrEqual(VIEWPORT.height);
    expect(ui.problems()).toEqual([]);
  });
});
