import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { weakKeyReason } from '../../../../core/schemas/api-keys';
import type { ApiKey, Config } from '../../../../core/schemas/config';

/** The admin key `npm start` generates when `API_KEYS` is unset. */
export const GENERATED_KEY_FILE = 'api-key';
export const GENERATED_KEY_NAME = 'admin';

/**
 * The API's keys: `API_KEYS` when set, else the admin key in `DATA_DIR/api-key`, held to the
 * same rules as a key in `API_KEYS`. Without either the API would accept nobody, so it
 * refuses to start.
 */
export function resolveApiKeys(config: Config): ApiKey[] {
  if (config.apiKeys) return config.apiKeys;
  const path = join(config.dataDir, GENERATED_KEY_FILE);
  let key: string;
  try {
    key = readFileSync(path, 'utf8').trim();
  } catch {
    throw new Error(`No API keys: set API_KEYS (name:role:key,...) or create ${path} (npm start does).`);
  }
  const weak = weakKeyReason(key);
  // An older `npm start` wrote shorter keys: deleting the file has the next one write a new key.
  if (weak) throw new Error(`${path}: ${weak}; or delete the file and npm start writes a new one.`);
  return [{ name: GENERATED_KEY_NAME, role: 'admin', key }];
}
