import type { Config } from '../../../../core/schemas/config';
import type { IntegrationsConfig } from '../../../../core/schemas/integrations-config';

/** Where Slack's `response_url`s live. */
export const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';

/** What the Slack request URLs are built from. */
export interface SlackInteractivity {
  /** `SLACK_SIGNING_SECRET`; without it the routes answer 404. */
  signingSecret?: string;
  /**
   * Origins a `response_url` may have: Slack's hooks, and the origin of `SLACK_API_URL` when
   * the chat adapter or Slack direct messages use one (a proxy, or a test's stub). Firebreak
   * posts to no other, whatever a request says.
   */
  responseOrigins: string[];
}

export const SLACK_INTERACTIVITY = Symbol('firebreak.slack-interactivity');

export function slackInteractivity(config: Pick<Config, 'slackSigningSecret'>, integrations: Partial<Pick<IntegrationsConfig, 'chat' | 'slackDm'>>): SlackInteractivity {
  const origins = new Set([SLACK_RESPONSE_ORIGIN]);
  for (const settings of [integrations.chat, integrations.slackDm]) {
    if (settings?.provider === 'slack') origins.add(new URL(settings.apiUrl).origin);
  }
  return { signingSecret: config.slackSigningSecret, responseOrigins: [...origins] };
}
