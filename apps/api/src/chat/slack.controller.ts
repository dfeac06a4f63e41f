import { applyDecorators, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { z } from 'zod';
import { Public } from '../auth/public.decorator';
import { requestIssuesOf, ValidationFailedError } from '../http/failures';
import { SlackActions } from './slack-actions';
import type { SlackResponse } from './slack-messages';
import { BlockActionsSchema, SlashCommandSchema } from './slack-payloads';
import { SlackResponses } from './slack-responses';
import { SlackVerifier } from './slack-verifier';

/** What a request to either route carries, as Slack sends it. */
const SlackRequestDoc = () =>
  applyDecorators(
    Public("Slack's signature of the request is the credential; each command and button is then checked against the rights of the Slack user's principal"),
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiHeader({ name: 'X-Slack-Signature', required: false, description: '`v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<body>` under SLACK_SIGNING_SECRET; a request without a valid one is refused.' }),
    ApiHeader({ name: 'X-Slack-Request-Timestamp', required: false, description: 'Unix seconds; a request without one, or more than 5 minutes from now, is refused.' }),
    ApiHeader({ name: 'X-Slack-Retry-Num', required: false, description: 'Set by Slack on a retry: a retry of a request already acted on is answered 200 and not acted on again.' }),
    ApiResponse({ status: 401, description: 'Not signed by Slack, more than 5 minutes old, or a replay. Nothing changes.' }),
    ApiResponse({ status: 404, description: 'SLACK_SIGNING_SECRET is not set.' }),
  );

/** The fields of a form body, checked with `schema`: a 400 naming each field otherwise. */
function formFields<S extends z.ZodType>(schema: S, fields: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new ValidationFailedError(requestIssuesOf(parsed.error.issues));
  return parsed.data;
}

/**
 * Slack's two request URLs: slash commands and button presses. A request is read only once
 * its signature is shown to be Slack's (see {@link SlackVerifier}); the Slack user then acts
 * as the principal they map to (see {@link SlackActions}). Without SLACK_SIGNING_SECRET the
 * routes answer 404.
 */
@ApiTags('chat')
@Controller('v1/chat/slack')
export class SlackController {
  constructor(
    private readonly verifier: SlackVerifier,
    private readonly actions: SlackActions,
    private readonly responses: SlackResponses,
  ) {}

  @Post('commands')
  @HttpCode(200)
  @SlackRequestDoc()
  @ApiResponse({ status: 200, description: 'The answer Slack shows (ephemeral unless said); the outcome of slower work follows through response_url.' })
  command(@Req() request: Request): SlackResponse | undefined {
    const { body, repeat } = this.verifier.verify(request);
    if (repeat) return undefined;
    const command = formFields(SlashCommandSchema, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    this.checkResponseUrl(command.response_url);
    if (!this.verifier.firstTime(command.trigger_id)) return undefined;
    return this.actions.command(command);
  }

  @Post('interactions')
  @HttpCode(200)
  @SlackRequestDoc()
  @ApiResponse({ status: 200, description: 'Received; the outcome is posted to the payload\'s response_url (ephemeral).' })
  interaction(@Req() request: Request): void {
    const { body, repeat } = this.verifier.verify(request);
    if (repeat) return;
    const text = new URLSearchParams(body.toString('utf8')).get('payload');
    let payload: unknown;
    try {
      payload = JSON.parse(text ?? '');
    } catch {
      throw new ValidationFailedError([{ path: ['payload'], rule: 'invalid_json', message: 'must be the interaction as JSON' }]);
    }
    // Only button presses on Firebreak's messages mean anything here; other kinds are received and left.
    if ((payload as { type?: unknown } | null)?.type !== 'block_actions') return;
    const pressed = formFields(BlockActionsSchema, payload as Record<string, unknown>);
    this.checkResponseUrl(pressed.response_url);
    if (!this.verifier.firstTime(pressed.trigger_id)) return;
    this.actions.interaction(pressed);
  }

  private checkResponseUrl(url: string): void {
    if (!this.responses.allows(url)) {
      throw new ValidationFailedError([{ path: ['response_url'], rule: 'origin', message: 'must be a Slack response URL (https://hooks.slack.com/…)' }]);
    }
  }
}
