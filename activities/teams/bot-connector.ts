/**
 * The Bot Framework Connector, the way an app posts to a Teams channel: Graph accepts app-only
 * channel posts only when importing history, so the app registration is also a single-tenant
 * Azure Bot, and posts are the bot's proactive messages. Tokens come from the same tenant and
 * client credentials with the Bot Framework's scope (a second cached token beside Graph's);
 * calls go through Node's `fetch` with the deadline (the SDK's `botframework-connector` is not
 * a dependency), with no retries of their own, and failures are mapped like Graph's.
 */
import type { ApplicationFailure } from '@temporalio/common';
import type { TeamsChatSettings } from '../../core/schemas/integrations-config';
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure } from '../http-failures';
import { fetchWithTimeout } from '../vendor-http';
import type { TeamsCard } from './fields';
import { ClientCredentialsAuth, graphDetail, parseJson, TEAMS_VENDOR } from './graph';

/** What the bot's token is for: the Bot Connector service. */
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';
/** The same in the US Government clouds (GCC High, DoD), whose connectors are under `.microsoft.us`. */
export const BOT_FRAMEWORK_GOV_SCOPE = 'https://api.botframework.us/.default';

/** The token scope for the connector at `serviceUrl`. */
export const botFrameworkScope = (serviceUrl: string) => (new URL(serviceUrl).hostname.endsWith('.microsoft.us') ? BOT_FRAMEWORK_GOV_SCOPE : BOT_FRAMEWORK_SCOPE);
/** Room kept for the connector's own words before the hint on what to fix. */
const MAX_SAID = 200;

/** A message activity as the connector takes it. */
export interface BotMessage {
  type: 'message';
  /** The activity replaced, on an update. */
  id?: string;
  attachments: TeamsCard[];
  importance?: 'high';
}

/** A thread started in a channel: its conversation and its first activity, the message. */
export interface StartedThread {
  conversationId: string;
  activityId: string;
}

type Connection = Pick<TeamsChatSettings, 'tenantId' | 'clientId' | 'clientSecret' | 'loginUrl' | 'botServiceUrl'>;

/** What to fix when the connector refuses the bot, by status. */
const REFUSAL_HINTS: Record<number, string> = {
  401: 'the Bot Framework refused the bot\'s token: register TEAMS_CLIENT_ID as a single-tenant Azure Bot in TEAMS_TENANT_ID, with the Microsoft Teams channel on',
  403: 'the bot may not post there: install the Firebreak app (docs/teams-app-manifest.json) in the team TEAMS_TEAM_ID; a bot cannot post in a private channel (TEAMS_PUBLIC_CHANNELS=true makes standard ones)',
};

/** The connector at `TEAMS_BOT_SERVICE_URL`, as the bot `TEAMS_CLIENT_ID`. */
export class BotConnector {
  private readonly auth: ClientCredentialsAuth;
  private readonly secrets: string[];

  constructor(
    private readonly settings: Connection,
    private readonly timeoutMs: number,
  ) {
    this.auth = new ClientCredentialsAuth(settings, timeoutMs, botFrameworkScope(settings.botServiceUrl), 'get bot access token');
    this.secrets = [settings.clientSecret.reveal()];
  }

  /** Posts `activity` as a new thread in the channel: `POST v3/conversations`. */
  async startThread(operation: string, channelId: string, tenantId: string, activity: BotMessage): Promise<StartedThread> {
    const answer = await this.call<{ id?: unknown; activityId?: unknown }>(operation, 'POST', 'v3/conversations', {
      isGroup: true,
      channelData: { channel: { id: channelId }, tenant: { id: tenantId } },
      activity,
    });
    if (typeof answer?.id !== 'string' || !answer.id || typeof answer.activityId !== 'string' || !answer.activityId) {
      throw this.failure(operation, { status: 502, detail: 'the answer holds no conversation id or activity id' });
    }
    return { conversationId: answer.id, activityId: answer.activityId };
  }

  /** Replaces an activity: `PUT v3/conversations/{conversation}/activities/{activity}`. */
  async replace(operation: string, conversationId: string, activityId: string, activity: BotMessage): Promise<void> {
    const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`;
    await this.call(operation, 'PUT', path, { ...activity, id: activityId });
  }

  private async call<T>(operation: string, method: 'POST' | 'PUT', path: string, body: unknown): Promise<T | undefined> {
    // The token only ever goes to the configured service URL.
    const token = await this.auth.getAccessToken();
    let response: Response;
    let text: string;
    try {
      response = await fetchWithTimeout(this.timeoutMs)(`${this.settings.botServiceUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      text = await response.text();
    } catch (error) {
      throw this.failure(operation, { networkError: describeNetworkError(error) });
    }
    if (!response.ok) {
      const said = graphDetail(parseJson(text));
      const hint = REFUSAL_HINTS[response.status];
      const detail = hint ? [said && said.length > MAX_SAID ? `${said.slice(0, MAX_SAID)}…` : said, hint].filter(Boolean).join(' — ') : said;
      throw this.failure(operation, { status: response.status, detail, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
    }
    return parseJson(text) as T | undefined;
  }

  private failure(operation: string, problem: Omit<VendorCallProblem, 'vendor' | 'operation'>): ApplicationFailure {
    return vendorFailure({ vendor: TEAMS_VENDOR, operation, ...problem }, this.secrets);
  }
}
