import { Writable } from 'node:stream';
import fc from 'fast-check';
import { createLogFormatter, cut, MIN_SECRET_LENGTH, REDACTED } from './log-format';
import { createLogger } from './logger';

/** Characters of every width: ASCII, accented, CJK, emoji (surrogate pairs). */
const anyText = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength });
const secretArb = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./+=é日🔑'), minLength: 8, maxLength: 64 });

/** The longest prefix of `secret`, of at least 8 characters, found in `text`. */
function leakedPrefix(text: string, secret: string): string | undefined {
  for (let length = secret.length; length >= 8; length--) {
    if (text.includes(secret.slice(0, length))) return secret.slice(0, length);
  }
  return undefined;
}

/** Lines a logger writes, parsed. */
function captured() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { destination, lines };
}

describe('log formatter', () => {
  it('never writes a secret, nor a prefix of 8 characters of it, wherever it sits in a long field, across the cut included', () => {
    fc.assert(
      fc.property(
        secretArb,
        anyText(300),
        anyText(300),
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: 1, max: 3 }),
        (secret, before, after, maxFieldLength, copies) => {
          // Only the secret placed here may bring its prefix; the text around it does not.
          fc.pre(!before.includes(secret.slice(0, 8)) && !after.includes(secret.slice(0, 8)));
          const message = before + Array.from({ length: copies }, () => secret).join(' ') + after;
          const formatter = createLogFormatter({ secrets: ['unrelated-secret-value', secret], maxFieldLength });
          const line = formatter.formatLine(`${JSON.stringify({ level: 'info', msg: message, nested: { detail: [message] } })}\n`);
          expect(leakedPrefix(line, secret)).toBeUndefined();
          expect(leakedPrefix(JSON.parse(line).msg as string, secret)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts at the limit, exactly where the secret would have begun, without leaving its start', () => {
    const secret = 'S3CRET-VALUE-0123456789';
    const formatter = createLogFormatter({ secrets: [secret], maxFieldLength: 30 });
    for (let at = 0; at <= 40; at++) {
      const message = `${'x'.repeat(at)}${secret}${'y'.repeat(50)}`;
      const msg = (formatter.format({ msg: message }) as { msg: string }).msg;
      expect(leakedPrefix(msg, secret)).toBeUndefined();
      expect(msg.startsWith(`${'x'.repeat(Math.min(at, 30))}`)).toBe(true);
    }
  });

  it('redacts through the real logger: the message, fields, an error and its stack', () => {
    const secret = 'xoxb-0123456789-abcdefghij';
    const { destination, lines } = captured();
    const logger = createLogger({ service: 'test', level: 'info', secrets: [secret], destination, maxFieldLength: 64 });
    logger.info({ token: 'short', vendor: { answer: `denied for ${secret}` } }, `calling Slack with ${secret} ${'z'.repeat(100)}`);
    logger.error({ err: new Error(`refused ${secret}`) }, 'vendor call failed');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(leakedPrefix(line, secret)).toBeUndefined();
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({ level: 'info', service: 'test', token: REDACTED, vendor: { answer: `denied for ${REDACTED}` } });
    expect(first.msg).toMatch(/^calling Slack with \[redacted\] z+…\[\d+ more characters\]$/);
    expect(second.err.message).toBe(`refused ${REDACTED}`);
  });

  it('redacts credentials it was not told of: auth headers, cookies, CSRF tokens, token query parameters', () => {
    const { redact, format } = createLogFormatter();
    expect(redact('GET /v1/incidents Authorization: Bearer abc.def-ghi')).toBe('GET /v1/incidents Authorization: [redacted]');
    expect(redact('sent "Bearer eyJhbGciOi.payload.sig" upstream')).toBe('sent "Bearer [redacted]" upstream');
    expect(redact('{"cookie":"__Host-firebreak_session=abc123","x-csrf-token":"t0k3n"}')).toBe('{"cookie":"[redacted]","x-csrf-token":"[redacted]"}');
    expect(redact('https://hooks.example/cb?access_token=abc123&page=2&X-Amz-Signature=ff00')).toBe(
      'https://hooks.example/cb?access_token=[redacted]&page=2&X-Amz-Signature=[redacted]',
    );
    expect(format({ headers: { Authorization: 'Bearer abc', Cookie: 'a=b', 'X-CSRF-Token': 'c', accept: 'json' } })).toEqual({
      headers: { Authorization: REDACTED, Cookie: REDACTED, 'X-CSRF-Token': REDACTED, accept: 'json' },
    });
  });

  it(`ignores configured secrets shorter than ${MIN_SECRET_LENGTH} characters (they would redact ordinary words), takes the longest first`, () => {
    const { redact } = createLogFormatter({ secrets: ['abc', 'abcdefgh', 'abcdefgh-longer'] });
    expect(redact('abc abcdefgh abcdefgh-longer')).toBe('abc [redacted] [redacted]');
  });

  it('cuts long fields without splitting a character in two, and bounds arrays and depth', () => {
    expect(cut('ab🔑cd', 3)).toBe('ab…[4 more characters]');
    expect(cut('short', 10)).toBe('short');
    const { format } = createLogFormatter({ maxFieldLength: 10 });
    const formatted = format({ list: Array.from({ length: 150 }, (_, i) => i) }) as { list: unknown[] };
    expect(formatted.list).toHaveLength(101);
    expect(formatted.list[100]).toBe('[50 more]');
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(JSON.stringify(format(deep))).toContain('[too deep]');
  });

  it('writes a line that is not JSON as a message, still redacted', () => {
    const { formatLine } = createLogFormatter({ secrets: ['p4ssw0rd-value'] });
    expect(JSON.parse(formatLine('oops p4ssw0rd-value\n'))).toEqual({ msg: `oops ${REDACTED}` });
  });
});
