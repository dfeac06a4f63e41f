import type { WebClient } from '@slack/web-api';
import type { SlackDmSettings } from '../../core/schemas/integrations-config';
import { findStepMessage, HISTORY_SCANNED, SLACK_STEP_EVENT, slackFailure } from '../chat/slack';
import { vendorFailure } from '../http-failures';
import { slackDmMessage } from './message';
import type { Delivery, NotificationChannel } from './port';

const VENDOR = 'Slack';

/**
 * Slack direct messages from the bot (`conversations.open`, then `chat.postMessage`), with
 * the chat adapter's client (activities/chat/slack.ts). The bot needs the `im:write`,
 * `im:history` and `chat:write` scopes.
 *
 * Sent once per idempotency key, the way the chat adapter posts: each message carries the
 * key in Slack message metadata (`firebreak_step`), and a retry (after a lost answer, or a
 * worker killed mid-call) first looks for it among the conversation's last 200 messages.
 * Opening the conversation is itself idempotent: Slack returns the same one each time.
 */
export class SlackDmChannel implements NotificationChannel {
  readonly provider = 'slack';
  private readonly secrets: string[];

  constructor(
    private readonly slack: WebClient,
    settings: Pick<SlackDmSettings, 'botToken'>,
  ) {
    this.secrets = [settings.botToken.reveal()];
  }

  async deliver({ command, address, links }: Delivery): Promise<{ vendorId?: string }> {
    const opened = await this.call('open direct message', () => this.slack.conversations.open({ users: address }));
    const channel = opened.channel?.id;
    if (!channel) throw vendorFailure({ vendor: VENDOR, operation: 'open direct message', status: 502, detail: 'no channel in the answer' });
    const history = await this.call('read direct messages', () =>
      this.slack.conversations.history({ channel, limit: HISTORY_SCANNED, include_all_metadata: true }),
    );
    const earlier = findStepMessage(history.messages, command.idempotencyKey);
    if (earlier?.ts) return { vendorId: earlier.ts };
    const { text, blocks } = slackDmMessage(command, links);
    const posted = await this.call('send direct message', () =>
      this.slack.chat.postMessage({
        channel,
        text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: SLACK_STEP_EVENT, event_payload: { idempotency_key: command.idempotencyKey } },
      }),
    );
    return { vendorId: String(posted.ts) };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw slackFailure(operation, error, this.secrets);
    }
  }
}
