import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { ephemeral, type SlackResponse } from './slack-messages';
import { SLACK_INTERACTIVITY, type SlackInteractivity } from './slack-settings';

/** Work after an answer that may run at once; more is refused ("busy"), so memory stays bounded. */
export const SLACK_WORK_MAX = 64;
/** Deadline of one post to a `response_url`. */
const POST_TIMEOUT_MS = 5_000;
/** How long shutting down waits for work under way to post its outcome. */
const SHUTDOWN_WAIT_MS = 10_000;

/**
 * Answers through Slack's `response_url`: Slack waits 3 seconds for the answer to a request,
 * so what takes longer (anything that asks Temporal) runs after it and posts its outcome
 * here, as JSON. Posts go only to the allowed origins ({@link SlackInteractivity}); the URL
 * is never logged (whoever holds it may post to the channel for half an hour).
 */
@Injectable()
export class SlackResponses implements BeforeApplicationShutdown {
  private readonly logger = new Logger('slack');
  private readonly running = new Set<Promise<void>>();

  constructor(@Inject(SLACK_INTERACTIVITY) private readonly settings: SlackInteractivity) {}

  /** Whether Firebreak may post to `url`. */
  allows(url: string): boolean {
    try {
      return this.settings.responseOrigins.includes(new URL(url).origin);
    } catch {
      return false;
    }
  }

  /**
   * Runs `work` after the request is answered and posts the message it makes; a failure of
   * the work is answered with `failed(error)`. False (and nothing runs) when too much work is
   * under way already.
   */
  later(url: string, work: () => Promise<SlackResponse>, failed: (error: unknown) => SlackResponse): boolean {
    if (this.running.size >= SLACK_WORK_MAX) return false;
    const task = (async () => {
      let message: SlackResponse;
      try {
        message = await work();
      } catch (error) {
        message = failed(error);
      }
      await this.post(url, message);
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return true;
  }

  /** Posts `message` to `url`; a failure is logged (there is nobody else to tell). */
  async post(url: string, message: SlackResponse): Promise<void> {
    if (!this.allows(url)) {
      this.logger.warn('not answering Slack: the response_url is not on an allowed origin');
      return;
    }
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        redirect: 'error',
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      if (!answer.ok) this.logger.warn(`Slack refused an answer through response_url: HTTP ${answer.status}`);
      await answer.body?.cancel();
    } catch (error) {
      this.logger.warn(`could not answer Slack through response_url: ${error instanceof Error ? error.name : 'error'}`);
    }
  }

  /** Posts `message` after the request is answered (a refusal of a button press, which Slack shows only this way). */
  tell(url: string, message: SlackResponse): void {
    if (!this.later(url, () => Promise.resolve(message), () => message)) this.logger.warn('not answering Slack: too much work under way');
  }

  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_WAIT_MS);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    clearTimeout(timer);
  }
}

/** What to say when Firebreak is too busy to take more work from Slack. */
export const BUSY = ephemeral('Firebreak is busy with other Slack requests: try again in a moment.');
