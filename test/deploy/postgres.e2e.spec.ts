/**
 * The PostgreSQL harness (test/postgres.ts over scripts/postgres.mjs) that `npm run cluster`
 * and the record's tests run on: a real server, a committed row surviving a crash-like
 * restart, and nothing left behind after stop.
 */
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../postgres';
import { waitFor } from '../wait';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('test/postgres.ts', () => {
  let postgres: TestPostgres | undefined;
  afterAll(async () => {
    await postgres?.stop();
  });

  it('keeps a committed row across an immediate shutdown and restart, with fsync on', async () => {
    postgres = await startPostgres();
    expect(postgres.url).toMatch(/^postgres:\/\/firebreak:[^@]+@127\.0\.0\.1:\d+\/firebreak$/);
    const [{ fsync }] = await query<{ fsync: string }>(postgres.url, 'SHOW fsync');
    expect(fsync).toBe('on');
    await query(postgres.url, 'CREATE TABLE kept (id int PRIMARY KEY, note text)');
    await query(postgres.url, 'INSERT INTO kept VALUES ($1, $2)', [1, 'ünïcødé ✓']);

    const before = postgres.pid;
    await postgres.restart('immediate');
    expect(postgres.pid).not.toBe(before);
    expect(await query(postgres.url, 'SELECT id, note FROM kept')).toEqual([{ id: 1, note: 'ünïcødé ✓' }]);
  });

  it('refuses a wrong password', async () => {
    const wrong = postgres!.url.replace(/:[^:@]+@/, ':not-the-password@');
    await expect(query(wrong, 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('stops the server and leaves no process behind', async () => {
    const pid = postgres!.pid;
    await postgres!.stop();
    postgres = undefined;
    await waitFor('the postmaster to be gone', () => !alive(pid));
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
