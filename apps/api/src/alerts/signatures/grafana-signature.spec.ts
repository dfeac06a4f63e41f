import { createHmac } from 'node:crypto';
import { grafanaDeliveryRefusal, isFreshGrafanaTimestamp, verifyGrafanaSignature } from './grafana-signature';

const secret = 'contact-point-secret';
const rawBody = Buffer.from('{"receiver":"firebreak","status":"firing","alerts":[],"version":"1"}\n');

/** What Grafana computes: hex HMAC-SHA256 of the body, or of `timestamp:body`. */
function grafanaSignature(body: Buffer, key: string, timestamp?: string): string {
  const hmac = createHmac('sha256', key);
  if (timestamp !== undefined) hmac.update(`${timestamp}:`);
  return hmac.update(body).digest('hex');
}

describe('verifyGrafanaSignature', () => {
  it('accepts the HMAC of the body when no timestamp header is configured', () => {
    const signature = grafanaSignature(rawBody, secret);
    expect(verifyGrafanaSignature({ rawBody, secret, signature })).toBe(true);
    // Header values may come padded or in upper case from proxies; hex is hex.
    expect(verifyGrafanaSignature({ rawBody, secret, signature: ` ${signature.toUpperCase()} ` })).toBe(true);
  });

  it('accepts the HMAC of timestamp:body when a timestamp is sent, and only with that timestamp', () => {
    const timestamp = '1795242091';
    const signature = grafanaSignature(rawBody, secret, timestamp);
    expect(verifyGrafanaSignature({ rawBody, secret, signature, timestamp })).toBe(true);
    expect(verifyGrafanaSignature({ rawBody, secret, signature, timestamp: '1795242092' })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret, signature })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret, signature: grafanaSignature(rawBody, secret), timestamp })).toBe(false);
  });

  it('refuses a changed body, another secret, a missing or malformed signature, and an empty secret', () => {
    const signature = grafanaSignature(rawBody, secret);
    const changed = Buffer.from(rawBody.toString().replace('firing', 'resolved'));
    expect(verifyGrafanaSignature({ rawBody: changed, secret, signature })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret: 'another secret', signature })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret, signature: undefined })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret, signature: '' })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret, signature: signature.slice(0, 32) })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret, signature: `sha256=${signature}` })).toBe(false);
    expect(verifyGrafanaSignature({ rawBody, secret: '', signature: grafanaSignature(rawBody, '') })).toBe(false);
  });

  it('checks the bytes as received, not the JSON they parse to', () => {
    const signature = grafanaSignature(rawBody, secret);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString())));
    expect(verifyGrafanaSignature({ rawBody: reserialized, secret, signature })).toBe(false);
  });
});

describe('isFreshGrafanaTimestamp', () => {
  const now = Date.UTC(2026, 10, 21, 6, 21, 31);
  const seconds = String(now / 1000);

  it('accepts a timestamp within the tolerance either side of now', () => {
    expect(isFreshGrafanaTimestamp(seconds, now)).toBe(true);
    expect(isFreshGrafanaTimestamp(String(now / 1000 - 300), now)).toBe(true);
    expect(isFreshGrafanaTimestamp(String(now / 1000 + 300), now)).toBe(true);
  });

  it('refuses an old or future timestamp, and anything not a Unix time in seconds', () => {
    expect(isFreshGrafanaTimestamp(String(now / 1000 - 301), now)).toBe(false);
    expect(isFreshGrafanaTimestamp(String(now / 1000 + 60), now, 30)).toBe(false);
    expect(isFreshGrafanaTimestamp(String(now), now)).toBe(false);
    for (const bad of ['', '-1', '1.5e9', `${seconds}.0`, 'now']) expect(isFreshGrafanaTimestamp(bad, now)).toBe(false);
  });
});

describe('grafanaDeliveryRefusal', () => {
  const nowMs = Date.UTC(2026, 10, 21, 6, 21, 31);
  const timestamp = String(nowMs / 1000 - 10);
  const signature = grafanaSignature(rawBody, secret, timestamp);

  it('accepts a signed, timestamped delivery made within five minutes', () => {
    expect(grafanaDeliveryRefusal({ rawBody, secret, signature, timestamp, nowMs })).toBeUndefined();
  });

  it('requires the timestamp: a signature of the body alone could be replayed', () => {
    expect(grafanaDeliveryRefusal({ rawBody, secret, signature: grafanaSignature(rawBody, secret), timestamp: undefined, nowMs })).toMatch(
      /x-grafana-alerting-timestamp header is missing: set the contact point's HMAC timestamp header/,
    );
  });

  it('refuses a missing or wrong signature, and a delivery signed more than five minutes ago', () => {
    expect(grafanaDeliveryRefusal({ rawBody, secret, signature: undefined, timestamp, nowMs })).toMatch(/x-grafana-alerting-signature header is missing/);
    expect(grafanaDeliveryRefusal({ rawBody, secret: 'another secret', signature, timestamp, nowMs })).toMatch(/does not match/);
    const old = String(nowMs / 1000 - 301);
    expect(grafanaDeliveryRefusal({ rawBody, secret, signature: grafanaSignature(rawBody, secret, old), timestamp: old, nowMs })).toMatch(
      /more than 5 minutes from now/,
    );
  });
});
