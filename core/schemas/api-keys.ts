/**
 * `API_KEYS`: comma-separated `name:role:key` entries, the key given as itself or as
 * `sha256:<64 hex>`, its SHA-256 digest, so the plain key need not sit in the environment.
 * Keys must be long and random: a short key, an example from the documentation or an
 * obviously made-up one stops start-up. Errors name the entry, never the key.
 */

/** Every role, least first. `sender` may only send alerts and heartbeats. */
export const ROLES = ['sender', 'viewer', 'responder', 'commander', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An API key as configured: the name is the actor recorded on the timeline; the key itself or only its SHA-256 digest. */
export type ApiKey = { name: string; role: Role } & ({ key: string; sha256?: never } | { sha256: string; key?: never });

/** Shortest key accepted: 32 random characters carry far more than 128 bits. */
export const MIN_API_KEY_CHARS = 32;

/** Keys one name may hold at once: the current one and the next, while senders switch over. */
export const MAX_KEYS_PER_NAME = 2;

/** How to make a key, in every error that refuses one. */
const MAKE_ONE = 'make one with `openssl rand -hex 32`';

/**
 * Keys written in Firebreak's own documentation, examples and compose file: anyone can read
 * them, so they are refused. The spec checks that every key those files show is refused.
 */
export const EXAMPLE_API_KEYS: readonly string[] = [
  's3cr3t',
  's3cr3t-key',
  'change-me-please',
  'compose-test-key',
  'defaultkey1',
  'admin-key-0123456789',
  'responder-key-0123456789',
  'viewer-key-0123456789',
];

/**
 * SHA-256 digests that stand for no secret: of the empty string (what `printf %s "$KEY" |
 * sha256sum` prints when KEY is unset) and of each of {@link EXAMPLE_API_KEYS}, in order.
 * core/ has no hashing; the spec recomputes these.
 */
export const EMPTY_KEY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const EXAMPLE_API_KEY_SHA256S: readonly string[] = [
  '4e738ca5563c06cfd0018299933d58db1dd8bf97f6973dc99bf6cdc64b5550bd',
  '99ab9660c4e55f77fd420904b46180434242e63be70f6bb54084c9a4abccc941',
  'f5dcec9289c446e7099d483f2ed447c990b3868a2fab4ff4a39436c63589c70e',
  '08ba96ad8046e6701f51dc506a13b274cabbcbf99aaefecba50a95d9fb8f43f7',
  '9e302d365d5bc08642636472174a4db1007a53d655c2877bf299283a69f0c4ee',
  '6d843254d280913cb5f8e0b48efffb584cce7ff577178fe68e738ddf193af10c',
  '2759a4213304a7662f4cb1ad93aefbe2283233b2d9147224faf029e21bb72e34',
  'e74f8d8a57e29621f2d4783a1544b93dc527f7c41a953aa83b46aefd5562685b',
];

/** Words that mark a key as a placeholder, looked for in lower case with separators removed. */
const PLACEHOLDER_WORDS = ['changeme', 'replaceme', 'example', 'placeholder', 'password', 'passw0rd', 'secret', 's3cr3t', 'yourkey', 'yourapikey', 'dummy', 'insecure'];

/** A run this long of one character, or of characters counting up or down (`abcdefgh`, `98765432`), is typed, not drawn. */
const MAX_RUN = 8;

/** Fewer distinct characters than this in 32 or more is not random (32 random hex digits show about 14). */
const MIN_DISTINCT_CHARS = 8;

/** What an API key's name may be: it is the actor on the timeline, and heartbeat monitors name their senders by it. */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DIGEST = /^sha256:([0-9a-f]{64})$/i;

/** Why a plain key is not a usable secret, or undefined when it looks random. */
export function weakKeyReason(key: string): string | undefined {
  if (/\s/.test(key)) return 'key must not contain spaces (it travels as `Authorization: Bearer <key>`)';
  if (key.length < MIN_API_KEY_CHARS) return `key must be at least ${MIN_API_KEY_CHARS} characters; ${MAKE_ONE}`;
  if (EXAMPLE_API_KEYS.includes(key)) return `key is an example from Firebreak's documentation; ${MAKE_ONE}`;
  const words = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  const word = PLACEHOLDER_WORDS.find((candidate) => words.includes(candidate));
  if (word) return `key contains "${word}", so it is a placeholder, not a secret; ${MAKE_ONE}`;
  if (new Set(key).size < MIN_DISTINCT_CHARS) return `key uses fewer than ${MIN_DISTINCT_CHARS} different characters, so it is not random; ${MAKE_ONE}`;
  if (repeatsItself(key)) return `key is a shorter string repeated, so it is not random; ${MAKE_ONE}`;
  if (hasRun(key)) return `key holds a run of ${MAX_RUN} or more repeated or consecutive characters, so it is not random; ${MAKE_ONE}`;
  return undefined;
}

/** Why a digest stands for no secret, or undefined. */
function weakDigestReason(sha256: string): string | undefined {
  if (sha256 === EMPTY_KEY_SHA256) return 'sha256 is the digest of an empty key (was the variable set when it was computed?)';
  if (EXAMPLE_API_KEY_SHA256S.includes(sha256)) return `sha256 is the digest of an example key from Firebreak's documentation; ${MAKE_ONE}`;
  return undefined;
}

function repeatsItself(key: string): boolean {
  for (let period = 1; period <= key.length / 2; period += 1) {
    if (key.length % period === 0 && key.slice(period) === key.slice(0, -period)) return true;
  }
  return false;
}

function hasRun(key: string): boolean {
  for (const step of [0, 1, -1]) {
    let run = 1;
    for (let at = 1; at < key.length; at += 1) {
      run = key.charCodeAt(at) - key.charCodeAt(at - 1) === step ? run + 1 : 1;
      if (run >= MAX_RUN) return true;
    }
  }
  return false;
}

/**
 * Parses `name:role:key` and `name:role:sha256:<hex>` entries. One name may appear twice with
 * the same role (two keys while rotating); never with two roles, never more than twice.
 * Never echoes a key back in an error.
 */
export function parseApiKeys(value: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const [name, role, ...rest] = entry.split(':');
    const secret = rest.join(':');
    const where = `entry ${index + 1}`;
    if (!name || !role || !secret) throw new Error(`${where} must be name:role:key or name:role:sha256:<hex>`);
    if (!KEY_NAME.test(name)) throw new Error(`${where}: name "${name}" must be 1-64 letters, digits, '.', '_' or '-'`);
    const named = `${where} (${name})`;
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`${named}: role must be one of ${ROLES.join(', ')}`);
    let apiKey: ApiKey;
    if (/^sha256:/i.test(secret)) {
      const digest = DIGEST.exec(secret)?.[1]?.toLowerCase();
      if (!digest) throw new Error(`${named}: sha256: must be followed by the 64 hex characters of the key's SHA-256 digest`);
      const weak = weakDigestReason(digest);
      if (weak) throw new Error(`${named}: ${weak}`);
      apiKey = { name, role: role as Role, sha256: digest };
    } else {
      const weak = weakKeyReason(secret);
      if (weak) throw new Error(`${named}: ${weak}`);
      apiKey = { name, role: role as Role, key: secret };
    }
    const same = keys.findIndex((existing) => (apiKey.key !== undefined ? existing.key === apiKey.key : existing.sha256 === apiKey.sha256));
    if (same >= 0) throw new Error(`${named}: the same key as entry ${same + 1}`);
    const ofName = keys.filter((existing) => existing.name === name);
    const otherRole = ofName.find((existing) => existing.role !== role);
    if (otherRole) throw new Error(`${named}: "${name}" is already ${otherRole.role}; one name has one role (its two keys are for rotation)`);
    if (ofName.length >= MAX_KEYS_PER_NAME) throw new Error(`${named}: "${name}" has more than ${MAX_KEYS_PER_NAME} keys (two at most, the old and the new while rotating)`);
    keys.push(apiKey);
  });
  if (keys.length === 0) throw new Error('must hold at least one name:role:key entry');
  return keys;
}
