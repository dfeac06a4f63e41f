/**
 * The console served by the API, against a small built console this test writes: index.html
 * for `/` and client-side routes, hashed assets cached for a year, the strict CSP on every
 * console response, the API's own paths untouched, and nothing outside the web root reachable.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../src/app';
import { CONSOLE_SECURITY_HEADERS } from '../src/web/console';
import { loadConfig } from '../../../core/schemas/config';
import { TEST_ACK_SECRET, TEST_KEYS } from '../../../test/firebreak';
import { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { runbookCatalog } from '../../../test/runbooks/catalog';
import { sharedTemporalAddress, uniqueTaskQueue } from '../../../test/temporal';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Bq3x9.js"></script></head><body><div id="root"></div></body></html>';
const SECRET = 'do-not-serve-this-secret';

/** An API (no worker: serving files needs none) whose web root is `webRoot`. */
async function apiServing(webRoot: string): Promise<{ http: HttpClient; app: INestApplication; port: number }> {
  const config = loadConfig({
    API_KEYS: `ops:admin:${TEST_KEYS.admin}`,
    TEMPORAL_ADDRESS: sharedTemporalAddress(),
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('web'),
    LOG_LEVEL: 'error',
    ACK_SIGNING_SECRET: TEST_ACK_SECRET,
    WEB_ROOT: webRoot,
  });
  const app = await createApiApp(config, { operator: testOperatorConfig(), runbooks: runbookCatalog() });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { http: new HttpClient(`http://127.0.0.1:${port}`), app, port };
}

/**
 * GET `path` exactly as written, with only the headers given: fetch would resolve `..` and
 * re-encode before sending, and adds `Cache-Control: no-cache` to a conditional request.
 */
function rawGet(port: number, path: string, accept = 'text/html', headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers: { accept, ...headers } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the console served by the API', () => {
  const folder = mkdtempSync(join(tmpdir(), 'firebreak-web-'));
  const root = join(folder, 'dist');
  let api: Awaited<ReturnType<typeof apiServing>>;
  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'index-Bq3x9.js'), 'console.log("console");\n');
    writeFileSync(join(root, 'assets', 'index-Cd4y0.css'), 'body { margin: 0; }\n');
    writeFileSync(join(root, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    writeFileSync(join(root, '.env'), SECRET);
    writeFileSync(join(folder, 'secret.txt'), SECRET);
    api = await apiServing(root);
  });
  afterAll(async () => {
    await api?.app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const expectConsoleHeaders = (headers: Headers) => {
    expect(headers.get('content-security-policy')).toBe(CSP);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
  };

  it('serves index.html at / with the strict CSP and no-cache', async () => {
    expect(CONSOLE_SECURITY_HEADERS['Content-Security-Policy']).toBe(CSP);
    const page = await api.http.get('/', html);
    expect(page.status).toBe(200);
    expect(page.text).toBe(INDEX);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expectConsoleHeaders(page.headers);
    // Revalidation works: the same page answers 304 to its own validator.
    expect((await rawGet(api.port, '/', 'text/html', { 'if-none-match': page.headers.get('etag') ?? '' })).status).toBe(304);
    expect((await api.http.request('HEAD', '/', undefined, html)).status).toBe(200);
  });

  it('serves index.html for client-side routes a browser opens, and 404 for other misses', async () => {
    for (const route of ['/incidents', '/incidents/inc-0123456789ab', '/executions/rbx-0123456789ab', '/runbooks/rollback-bad-deploy/']) {
      const page = await api.http.get(route, html);
      expect(page.status).toBe(200);
      expect(page.text).toBe(INDEX);
      expectConsoleHeaders(page.headers);
    }
    expect((await api.http.get('/incidents', { accept: 'application/json' })).status).toBe(404);
    const missingAsset = await api.http.get('/assets/index-gone.js', html);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.text).not.toContain('<div id="root">');
  });

  it('caches hashed assets for a year, immutable, and revalidates other files', async () => {
    const script = await api.http.get('/assets/index-Bq3x9.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expectConsoleHeaders(script.headers);
    const style = await api.http.get('/assets/index-Cd4y0.css');
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
    expect(style.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const robots = await api.http.get('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('cache-control')).toBe('no-cache');
  });

  it('never serves a file outside the web root, or a dotfile', async () => {
    const attempts = [
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/..%5csecret.txt',
      '/assets/../../secret.txt',
      '/../secret.txt',
      '/%2fsecret.txt',
      '/assets/%00index-Bq3x9.js',
      '/.env',
      '/assets/..%2f.env',
      '/%zz',
    ];
    for (const path of attempts) {
      for (const accept of ['text/html', '*/*']) {
        const answer = await rawGet(api.port, path, accept);
        expect({ path, accept, status: answer.status, leaked: answer.body.includes(SECRET) }).toEqual({ path, accept, status: answer.status, leaked: false });
        expect(answer.status === 404 || answer.status === 400 || (answer.status === 200 && answer.body === INDEX)).toBe(true);
      }
    }
  });

  it('leaves the API\'s own paths to the API', async () => {
    const unauthenticated = await api.http.get('/v1/incidents', html);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('content-type')).toMatch(/json/);
    expect((await api.http.get('/v1/no-such-route', html)).status).toBe(404);
    expect((await api.http.get('/healthz', html)).status).toBe(200);
    const docs = await api.http.as(TEST_KEYS.admin).get('/docs-json');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toBeNull();
  });

  it('answers how to build the console when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'firebreak-web-empty-'));
    const bare = await apiServing(join(empty, 'dist'));
    try {
      const page = await bare.http.get('/', html);
      expect(page.status).toBe(200);
      expect(page.text).toContain('npm run build:web');
      expect(page.text).not.toMatch(/<script|<style| style=/);
      expectConsoleHeaders(page.headers);
      expect((await bare.http.get('/incidents', html)).text).toContain('The console is not built');
    } finally {
      await bare.app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
