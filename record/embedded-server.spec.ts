/**
 * The embedded record's own process (`npm start` runs it when DATABASE_URL is unset) yields
 * the CPU to the worker and the API: it runs at a lower priority.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTypeScript } from '../test/vendors/child-process';
import { waitFor } from '../test/wait';

/** A Linux process's niceness, from /proc (field 19 of its stat line). */
function niceness(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count from the parenthesis that closes it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[16]);
}

const linux = process.platform === 'linux' ? it : it.skip;

describe('the embedded record process', () => {
  linux('runs at niceness 10, below the worker and the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-record-nice-'));
    const child = spawnTypeScript(join(__dirname, 'embedded-server.ts'), { RECORD_DIR: dir, RECORD_PORT: '0' });
    try {
      let output = '';
      child.process.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await child.ready;
      await waitFor('the record to serve', async () => output.includes('record ready at'), { timeoutMs: 60_000 });
      expect(niceness(child.process.pid!)).toBe(Math.max(10, niceness(process.pid)));
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
