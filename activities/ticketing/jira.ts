import { ApplicationFailure } from '@temporalio/common';
import JiraApi from 'jira-client';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { Ticket } from '../../core/schemas/capabilities/ticketing';
import type { JiraSettings } from '../../core/schemas/integrations-config';
import { type VendorCallProblem, vendorFailure } from '../http-failures';
import { fitLabel, fitText, VendorLimits } from '../fit';
import { jiraText } from '../markup';
import { keyDigest } from '../step-input';
import { sendJson, VendorHttpError } from '../vendor-http';
import type { CommentOnTicketCommand, CreateTicketCommand, TicketingPort, TransitionTicketCommand } from './port';

const VENDOR = 'Jira';
/** The key under which a failed call's problem crosses jira-client (see {@link jiraTransport}). */
const PROBLEM = 'firebreakVendorProblem';
/** Jira's default priority scheme, highest first. */
const PRIORITY_NAMES = { P1: 'Highest', P2: 'High', P3: 'Medium', P4: 'Low', P5: 'Lowest' } as const;
/** The comment property that carries a step's marker. */
const COMMENT_PROPERTY = 'firebreak';

interface JiraRequestOptions {
  method?: string;
  uri: string;
  body?: unknown;
  auth?: { user?: string; pass?: string; bearer?: string };
}

/**
 * jira-client's transport, through its documented `request` option. Its default transport
 * answers a failed call with the response body alone (no status, no Retry-After) and its
 * error message is the whole request serialized, credentials included; this one uses
 * `fetch` with a deadline and fails with the problem only. jira-client still builds every
 * URL, query and body.
 */
function jiraTransport(timeoutMs: number) {
  return async ({ method = 'GET', uri, body, auth }: JiraRequestOptions): Promise<unknown> => {
    const headers: Record<string, string> = {};
    if (auth?.bearer) headers.authorization = `Bearer ${auth.bearer}`;
    else if (auth?.user) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.pass ?? ''}`).toString('base64')}`;
    try {
      return await sendJson(uri, timeoutMs, { method: method as 'GET', body, headers });
    } catch (error) {
      if (!(error instanceof VendorHttpError)) throw error;
      // jira-client rethrows `new Error(JSON.stringify(rejection))`: a plain object survives that.
      throw { [PROBLEM]: error.problem(VENDOR, `${method} ${new URL(uri).pathname}`) };
    }
  };
}

/** A jira-client speaking REST v2 (plain-text descriptions) to `settings.baseUrl`. */
export function createJiraClient(settings: Pick<JiraSettings, 'baseUrl' | 'email' | 'apiToken'>, timeoutMs: number): JiraApi {
  const url = new URL(settings.baseUrl);
  return new JiraApi({
    protocol: url.protocol.replace(':', ''),
    host: url.hostname,
    port: url.port || undefined,
    base: url.pathname.replace(/\/+$/, ''),
    username: settings.email,
    password: settings.apiToken.reveal(),
    apiVersion: '2',
    strictSSL: true,
    request: jiraTransport(timeoutMs),
  });
}

interface JiraIssue {
  id: string;
  key?: string;
  fields?: { status?: { name?: string } };
}

/**
 * Jira tickets. Jira takes no idempotency key on create, so each ticket carries the label
 * `firebreak-<digest of the key>` and a JQL search for it runs before creating; comments
 * carry the digest in an (invisible) comment property and are looked up the same way;
 * a transition to the status the ticket already has is a no-op.
 *
 * Text from the engine is plain: the description and comments are escaped for Jira's wiki
 * markup and cut to 32,767 characters; the summary is made one line and cut to 255; labels
 * get dashes for spaces and are fitted to 255 (prefix plus hash).
 */
export class JiraTicketing implements TicketingPort {
  private readonly secrets: string[];

  constructor(
    private readonly jira: JiraApi,
    private readonly settings: Pick<JiraSettings, 'baseUrl' | 'projectKey' | 'issueType' | 'searchApi' | 'apiToken'>,
  ) {
    this.secrets = [settings.apiToken.reveal()];
  }

  async createTicket(command: CreateTicketCommand): Promise<Ticket> {
    const label = `firebreak-${keyDigest(command.idempotencyKey)}`;
    const existing = await this.findByLabel(label);
    if (existing) return { key: existing, url: this.browse(existing), created: false };
    // The adapter's own line is markup Jira may link; the engine's text is escaped.
    const footer = command.incidentUrl ? `Incident: ${command.incidentUrl}` : `Firebreak incident ${jiraText(command.incidentId, 300)}`;
    const body = command.description ? jiraText(command.description, VendorLimits.jiraText - footer.length - 2) : '';
    const description = [body, footer].filter(Boolean).join('\n\n');
    const created = await this.call('create issue', (jira) =>
      jira.addNewIssue({
        fields: {
          project: { key: this.settings.projectKey },
          issuetype: { name: this.settings.issueType },
          summary: fitText(command.summary.replace(/[\r\n]+/g, ' '), VendorLimits.jiraSummary),
          description,
          labels: [...new Set([...command.labels.map((l) => fitLabel(l)), 'firebreak', label])],
          ...(command.priority ? { priority: { name: PRIORITY_NAMES[command.priority] } } : {}),
        },
      }),
    );
    const key = String(created.key);
    return { key, url: this.browse(key), created: true };
  }

  async comment({ idempotencyKey, ticketKey, body }: CommentOnTicketCommand): Promise<void> {
    const step = keyDigest(idempotencyKey);
    const issue = encodeURIComponent(ticketKey);
    const page = await this.call('list comments', (jira) =>
      jira.genericGet(`issue/${issue}/comment?orderBy=-created&maxResults=100&expand=properties`),
    );
    const comments = (page.comments ?? []) as Array<{ properties?: Array<{ key: string; value?: { step?: string } }> }>;
    if (comments.some((comment) => comment.properties?.some((p) => p.key === COMMENT_PROPERTY && p.value?.step === step))) {
      return;
    }
    await this.call('add comment', (jira) =>
      jira.addCommentAdvanced(issue, { body: jiraText(body, VendorLimits.jiraText), properties: [{ key: COMMENT_PROPERTY, value: { step } }] } as never),
    );
  }

  async transition({ ticketKey, to }: TransitionTicketCommand): Promise<void> {
    const issue = encodeURIComponent(ticketKey);
    const same = (name: unknown) => typeof name === 'string' && name.toLowerCase() === to.toLowerCase();
    const current = (await this.call('read issue', (jira) => jira.findIssue(issue, undefined, 'status'))) as JiraIssue;
    if (same(current.fields?.status?.name)) return;
    const { transitions = [] } = (await this.call('list transitions', (jira) => jira.listTransitions(issue))) as {
      transitions?: Array<{ id: string; name?: string; to?: { name?: string } }>;
    };
    const transition = transitions.find((candidate) => same(candidate.to?.name)) ?? transitions.find((c) => same(c.name));
    if (!transition) {
      const available = transitions.map((candidate) => candidate.to?.name ?? candidate.name).join(', ') || 'none';
      throw ApplicationFailure.nonRetryable(
        `Jira ${ticketKey} has no transition to "${to}" from "${current.fields?.status?.name}" (available: ${available})`,
        CapabilityFailure.Rejected,
      );
    }
    await this.call('transition issue', (jira) => jira.transitionIssue(issue, { transition: { id: transition.id } }));
  }

  private async findByLabel(label: string): Promise<string | undefined> {
    const jql = `project = "${this.settings.projectKey}" AND labels = "${label}" ORDER BY created ASC`;
    const found = await this.call('search issues', (jira) =>
      this.settings.searchApi === 'legacy'
        ? jira.searchJira(jql, { maxResults: 1, fields: ['summary'] })
        : jira.genericGet(`search/jql?jql=${encodeURIComponent(jql)}&maxResults=1&fields=summary`),
    );
    const [issue] = (found.issues ?? []) as JiraIssue[];
    if (!issue) return undefined;
    if (issue.key) return issue.key;
    // Jira Cloud's search may answer with ids only.
    const full = (await this.call('read issue', (jira) => jira.findIssue(issue.id, undefined, 'summary'))) as JiraIssue;
    return full.key;
  }

  private browse(key: string): string {
    return `${this.settings.baseUrl}/browse/${key}`;
  }

  private async call<T>(operation: string, fn: (jira: JiraApi) => Promise<T>): Promise<T> {
    try {
      return await fn(this.jira);
    } catch (error) {
      throw vendorFailure(jiraProblem(operation, error), this.secrets);
    }
  }
}

/** What went wrong, from what jira-client threw. */
function jiraProblem(operation: string, error: unknown): VendorCallProblem {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const problem = (JSON.parse(message) as Record<string, VendorCallProblem | undefined>)[PROBLEM];
    if (problem) return { ...problem, vendor: VENDOR, operation };
  } catch {
    // Not ours: a 2xx answer that carried errorMessages, which jira-client throws as text.
  }
  return { vendor: VENDOR, operation, status: 400, detail: message };
}
