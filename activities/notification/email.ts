import { createTransport, type Transporter } from 'nodemailer';
import type { SmtpSettings } from '../../core/schemas/integrations-config';
import { describeNetworkError, type VendorCallProblem, vendorFailure } from '../http-failures';
import { keyDigest } from '../step-input';
import { emailMessage } from './message';
import type { Delivery, NotificationChannel } from './port';

const VENDOR = 'SMTP';

/**
 * A nodemailer SMTP transport from `SMTP_URL` (`smtp://` with STARTTLS when the server
 * offers it, `smtps://` for TLS from the start), with every wait bounded by the
 * integrations timeout. One connection per message: notifications are few.
 */
export function createSmtpTransport(settings: Pick<SmtpSettings, 'url'>, timeoutMs: number): Transporter {
  return createTransport({ url: settings.url.reveal(), connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
}

/**
 * Email over SMTP: a plain-text and an HTML body with the same facts and links.
 *
 * SMTP has no idempotency key. The Message-ID is derived from the step's idempotency key,
 * so a message sent again after a lost answer is the same message to the recipient's
 * server and mail client, which show it once.
 */
export class SmtpEmailChannel implements NotificationChannel {
  readonly provider = 'smtp';
  private readonly secrets: string[];
  private readonly domain: string;

  constructor(
    private readonly transport: Transporter,
    private readonly settings: Pick<SmtpSettings, 'url' | 'from'>,
  ) {
    const url = settings.url.reveal();
    const { password } = new URL(url);
    this.secrets = [url, password, decoded(password)];
    this.domain = /@([^>\s]+)>?$/.exec(settings.from)?.[1] ?? 'firebreak.invalid';
  }

  async deliver({ command, address, links }: Delivery): Promise<{ vendorId?: string }> {
    const { subject, text, html } = emailMessage(command, links);
    const messageId = `<notification.${keyDigest(command.idempotencyKey, 32)}@${this.domain}>`;
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: address,
        subject,
        text,
        html,
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Firebreak-Incident': command.incidentId },
      });
    } catch (error) {
      throw vendorFailure(smtpProblem(error), this.secrets);
    }
    return { vendorId: messageId };
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * What went wrong, from nodemailer's error. SMTP reply codes stand in for HTTP statuses in
 * the failure table: 4xx replies ("try later") retry like a 503, 5xx replies ("no") are
 * refused like a 400, a refused login like a 401. The reply code leads the detail.
 */
function smtpProblem(error: unknown): VendorCallProblem {
  const base = { vendor: VENDOR, operation: 'send email' };
  const { code, responseCode, response } = error as { code?: string; responseCode?: number; response?: string };
  const detail = response ? response.trim() : undefined;
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 500) return { ...base, status: 503, detail };
  if (typeof responseCode === 'number' && responseCode >= 500) return { ...base, status: code === 'EAUTH' ? 401 : 400, detail };
  if (code === 'EAUTH' || code === 'ENOAUTH') return { ...base, status: 401, detail: 'authentication failed' };
  if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'ECONFIG') return { ...base, status: 400, detail: (error as Error).message };
  return { ...base, networkError: code === 'ETIMEDOUT' ? 'timed out' : describeNetworkError(error) };
}
