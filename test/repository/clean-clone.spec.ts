/**
 * A fresh clone stays clean after `npm start` or `npm test`: the install step (`npm ci` in
 * scripts/setup.mjs) takes package-lock.json as it is, so the committed lock must be one
 * `npm ci` accepts here, and everything the two commands write must be git-ignored.
 * `npm install` would instead rewrite a lock that lacks what npm writes on this machine (a
 * lock written where the registry had no other platforms' optional builds gained hundreds
 * of lines), leaving every checkout dirty after its first run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('a fresh clone stays clean', () => {
  it('installs with npm ci, never with an install that writes the lock', () => {
    const setup = readFileSync(join(ROOT, 'scripts', 'setup.mjs'), 'utf8');
    expect(setup).toMatch(/\[\s*'ci'/);
    expect(setup).not.toMatch(/\[\s*'install'/);
  });

  it('commits a package-lock.json that npm ci accepts as it is', () => {
    // Offline, with an empty cache: the check reads package.json and the lock only, and a
    // dry run touches neither node_modules nor the lock.
    const cache = mkdtempSync(join(tmpdir(), 'firebreak-npm-cache-'));
    try {
      const result = spawnSync(
        npm,
        ['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', cache],
        { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
      );
      const errors = `${result.stderr}`.split('\n').filter((line) => line.startsWith('npm error')).slice(0, 12);
      expect({ status: result.status, errors }).toEqual({ status: 0, errors: [] });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 150_000);

  it('ignores everything npm start, npm test and the bench write', () => {
    const written = [
      'node_modules/.package-lock.json',
      'dist/apps/api/src/main.js',
      '.data/api-key',
      '.data/temporal.db',
      '.data/video-room-secret',
      '.data/ack-secret',
      'apps/web/dist/index.html',
      'apps/web/dist/.build-inputs.json',
      'dist/console-screenshots/incidents.png',
      'dist/web-build.lock',
      'dist/test-cli/incidents/apps/cli/src/main.js',
      'tools/bin/temporal',
      'tools/venv/bin/moto_server',
      'coverage/lcov.info',
      'bench/results/2026-01-01T00-00-00Z-quick.json',
      'bench/results/profiles/worker.cpuprofile',
      'firebreak.log',
      '.env',
    ];
    const ignored = (paths: string[]) =>
      spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: ROOT, input: paths.join('\n'), encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean);
    expect(ignored(written).sort()).toEqual([...written].sort());
    // What the bench records on purpose stays tracked.
    expect(ignored(['bench/results/latest.json', 'bench/results/latency.svg', 'package-lock.json'])).toEqual([]);
  });

  it('has nothing tracked that those commands write', () => {
    const tracked = execFileSync('git', ['ls-files', '--', 'node_modules', 'dist', '.data', 'tools', 'coverage'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tracked).toBe('');
  });
});
