/**
 * What a notification says on each channel, and the links it carries. Every field of the
 * incident is plain text from outside (a sender wrote the title), so each channel escapes it
 * for its own markup and fits it to what the channel shows: an SMS stays within
 * {@link NotificationLimits.smsText} characters, an email subject within
 * {@link NotificationLimits.emailSubject}. The links are the adapter's own and are never cut.
 */
import { randomBytes } from 'node:crypto';
import type { KnownBlock } from '@slack/web-api';
import type { Severity } from '../../core/model/incident-model';
import { cleanLine, cleanText, escapeHtml as html } from '../../core/model/text';
import type { OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { signAckToken } from '../../security/ack-token';
import { fitText } from '../fit';
import { slackText } from '../markup';

type SendNotificationCommand = OperationCommand<'notification', 'send'>;

/** Limits of the notification channels, in characters. */
export const NotificationLimits = {
  /** Two SMS segments of GSM text; a title with other characters costs more segments, never more characters. */
  smsText: 320,
  /** Kept short: mail clients show about 60–80 characters of a subject. */
  emailSubject: 200,
  /** The incident summary in an email body. */
  emailSummary: 5_000,
  /** Slack: a header block's text. */
  slackHeader: 150,
  /** Slack: a section block's text. */
  slackSection: 3_000,
  /** What a voice call reads of the title (TwiML's `Twiml` parameter takes 4,000 characters in all). */
  voiceTitle: 250,
} as const;

/** How acknowledgement links are signed and where people open them. */
export interface AckLinkSettings {
  /** The deployment's ack secret (security/ack-secret.ts): the API verifies with the same one. */
  secret: string;
  /** The API's public base URL, without a trailing slash. */
  publicUrl: string;
}

/**
 * For tests and local runs only: a random secret (so links this process signs verify
 * nowhere else) and the API's default address. The worker passes the deployment's.
 */
export const testAckLinks = (): AckLinkSettings => ({ secret: randomBytes(32).toString('base64url'), publicUrl: 'http://127.0.0.1:3000' });

export interface NotificationLinks {
  /** `/v1/ack/<token>`: acknowledges as this person, once, within 24 hours. */
  ack: string;
  /** `/v1/incidents/<id>`. */
  incident: string;
  /** The token inside {@link ack}: kept out of every failure message. */
  token: string;
}

/**
 * The links of one notification. The token is signed here, inside the activity, so it never
 * enters workflow history or a log; each attempt signs a fresh one (any of them works).
 */
export function notificationLinks(settings: AckLinkSettings, incidentId: string, responder: string, now = Date.now()): NotificationLinks {
  const base = settings.publicUrl.replace(/\/+$/, '');
  const token = signAckToken(settings.secret, { incidentId, responder, issuedAt: now });
  return { ack: `${base}/v1/ack/${token}`, incident: `${base}/v1/incidents/${encodeURIComponent(incidentId)}`, token };
}

/** What a person texts back to acknowledge (`ACK <code>`): the incident id without its `inc-` prefix. */
export function smsAckCode(incidentId: string): string {
  return incidentId.replace(/^inc-/, '');
}

type Incident = SendNotificationCommand['incident'];

const line = (text: string) => cleanLine(text).replace(/\s+/g, ' ').trim();
/** The title on one line; a title of blanks alone (a sender may send one) reads as such, never as nothing. */
const titleLine = (title: string) => line(title) || 'Untitled incident';
/** `[SEV1] Checkout latency`, the title cleaned to one line and fitted to `max` characters in all. */
const headline = ({ severity, title }: Incident, max: number) => `[${severity}] ${fitText(titleLine(title), Math.max(1, max - severity.length - 3))}`;
const escalation = ({ level, round }: SendNotificationCommand) => `escalation level ${level}, round ${round}`;

export interface SlackDmMessage {
  /** What the phone's notification shows, and what clients without blocks show. */
  text: string;
  blocks: KnownBlock[];
}

/** A Slack direct message: a header, the incident's facts, and two link buttons. */
export function slackDmMessage(command: SendNotificationCommand, links: NotificationLinks): SlackDmMessage {
  const { incident } = command;
  const facts = [
    `*Severity:* ${incident.severity}`,
    ...(incident.service ? [`*Service:* ${slackText(line(incident.service), 200)}`] : []),
    `*Incident:* <${slackText(links.incident, 1_000)}|${slackText(command.incidentId, 200)}> (${escalation(command)})`,
  ].join('\n');
  const summaryRoom = NotificationLimits.slackSection - facts.length - 2;
  const summary = incident.summary?.trim() && summaryRoom > 1 ? `\n\n${slackText(cleanText(incident.summary.trim()), summaryRoom)}` : '';
  return {
    text: `${slackText(headline(incident, 200), 200)}: acknowledge at ${slackText(links.ack, 2_000)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: headline(incident, NotificationLimits.slackHeader), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: `${facts}${summary}` } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'firebreak_ack', style: 'primary', text: { type: 'plain_text', text: 'Acknowledge' }, url: links.ack },
          { type: 'button', action_id: 'firebreak_open', text: { type: 'plain_text', text: 'Open incident' }, url: links.incident },
        ],
      },
    ],
  };
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** An email: a one-line subject, and the same facts and links as plain text and as HTML. */
export function emailMessage(command: SendNotificationCommand, links: NotificationLinks): EmailMessage {
  const { incident } = command;
  const service = incident.service ? line(incident.service) : undefined;
  const subject = fitText(`${headline(incident, NotificationLimits.emailSubject - 20)}${service ? ` (${fitText(service, 17)})` : ''}`, NotificationLimits.emailSubject);
  const title = fitText(titleLine(incident.title), 1_000);
  const summary = incident.summary?.trim() ? fitText(cleanText(incident.summary.trim()), NotificationLimits.emailSummary) : undefined;
  const facts: Array<[string, string]> = [
    ['Severity', incident.severity],
    ...(service ? ([['Service', fitText(service, 200)]] as Array<[string, string]>) : []),
    ['Incident', command.incidentId],
  ];
  const why = `You are on call for this incident (${escalation(command)}). Acknowledging stops every further notification of it.`;
  const text = [
    `${incident.severity}: ${title}`,
    '',
    ...facts.map(([name, value]) => `${name}: ${value}`),
    ...(summary ? ['', summary] : []),
    '',
    `Acknowledge (one-time link): ${links.ack}`,
    `Open the incident: ${links.incident}`,
    '',
    why,
  ].join('\n');
  const body = [
    `<h2>${html(`${incident.severity}: ${title}`)}</h2>`,
    `<p>${facts.map(([name, value]) => `<strong>${html(name)}:</strong> ${html(value)}`).join('<br>\n')}</p>`,
    ...(summary ? [`<p style="white-space: pre-wrap">${html(summary)}</p>`] : []),
    `<p><a href="${html(links.ack)}"><strong>Acknowledge</strong></a> (one-time link) &middot; <a href="${html(links.incident)}">Open the incident</a></p>`,
    `<p>${html(why)}</p>`,
  ].join('\n');
  return { subject, text, html: `<!doctype html>\n<html><body>\n${body}\n</body></html>\n` };
}

/**
 * An SMS of at most {@link NotificationLimits.smsText} characters: the headline, the reply
 * code and the acknowledgement link always; the incident link when the title still fits
 * beside it (or keeps {@link SMS_READABLE_TITLE} characters). The title is what gets shorter.
 */
export function smsText(command: SendNotificationCommand, links: NotificationLinks): string {
  const max = NotificationLimits.smsText;
  const { incident } = command;
  const title = titleLine(incident.title);
  const tail = (withIncident: boolean) => `\nReply ACK ${smsAckCode(command.incidentId)} or open ${links.ack}${withIncident ? `\n${links.incident}` : ''}`;
  const prefix = `Firebreak [${incident.severity}] `;
  const room = (withIncident: boolean) => max - prefix.length - tail(withIncident).length;
  const withIncident = room(true) >= Math.min(title.length, SMS_READABLE_TITLE);
  const titleRoom = room(withIncident);
  if (titleRoom < 1) return fitText(`${prefix.trim()}${tail(false)}`, max);
  return `${prefix}${fitText(title, titleRoom)}${tail(withIncident)}`;
}

/** Characters of a title an SMS keeps before it gives up the incident link (the acknowledgement link stays). */
const SMS_READABLE_TITLE = 60;

const SPOKEN_SEVERITY: Readonly<Record<Severity, string>> = {
  SEV0: 'severity zero',
  SEV1: 'severity one',
  SEV2: 'severity two',
  SEV3: 'severity three',
  SEV4: 'severity four',
};

/** A code read out one character at a time (`a 1 b 2`), so text to speech does not make a word of it. */
const spelled = (code: string) => [...code].map((char) => (char === '-' ? 'dash' : char)).join(' ');

/** What a voice call says (the adapter has it read twice). */
export function voiceScript(command: SendNotificationCommand): string {
  const { incident } = command;
  return [
    `This is Firebreak. A ${SPOKEN_SEVERITY[incident.severity]} incident needs you.`,
    `${fitText(titleLine(incident.title), NotificationLimits.voiceTitle)}.`,
    ...(incident.service ? [`Service: ${fitText(line(incident.service), 80)}.`] : []),
    `To acknowledge, open the link sent to you by SMS or email, or reply to the SMS with A C K ${spelled(smsAckCode(command.incidentId))}.`,
  ].join(' ');
}
