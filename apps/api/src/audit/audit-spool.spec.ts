import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../../record/audit';
import { AUDIT_SPOOL_FILE, AuditSpool } from './audit-spool';

const entry = (): AuditEntry => ({ entryId: randomUUID(), at: new Date().toISOString(), via: 'api', method: 'POST', outcome: 'allowed', status: 200, principal: 'ops ✓ 運用' });

describe('the audit spool', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'firebreak-spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps entries across a restart and hands each over once replayed, skipping a line torn by a crash', async () => {
    const spooled = [entry(), entry(), entry()];
    new AuditSpool(dir).append(spooled.slice(0, 2));
    new AuditSpool(dir).append(spooled.slice(2));
    appendFileSync(join(dir, AUDIT_SPOOL_FILE), '{"entryId":"torn');
    const restarted = new AuditSpool(dir);
    expect(restarted.pending()).toBe(true);
    const written: AuditEntry[] = [];
    expect(await restarted.replay(async (entries) => void written.push(...entries), 2)).toBe(3);
    expect(written).toEqual(spooled);
    expect(restarted.pending()).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps what a failed replay could not write, for the next one, and entries spooled meanwhile', async () => {
    const spool = new AuditSpool(dir);
    const first = [entry(), entry()];
    spool.append(first);
    await expect(spool.replay(() => Promise.reject(new Error('the record is down')))).rejects.toThrow('down');
    const later = entry();
    spool.append([later]);
    const written: AuditEntry[] = [];
    await spool.replay(async (entries) => void written.push(...entries));
    expect(written.map((each) => each.entryId).sort()).toEqual([...first, later].map((each) => each.entryId).sort());
    expect(spool.pending()).toBe(false);
  });

  it('stops at its bound and counts what it dropped', () => {
    const spool = new AuditSpool(dir, { maxBytes: 600 });
    const kept = spool.append(Array.from({ length: 10 }, entry));
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(10);
    expect(spool.dropped).toBe(10 - kept);
    expect(spool.bytes()).toBeLessThanOrEqual(600);
  });
});
