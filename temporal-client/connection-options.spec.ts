import fc from 'fast-check';
import { ConfigError, loadConfig } from '../core/schemas/config';
import { temporalConnectionOptions, TemporalTlsFileError } from './connection-options';

const pem = (label: string, body = 'MIIBszCCAVmgAwIBAgIU') => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const FILES: Record<string, string> = {
  '/tls/api/tls.crt': pem('CERTIFICATE', 'client'),
  '/tls/api/tls.key': pem('PRIVATE KEY', 'client-key'),
  '/tls/api/ec.key': pem('EC PRIVATE KEY', 'sec1-key'),
  '/tls/api/ca.crt': pem('CERTIFICATE', 'ca'),
  '/tls/api/encrypted.key': pem('ENCRYPTED PRIVATE KEY'),
  '/tls/api/notes.txt': 'not a PEM file',
};
/** Reads from FILES; an unknown path is ENOENT and `/denied/…` is EACCES, as fs reports them. */
const read = (path: string): Buffer => {
  if (path.startsWith('/denied/')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
  const content = FILES[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return Buffer.from(content);
};
const temporalOf = (env: Record<string, string>) => loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', ...env }).temporal;
const MTLS = { TEMPORAL_TLS_CERT: '/tls/api/tls.crt', TEMPORAL_TLS_KEY: '/tls/api/tls.key', TEMPORAL_TLS_CA: '/tls/api/ca.crt' };

describe('temporalConnectionOptions', () => {
  it('connects in plain gRPC when no TEMPORAL_TLS_* is set', () => {
    const temporal = temporalOf({});
    expect(temporal.tls).toBeUndefined();
    expect(temporalConnectionOptions(temporal, read)).toEqual({ address: 'temporal:7233' });
  });

  it('gives the client certificate, its key, the CA and the server name for mTLS', () => {
    const options = temporalConnectionOptions(temporalOf({ ...MTLS, TEMPORAL_TLS_SERVER_NAME: 'temporal' }), read);
    expect(options.address).toBe('temporal:7233');
    expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toBe(FILES['/tls/api/tls.crt']);
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toBe(FILES['/tls/api/tls.key']);
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe(FILES['/tls/api/ca.crt']);
    expect(options.tls!.serverNameOverride).toBe('temporal');
  });

  it('takes a SEC1 EC key as well as PKCS#8, and trusts the system CAs when TEMPORAL_TLS_CA is unset', () => {
    const options = temporalConnectionOptions(temporalOf({ TEMPORAL_TLS_CERT: '/tls/api/tls.crt', TEMPORAL_TLS_KEY: '/tls/api/ec.key' }), read);
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toContain('EC PRIVATE KEY');
    expect(options.tls).not.toHaveProperty('serverRootCACertificate');
    expect(options.tls).not.toHaveProperty('serverNameOverride');
  });

  it('uses TLS without a client certificate when only the CA is given', () => {
    const options = temporalConnectionOptions(temporalOf({ TEMPORAL_TLS_CA: '/tls/api/ca.crt' }), read);
    expect(options.tls).toEqual({ serverRootCACertificate: expect.any(Buffer) });
  });

  it.each([
    [{ ...MTLS, TEMPORAL_TLS_KEY: '/tls/api/missing.key' }, 'TEMPORAL_TLS_KEY: no such file (/tls/api/missing.key)'],
    [{ ...MTLS, TEMPORAL_TLS_CA: '/denied/ca.crt' }, 'TEMPORAL_TLS_CA: not readable by this process (/denied/ca.crt)'],
    [{ ...MTLS, TEMPORAL_TLS_CERT: '/tls/api/tls.key', TEMPORAL_TLS_KEY: '/tls/api/tls.crt' }, 'TEMPORAL_TLS_CERT: must hold a certificate, found PRIVATE KEY (/tls/api/tls.key)'],
    [{ ...MTLS, TEMPORAL_TLS_KEY: '/tls/api/encrypted.key' }, 'TEMPORAL_TLS_KEY: must hold an unencrypted private key, found ENCRYPTED PRIVATE KEY (/tls/api/encrypted.key)'],
    [{ ...MTLS, TEMPORAL_TLS_CA: '/tls/api/notes.txt' }, 'TEMPORAL_TLS_CA: must be a PEM file holding a CA certificate (/tls/api/notes.txt)'],
  ])('stops at start on a file it cannot use, naming the setting and the path: %j', (env, message) => {
    const attempt = () => temporalConnectionOptions(temporalOf(env), read);
    expect(attempt).toThrow(TemporalTlsFileError);
    expect(attempt).toThrow(message);
  });

  it('never puts a file\'s content in its error', () => {
    const EXPECTED = 'TEMPORAL_TLS_KEY: must hold an unencrypted private key, found CERTIFICATE (/tls/api/odd.key)';
    fc.assert(
      // A secret that is itself a piece of the fixed message proves nothing either way.
      fc.property(fc.string({ minLength: 8, maxLength: 200, unit: 'grapheme' }).filter((secret) => !EXPECTED.includes(secret)), (secret) => {
        const path = '/tls/api/odd.key';
        FILES[path] = `${secret}\n${pem('CERTIFICATE', 'wrong-kind')}`;
        try {
          temporalConnectionOptions(temporalOf({ ...MTLS, TEMPORAL_TLS_KEY: path }), read);
          return false;
        } catch (error) {
          return error instanceof TemporalTlsFileError && !error.message.includes(secret);
        } finally {
          delete FILES[path];
        }
      }),
    );
  });
});

describe('TEMPORAL_TLS_* settings', () => {
  it.each([
    [{ TEMPORAL_TLS_CERT: '/tls/api/tls.crt' }, 'TEMPORAL_TLS_KEY: required when TEMPORAL_TLS_CERT is set'],
    [{ TEMPORAL_TLS_KEY: '/tls/api/tls.key' }, 'TEMPORAL_TLS_CERT: required when TEMPORAL_TLS_KEY is set'],
  ])('need the certificate and its key together: %j', (env, message) => {
    expect(() => temporalOf(env)).toThrow(ConfigError);
    expect(() => temporalOf(env)).toThrow(message);
  });

  it.each([
    [{ TEMPORAL_TLS_SERVER_NAME: 'temporal frontend' }, /TEMPORAL_TLS_SERVER_NAME: must be a host name/],
    [{ TEMPORAL_TLS_CA: 'ca.crt\nx' }, /TEMPORAL_TLS_CA: must be a file path/],
  ])('refuse a value that cannot be right: %j', (env, message) => {
    expect(() => temporalOf(env)).toThrow(message);
  });

  it('keep the paths as given (read when the connection is made)', () => {
    expect(temporalOf({ ...MTLS, TEMPORAL_TLS_SERVER_NAME: 'temporal' }).tls).toEqual({
      clientCertPair: { certPath: '/tls/api/tls.crt', keyPath: '/tls/api/tls.key' },
      caPath: '/tls/api/ca.crt',
      serverName: 'temporal',
    });
  });
});
