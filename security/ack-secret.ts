/**
 * The secret that signs acknowledgement links. The API verifies what the worker signs, so
 * both read it the same way: `ACK_SIGNING_SECRET` when set, else `DATA_DIR/ack-secret`,
 * which `npm start` (and the first process to need it) creates with 32 random bytes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/schemas/config';

export const ACK_SECRET_FILE = 'ack-secret';

export function resolveAckSecret(config: Pick<Config, 'ackSigningSecret' | 'dataDir'>): string {
  if (config.ackSigningSecret) return config.ackSigningSecret;
  const path = join(config.dataDir, ACK_SECRET_FILE);
  try {
    mkdirSync(config.dataDir, { recursive: true });
    // `wx`: when two processes start together, the second finds the first's secret.
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} must hold a secret of at least 32 characters.`);
  return secret;
}
