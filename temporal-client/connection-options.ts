/**
 * How the API's client and the worker reach Temporal's frontend: its address and, when the
 * `TEMPORAL_TLS_*` settings are given, TLS with this process's client certificate (mTLS).
 * Both connections take the same options, so both processes connect the same way.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../core/schemas/config';

/** What `Connection.connect`/`Connection.lazy` and `NativeConnection.connect` are given. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
}

/** A PEM file named by a setting could not be used; the message names the setting and the path, never the content. */
export class TemporalTlsFileError extends Error {
  constructor(
    readonly setting: string,
    readonly path: string,
    reason: string,
  ) {
    super(`${setting}: ${reason} (${path})`);
    this.name = 'TemporalTlsFileError';
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Reads a PEM file and checks it holds the kind of block the setting is for, so a swapped path fails at start, not on the first call. */
function readPem(setting: string, path: string, accepted: (label: string) => boolean, what: string, read: (path: string) => Buffer): Buffer {
  let content: Buffer;
  try {
    content = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TemporalTlsFileError(setting, path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable by this process' : 'cannot be read');
  }
  const labels = [...content.toString('latin1').matchAll(PEM_BLOCK)].map(([, label]) => label);
  if (labels.length === 0) throw new TemporalTlsFileError(setting, path, `must be a PEM file holding ${what}`);
  if (!labels.some(accepted)) throw new TemporalTlsFileError(setting, path, `must hold ${what}, found ${[...new Set(labels)].join(', ')}`);
  return content;
}

const isCertificate = (label: string) => label === 'CERTIFICATE';
const isPrivateKey = (label: string) => /(^|\s)PRIVATE KEY$/.test(label) && label !== 'ENCRYPTED PRIVATE KEY';

/**
 * The connection options for `temporal` (from {@link Config}). Reads the certificate files
 * now, so a missing or wrong file stops start-up with the setting's name.
 */
export function temporalConnectionOptions(temporal: Config['temporal'], read: (path: string) => Buffer = readFileSync): TemporalConnectionOptions {
  const { address, tls } = temporal;
  if (!tls) return { address };
  const options: TLSConfig = {};
  if (tls.clientCertPair) {
    options.clientCertPair = {
      crt: readPem('TEMPORAL_TLS_CERT', tls.clientCertPair.certPath, isCertificate, 'a certificate', read),
      key: readPem('TEMPORAL_TLS_KEY', tls.clientCertPair.keyPath, isPrivateKey, 'an unencrypted private key', read),
    };
  }
  if (tls.caPath) options.serverRootCACertificate = readPem('TEMPORAL_TLS_CA', tls.caPath, isCertificate, 'a CA certificate', read);
  if (tls.serverName) options.serverNameOverride = tls.serverName;
  return { address, tls: options };
}
