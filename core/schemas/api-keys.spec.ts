import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { EMPTY_KEY_SHA256, EXAMPLE_API_KEY_SHA256S, EXAMPLE_API_KEYS, parseApiKeys, ROLES, weakKeyReason } from './api-keys';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Keys as `openssl rand` and `npm start` make them. */
const KEY_A = 'c2f1e0b7a4d94b1f8e6a3c5d7b9f0e21a8c4d6e3';
const KEY_B = 'Qm7pX2vL9sK4tR8wN1yB6hJ3gF5dA0zC';
const KEY_C = '4b9d2e7f1a6c3e8b5d0f7a2c9e4b1d6f';

const ROOT = join(__dirname, '../..');

/** The files an operator copies from: every key written in them must be refused. */
function exampleFiles(): string[] {
  const docs = (folder: string): string[] =>
    readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? docs(join(folder, entry.name)) : /\.(md|ya?ml|json)$/.test(entry.name) ? [join(folder, entry.name)] : [],
    );
  const topLevel = readdirSync(ROOT).filter((name) => name === 'README.md' || name === 'docker-compose.yml' || /^\.env/.test(name));
  return [...topLevel, ...docs('docs')];
}

describe('parseApiKeys', () => {
  it('reads name:role:key entries, keys may hold colons', () => {
    expect(parseApiKeys(`alertmanager:sender:${KEY_A}, ops:admin:${KEY_B}:x:y`)).toEqual([
      { name: 'alertmanager', role: 'sender', key: KEY_A },
      { name: 'ops', role: 'admin', key: `${KEY_B}:x:y` },
    ]);
  });

  it('reads every role', () => {
    const keys = ROLES.map((role, index) => `${role}-key:${role}:${sha256(`${index}`)}${KEY_C}`).join(',');
    expect(parseApiKeys(keys).map(({ role }) => role)).toEqual([...ROLES]);
  });

  it('reads a key given as its SHA-256 digest, in either case', () => {
    expect(parseApiKeys(`grafana:sender:sha256:${sha256(KEY_A).toUpperCase()},ops:admin:SHA256:${sha256(KEY_B)}`)).toEqual([
      { name: 'grafana', role: 'sender', sha256: sha256(KEY_A) },
      { name: 'ops', role: 'admin', sha256: sha256(KEY_B) },
    ]);
  });

  it('takes two keys for one name with one role, the old and the new while rotating', () => {
    expect(parseApiKeys(`ci:responder:${KEY_A},ci:responder:sha256:${sha256(KEY_B)}`)).toEqual([
      { name: 'ci', role: 'responder', key: KEY_A },
      { name: 'ci', role: 'responder', sha256: sha256(KEY_B) },
    ]);
  });

  it.each([
    ['alertmanager:sender', /entry 1 must be name:role:key/],
    [`bad name:viewer:${KEY_A}`, /name "bad name"/],
    [`ci:superuser:${KEY_A}`, /entry 1 \(ci\): role must be one of sender, viewer, responder, commander, admin/],
    [`ci:viewer:${KEY_A},ci:admin:${KEY_B}`, /entry 2 \(ci\): "ci" is already viewer; one name has one role/],
    [`ci:viewer:${KEY_A},ci:viewer:${KEY_B},ci:viewer:${KEY_C}`, /entry 3 \(ci\): "ci" has more than 2 keys/],
    [`a:viewer:${KEY_A},b:admin:${KEY_A}`, /entry 2 \(b\): the same key as entry 1/],
    [`a:viewer:sha256:${sha256(KEY_A)},b:admin:sha256:${sha256(KEY_A).toUpperCase()}`, /entry 2 \(b\): the same key as entry 1/],
    [`a:viewer:sha256:${sha256(KEY_A).slice(1)}`, /entry 1 \(a\): sha256: must be followed by the 64 hex characters/],
    [`a:viewer:sha256:${sha256(KEY_A)}  -`, /entry 1 \(a\): sha256: must be followed by the 64 hex characters/],
    [`a:viewer:sha256:${EMPTY_KEY_SHA256}`, /entry 1 \(a\): sha256 is the digest of an empty key/],
    [`a:viewer:sha256:${sha256('s3cr3t')}`, /entry 1 \(a\): sha256 is the digest of an example key/],
    [' , ', /at least one/],
  ])('refuses %j', (value, message) => {
    expect(() => parseApiKeys(value)).toThrow(message);
  });

  it.each([
    ['a short key', 'x7Qp2vL9sK4tR8wN1yB6hJ3gF5dA0z', /at least 32 characters; make one with `openssl rand -hex 32`/],
    ['a placeholder', 'change-me-please-0a7f3e9b1c5d2e8f4a6b', /contains "changeme", so it is a placeholder/],
    ['a placeholder in other case', 'X7q-YOUR_API_KEY-2vL9sK4tR8wN1yB6hJ3gF5', /contains "yourapikey"/],
    ['one character repeated', 'a'.repeat(40), /fewer than 8 different characters/],
    ['a few characters repeated', 'abcabcabcabcabcabcabcabcabcabcabcabc', /fewer than 8 different characters/],
    ['a phrase repeated', 'Kp3vQ9xZ2m'.repeat(4), /a shorter string repeated/],
    ['a run of consecutive characters', '0123456789abcdefghijklmnopqrstuvwxyz', /a run of 8 or more/],
    ['a run counting down', 'Q7zX9w-hgfedcba98-Lp2Rt5Yk1Nm4Bv6Jc3Df8', /a run of 8 or more/],
    ['a key with a space', 'x7Qp2vL9sK4tR8wN1yB6 hJ3gF5dA0zC1Ee', /must not contain spaces/],
  ])('refuses %s, naming the entry and never the key', (_what, key, message) => {
    let error: Error | undefined;
    try {
      parseApiKeys(`ops:admin:${KEY_A},ci:sender:${key}`);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(/^entry 2 \(ci\): /);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(key);
  });

  it('refuses every example key, as itself and as its digest', () => {
    for (const key of EXAMPLE_API_KEYS) {
      expect(() => parseApiKeys(`ci:viewer:${key}`)).toThrow(/entry 1 \(ci\)/);
      expect(() => parseApiKeys(`ci:viewer:sha256:${sha256(key)}`)).toThrow(/digest of an example key/);
    }
  });

  it('holds the digests of the example keys and of the empty key', () => {
    expect(EXAMPLE_API_KEY_SHA256S).toEqual(EXAMPLE_API_KEYS.map(sha256));
    expect(EMPTY_KEY_SHA256).toBe(sha256(''));
  });

  it("refuses every key written in the README, docs/, the compose file and .env examples", () => {
    const triple = /\b([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(sender|viewer|responder|commander|admin):([^\s,'"`)\]]+)/g;
    const seen: string[] = [];
    for (const file of exampleFiles()) {
      for (const [, name, role, key] of readFileSync(join(ROOT, file), 'utf8').matchAll(triple)) {
        seen.push(`${file}: ${name}:${role}:…`);
        // Placeholders and shell expansions stand for the operator's own key.
        if (/^[$<…]|…|^\{|\$\(/.test(key)) continue;
        expect(() => parseApiKeys(`${name}:${role}:${key}`)).toThrow();
      }
    }
    // The scan reads what it should: the compose file's example (a shell expansion) is one of them.
    expect(seen.some((where) => where.startsWith('docker-compose.yml'))).toBe(true);
  });

  it('accepts keys drawn at random as npm start and openssl make them', () => {
    fc.assert(
      fc.property(fc.noBias(fc.uint8Array({ minLength: 24, maxLength: 48 })), (bytes) => {
        expect(weakKeyReason(Buffer.from(bytes).toString('base64url'))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    for (let run = 0; run < 200; run += 1) {
      expect(weakKeyReason(randomBytes(24).toString('base64url'))).toBeUndefined();
      expect(weakKeyReason(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(weakKeyReason(randomBytes(32).toString('base64'))).toBeUndefined();
    }
  });

  it('never echoes a refused key, whatever it holds', () => {
    const secretText = fc
      .string({ unit: 'binary', minLength: 8, maxLength: 200 })
      .map((text) => `Zq${text.replace(/[,\s]/g, '')}`)
      .filter((text) => text.length >= 8);
    fc.assert(
      fc.property(secretText, fc.constantFrom(...ROLES, 'root'), (key, role) => {
        try {
          parseApiKeys(`ci:${role}:${key}`);
        } catch (error) {
          expect((error as Error).message).not.toContain(key);
        }
      }),
    );
  });
});
