/**
 * Requests made as Slack makes them: form bodies, signed with the app's signing secret
 * (`v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`), for the end-to-end tests of the Slack
 * routes; and a Slack-enabled API beside a test Firebreak.
 */
import { createHmac } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../src/app';
import { loadIntegrationsConfig } from '../../../core/schemas/integrations-config';
import type { OperatorConfig } from '../../../core/schemas/operator-config';
import { TestFirebreak } from '../../../test/firebreak';
import { HttpClient, type HttpAnswer } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { runbookCatalog } from '../../../test/runbooks/catalog';
import { slackSettings, startSlackStub } from '../../../test/vendors/slack';

export const SLACK_SIGNING_SECRET = 'test-slack-signing-secret-8f3a9c2d';

/** The Slack users of the tests: Dana is a responder by her Slack id in responders.ts; the admin and the viewer are chat users; the stranger is nobody. */
export const SLACK_USERS = { dana: 'UDANA0001', admin: 'UADMIN001', viewer: 'UVIEW0001', stranger: 'USTRANGE1' } as const;

export const SLACK_OPERATOR = testOperatorConfig({
  responders: [{ id: 'dana', name: 'Dana Ortiz', timeZone: 'Europe/Berlin', contact: { slack: SLACK_USERS.dana }, rules: [{ method: 'slack', afterMinutes: 0 }] }],
  chatUsers: [
    { slack: SLACK_USERS.admin, name: 'ops-admin', role: 'admin' },
    { slack: SLACK_USERS.viewer, name: 'watcher', role: 'viewer' },
  ],
});

/** An answer posted to a response URL, as the Slack stub recorded it. */
export type SlackAnswer = { response_type?: string; text?: string; replace_original?: boolean; blocks?: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> };

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with another secret (a forgery). */
  secret?: string;
  /** Send this signature instead of the right one. */
  signature?: string;
  /** Mark the request as Slack's retry number `retry`. */
  retry?: number;
}

/** Slack's signature headers for `body`. */
export function slackHeaders(body: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    options.signature ?? `v0=${createHmac('sha256', options.secret ?? SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signature,
    ...(options.retry !== undefined ? { 'x-slack-retry-num': String(options.retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
  };
}

/** A slash command's form body, with the fields Slack sends and Firebreak does not read too. */
export function commandBody(fields: { command: string; text: string; user_id: string; channel_id: string; response_url: string; trigger_id: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    team_domain: 'acme',
    channel_name: 'some-channel',
    user_name: 'someone',
    api_app_id: 'A0001',
    ...fields,
  }).toString();
}

/** A button press's form body: `payload=<json>`. */
export function interactionBody(payload: { user: string; actionId: string; value?: string; responseUrl: string; triggerId: string; channel?: string }): string {
  const json = {
    type: 'block_actions',
    user: { id: payload.user, username: 'someone', team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: payload.channel ?? 'C00000001', is_ephemeral: false },
    trigger_id: payload.triggerId,
    team: { id: 'T0001', domain: 'acme' },
    channel: { id: payload.channel ?? 'C00000001', name: 'some-channel' },
    response_url: payload.responseUrl,
    actions: [
      {
        action_id: payload.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Button', emoji: false },
        ...(payload.value !== undefined ? { value: payload.value } : {}),
        type: 'button',
        action_ts: `${Math.floor(Date.now() / 1000)}.123456`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(json) }).toString();
}

/** A fresh trigger id, shaped like Slack's. */
let triggers = 0;
export const triggerId = () => `${Date.now()}.${++triggers}.${Math.random().toString(16).slice(2, 12)}`;

/** Posts `body` to `path`, signed; with the time to the answer, in milliseconds. */
export async function postSigned(api: HttpClient, path: string, body: string, options: SignOptions = {}): Promise<HttpAnswer & { ms: number }> {
  const started = performance.now();
  const answer = await api.post(path, body, slackHeaders(body, options));
  return { ...answer, ms: performance.now() - started };
}

/**
 * A second API on the test Firebreak's Temporal and task queue, with SLACK_SIGNING_SECRET set
 * and the chat adapter pointed at the Slack stub at `slackUrl` (so its response URLs are
 * allowed). The worker is the test Firebreak's.
 */
export async function startSlackApi(firebreak: TestFirebreak, operator: OperatorConfig, slackUrl: string): Promise<{ app: INestApplication; api: HttpClient }> {
  const app = await createApiApp(
    { ...firebreak.config, slackSigningSecret: SLACK_SIGNING_SECRET },
    { operator, integrations: loadIntegrationsConfig(slackSettings(slackUrl)), runbooks: runbookCatalog() },
  );
  await app.listen(0, '127.0.0.1');
  return { app, api: new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`) };
}

/**
 * For a describe block: the Slack stub, a test Firebreak whose chat adapter is the stub, and
 * a Slack-enabled API beside it (`api`). Fields are set once started: read them in tests.
 */
export function useSlackFirebreak(operator: OperatorConfig = SLACK_OPERATOR): {
  slack: Awaited<ReturnType<typeof startSlackStub>>;
  firebreak: TestFirebreak;
  api: HttpClient;
} {
  const started = {} as ReturnType<typeof useSlackFirebreak> & { app?: INestApplication };
  beforeAll(async () => {
    started.slack = await startSlackStub();
    started.firebreak = await TestFirebreak.start({ operator, integrations: loadIntegrationsConfig(slackSettings(started.slack.stub.url)) });
    const slackApi = await startSlackApi(started.firebreak, operator, started.slack.stub.url);
    started.app = slackApi.app;
    started.api = slackApi.api;
  });
  afterAll(async () => {
    await started.app?.close();
    await started.firebreak?.stop();
    await started.slack?.stub.stop();
  });
  return started;
}
