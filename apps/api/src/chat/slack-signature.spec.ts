import { createHmac } from 'node:crypto';
import { checkSlackSignature, slackSignature } from './slack-signature';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const body = Buffer.from('token=x&team_id=T1&command=%2Fincident&text=ack', 'utf8');
const now = 1_700_000_000_000;
const timestamp = String(now / 1000);

describe('Slack request signatures', () => {
  it('signs v0:<timestamp>:<body> with HMAC-SHA256, as Slack does', () => {
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body.toString('utf8')}`).digest('hex')}`;
    expect(slackSignature(SECRET, timestamp, body)).toBe(expected);
  });

  it('accepts a request signed with the secret within 5 minutes either way', () => {
    for (const offset of [-300, 0, 300]) {
      const at = String(now / 1000 + offset);
      expect(checkSlackSignature(SECRET, { timestamp: at, signature: slackSignature(SECRET, at, body) }, body, now)).toEqual({ ok: true, timestamp: Number(at) });
    }
  });

  it.each([
    ['no timestamp', undefined, () => slackSignature(SECRET, timestamp, body), /Unix time/],
    ['a timestamp that is not a number', '17e8', () => slackSignature(SECRET, '17e8', body), /Unix time/],
    ['a stale timestamp', String(now / 1000 - 301), () => slackSignature(SECRET, String(now / 1000 - 301), body), /more than 5 minutes/],
    ['a future timestamp', String(now / 1000 + 301), () => slackSignature(SECRET, String(now / 1000 + 301), body), /more than 5 minutes/],
    ['no signature', timestamp, () => undefined, /v0= and 64 hex/],
    ['another scheme', timestamp, () => slackSignature(SECRET, timestamp, body).replace('v0=', 'v1='), /v0= and 64 hex/],
    ['another secret', timestamp, () => slackSignature('another-secret-0000000000', timestamp, body), /does not match/],
    ['another timestamp signed', timestamp, () => slackSignature(SECRET, String(now / 1000 - 1), body), /does not match/],
    ['another body signed', timestamp, () => slackSignature(SECRET, timestamp, Buffer.from('text=resolve')), /does not match/],
  ])('refuses %s', (_case, at, sign, reason) => {
    const check = checkSlackSignature(SECRET, { timestamp: at, signature: sign() }, body, now);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });
});
