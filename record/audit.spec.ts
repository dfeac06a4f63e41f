import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { type AuditEntry, AuditLog, AUDIT_FIELD_MAX, decodeAuditCursor, encodeAuditCursor } from './audit';
import { RecordUnavailableError } from './errors';
import { RecordStore } from './store';
import { cleanString } from './text';
import { recordServerKinds, type RecordTestServer } from './testing/servers';

const entry = (fields: Partial<AuditEntry> = {}): AuditEntry => ({
  entryId: randomUUID(),
  at: new Date().toISOString(),
  via: 'api',
  method: 'POST',
  outcome: 'allowed',
  status: 200,
  ...fields,
});

describe('audit cursors', () => {
  it('round-trip, and anything else is no cursor', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }), fc.bigInt({ min: 1n, max: 2n ** 62n }), (at, id) => {
        const cursor = { at: at.toISOString(), id: String(id) };
        expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
      }),
    );
    for (const junk of ['', 'bm90LWEtY3Vyc29y', Buffer.from('["x","1"]').toString('base64url'), Buffer.from('["2026-01-01T00:00:00Z","1; DROP"]').toString('base64url')]) {
      expect(decodeAuditCursor(junk)).toBeUndefined();
    }
  });
});

describe.each(recordServerKinds())('the audit log in the record on $name', (kind) => {
  let server: RecordTestServer;
  let store: RecordStore;
  let log: AuditLog;

  beforeAll(async () => {
    server = await kind.start();
    store = RecordStore.connect(server.url);
    log = new AuditLog(store);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('stores an entry once however often it is written', async () => {
    const principal = `twice-${kind.name}`;
    const entries = [entry({ principal }), entry({ principal })];
    expect(await log.append(entries)).toBe(2);
    expect(await log.append([...entries, ...entries])).toBe(0);
    expect((await log.query({ principal, limit: 10 })).entries.map((stored) => stored.entryId).sort()).toEqual(entries.map((each) => each.entryId).sort());
  });

  it('keeps any text, cut to its bound, and reads it back as written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 }), async (principal, action) => {
        const target = randomUUID();
        await log.append([entry({ principal, action, target, details: { slackUser: action } })]);
        const [stored] = (await log.query({ target, limit: 1 })).entries;
        // NUL and lone surrogates cannot be stored: they read back as U+FFFD.
        expect(stored.principal?.length).toBeLessThanOrEqual(AUDIT_FIELD_MAX);
        expect(stored.action).toBe(cleanString(action.slice(0, AUDIT_FIELD_MAX)));
      }),
      { numRuns: 40 },
    );
  });

  it('pages newest first through entries of the same instant', async () => {
    const target = `same-instant-${kind.name}`;
    const at = '2026-03-01T12:00:00.000Z';
    const entries = Array.from({ length: 7 }, () => entry({ target, at }));
    await log.append(entries);
    const seen: string[] = [];
    let after;
    do {
      const page = await log.query({ target, limit: 3, after });
      seen.push(...page.entries.map((stored) => stored.id));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(7);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    const exported: string[] = [];
    for await (const page of log.export({ target, limit: 5 })) exported.push(...page.map((stored) => stored.id));
    expect(exported).toEqual(seen.slice(0, 5));
  });

  it('answers RecordUnavailableError while the server is down', async () => {
    await server.pause();
    try {
      await expect(log.append([entry()])).rejects.toBeInstanceOf(RecordUnavailableError);
    } finally {
      await server.resume();
    }
  }, 60_000);
});
