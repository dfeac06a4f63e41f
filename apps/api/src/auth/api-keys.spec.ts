import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../core/schemas/config';
import { ApiKeyPrincipals, presentedKey } from './api-key-principals';
import { resolveApiKeys } from './api-keys';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY = 'c2f1e0b7a4d94b1f8e6a3c5d7b9f0e21a8c4d6e3';
const NEXT_KEY = 'Qm7pX2vL9sK4tR8wN1yB6hJ3gF5dA0zC';

describe('resolveApiKeys', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'firebreak-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads the admin key npm start writes, 32 random characters', () => {
    const key = randomBytes(24).toString('base64url');
    writeFileSync(join(dataDir, 'api-key'), `${key}\n`);
    expect(resolveApiKeys(loadConfig({ DATA_DIR: dataDir }))).toEqual([{ name: 'admin', role: 'admin', key }]);
  });

  it('refuses a short or made-up key in the file as API_KEYS does, without showing it', () => {
    for (const key of ['0123456789abcdef', 'x'.repeat(40)]) {
      writeFileSync(join(dataDir, 'api-key'), `${key}\n`);
      let message = '';
      try {
        resolveApiKeys(loadConfig({ DATA_DIR: dataDir }));
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/api-key: key .*; or delete the file and npm start writes a new one/);
      expect(message).not.toContain(key);
    }
  });

  it('says how to make keys when there are none', () => {
    expect(() => resolveApiKeys(loadConfig({ DATA_DIR: dataDir }))).toThrow(/set API_KEYS .* or create .*api-key/);
  });
});

describe('ApiKeyPrincipals', () => {
  const principals = new ApiKeyPrincipals(loadConfig({ API_KEYS: `ci:sender:${KEY},ci:sender:sha256:${sha256(NEXT_KEY)}` }).apiKeys!);

  it('knows a key configured as itself and one configured as its digest, under one name', () => {
    expect(principals.principalFor(`Bearer ${KEY}`)).toEqual({ found: 'key', principal: { name: 'ci', role: 'sender' } });
    expect(principals.principalFor(`bearer  ${NEXT_KEY} `)).toEqual({ found: 'key', principal: { name: 'ci', role: 'sender' } });
    expect(principals.principalFor(`Bearer ${sha256(NEXT_KEY)}`)).toEqual({ found: 'unknown' });
    expect(principals.principalForKey(NEXT_KEY)).toMatchObject({ found: 'key' });
  });

  it('refuses to start with one key configured twice, once as its digest', () => {
    expect(() => new ApiKeyPrincipals(loadConfig({ API_KEYS: `a:viewer:${KEY},b:admin:sha256:${sha256(KEY)}` }).apiKeys!)).toThrow(
      /"b" and "a" hold the same key/,
    );
  });
});

describe('presentedKey', () => {
  it('takes Bearer, and GenieKey only where the route speaks Opsgenie', () => {
    expect(presentedKey(`Bearer ${KEY}`)).toBe(KEY);
    expect(presentedKey(`GenieKey ${KEY}`)).toBeUndefined();
    expect(presentedKey(`GenieKey ${KEY}`, { genieKey: true })).toBe(KEY);
  });

  it('never reads a key from HTTP Basic', () => {
    const basic = Buffer.from(`alertmanager:${KEY}`).toString('base64');
    expect(presentedKey(`Basic ${basic}`)).toBeUndefined();
    expect(presentedKey(`Basic ${basic}`, { genieKey: true })).toBeUndefined();
  });
});
