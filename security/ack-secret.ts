/**
 * The secret that signs acknowledgement links. The API verifies what the worker signs, so
 * both read it the same way: `ACK_SIGNING_SECRET` when set, else `DATA_DIR/ack-secret`,
 * which `npm start` (and the first process to need it) creates with 32 random bytes.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/schemas/config';

export const ACK_SECRET_FILE = 'ack-secret';

export function resolveAckSecret(config: Pick<Config, 'ackSigningSecret' | 'dataDir'>): string {
  if (config.ackSigningSecret) return config.ackSigningSecret;
  const path = join(config.dataDir, ACK_SECRET_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  // Written whole to a file of its own, then linked into place: when two processes start
  // together, the second finds the first's secret complete (a file created and then written
  // could be read empty in between), and a link never replaces a secret already there.
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} must hold a secret of at least 32 characters.`);
  return secret;
}
