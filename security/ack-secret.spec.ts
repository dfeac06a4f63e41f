import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACK_SECRET_FILE, resolveAckSecret } from './ack-secret';

describe('the acknowledgement-link secret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'firebreak-ack-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('takes ACK_SIGNING_SECRET when set, and writes no file', () => {
    expect(resolveAckSecret({ ackSigningSecret: 's'.repeat(40), dataDir })).toBe('s'.repeat(40));
    expect(() => readdirSync(dataDir)).toThrow();
  });

  it('creates one in DATA_DIR, readable by its owner only, and every later process reads the same', () => {
    const first = resolveAckSecret({ dataDir });
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dataDir, ACK_SECRET_FILE)).mode & 0o777).toBe(0o600);
    for (let i = 0; i < 5; i++) expect(resolveAckSecret({ dataDir })).toBe(first);
    // The drafts each process writes before linking its secret into place are gone.
    expect(readdirSync(dataDir)).toEqual([ACK_SECRET_FILE]);
  });

  it('keeps a secret already there, and refuses a file too short to be one', () => {
    const existing = 'k'.repeat(40);
    const dir = join(dataDir, '..', 'given');
    mkdirSync(dir);
    writeFileSync(join(dir, ACK_SECRET_FILE), `${existing}\n`);
    expect(resolveAckSecret({ dataDir: dir })).toBe(existing);
    writeFileSync(join(dir, ACK_SECRET_FILE), 'short\n');
    expect(() => resolveAckSecret({ dataDir: dir })).toThrow(/must hold a secret of at least 32 characters/);
  });
});
