/**
 * A real SMTP server (`smtp-server`) on a free loopback port for the email adapter: AUTH
 * PLAIN/LOGIN checked against one account (without TLS, as on loopback), every message
 * kept and parsed enough to assert on (envelope, headers, subject, text and HTML parts), and
 * faults on demand: a reply code at RCPT TO or after DATA (`451` try later, `550` no such
 * user), or no reply at all after DATA. Every message accepted counts as one delivery.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export const SMTP_USER = 'firebreak';
export const SMTP_PASSWORD = 'smtp-stub-p4ss-s3cr3t';
export const SMTP_FROM = 'Firebreak <pager@firebreak.test>';

/** The settings that point the email adapter at a server on `port`. */
export const smtpSettings = (port: number) => ({
  EMAIL_PROVIDER: 'smtp',
  SMTP_URL: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
  SMTP_FROM,
});

export interface ReceivedMail {
  /** The envelope. */
  mailFrom: string;
  rcptTo: string[];
  /** Header names in lower case, values unfolded (encoded words left as sent). */
  headers: Map<string, string>;
  /** The Subject header, encoded words decoded. */
  subject: string;
  messageId: string;
  text: string;
  html: string;
  raw: string;
}

/** What the next command of a stage meets instead of its normal reply. */
export type SmtpFault = { code: number; message: string } | 'hang';
type Stage = 'rcpt' | 'data';

export async function startSmtpServer() {
  const messages: ReceivedMail[] = [];
  const faults: Record<Stage, SmtpFault[]> = { rcpt: [], data: [] };
  /** Replies held back by a `hang` fault, released when the server stops. */
  const held: Array<(error?: Error) => void> = [];
  let attempts = 0;
  const refusal = ({ code, message }: { code: number; message: string }) => Object.assign(new Error(message), { responseCode: code });

  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: SMTP_USER });
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const fault = faults.rcpt.shift();
      if (fault === 'hang') return void held.push(callback);
      callback(fault ? refusal(fault) : null);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attempts += 1;
        const fault = faults.data.shift();
        if (fault === 'hang') return void held.push(callback);
        if (fault) return callback(refusal(fault));
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), session));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    messages,
    /** The next `stage` commands (RCPT TO, or the end of DATA) meet these faults, in order. */
    fail(stage: Stage, ...queued: SmtpFault[]) {
      faults[stage].push(...queued);
    },
    /** Messages the client finished sending, accepted or not. */
    get attempts() {
      return attempts;
    },
    async stop() {
      for (const release of held.splice(0)) release(new Error('server stopping'));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headers, subject and the text and HTML parts of a message as nodemailer writes it. */
export function parseMail(raw: string, session?: SMTPServerSession): ReceivedMail {
  const { headers, body } = splitEntity(raw);
  const parts: Array<{ headers: Map<string, string>; body: string }> = [];
  const collect = (entity: { headers: Map<string, string>; body: string }) => {
    const boundary = /boundary="?([^";]+)"?/i.exec(entity.headers.get('content-type') ?? '')?.[1];
    if (!boundary) return void parts.push(entity);
    const sections = entity.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      collect(splitEntity(section.replace(/^\r?\n/, '')));
    }
  };
  collect({ headers, body });
  const partOf = (type: string) => {
    const part = parts.find((p) => (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(type));
    // Lines end in CRLF on the wire; read them as the recipient does.
    return part ? decodeBody(part.body, part.headers.get('content-transfer-encoding')).replace(/\r\n/g, '\n') : '';
  };
  const envelope = session?.envelope;
  return {
    mailFrom: envelope && envelope.mailFrom ? envelope.mailFrom.address : '',
    rcptTo: envelope ? envelope.rcptTo.map((address) => address.address) : [],
    headers,
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: partOf('text/plain'),
    html: partOf('text/html'),
    raw,
  };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  const body = end === -1 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding = '7bit'): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return quotedPrintable(body.replace(/=\r?\n/g, ''));
    default:
      return body.replace(/\r?\n$/, '');
  }
}

function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); whitespace between two of them is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : quotedPrintable(text.replace(/_/g, ' ')),
    );
}
