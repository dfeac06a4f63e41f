/**
 * A real OpenID provider (`oidc-provider`) in a process of its own: the package is ESM only,
 * which Node requires natively and jest's module system does not. Started by
 * {@link startOidcProvider} in oidc-provider.ts, which describes the settings it reads.
 * Prints `ready <port>` once listening on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Settings {
  clients: Array<{ client_id: string; client_secret: string; redirect_uris: string[] }>;
  users: Record<string, Record<string, unknown>>;
}

const realNow = Date.now.bind(Date);
/** The provider's clock is this far from the machine's: tokens it issues carry shifted times. */
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;

/** An ID token the next token response carries instead of its own (one response only). */
let nextIdToken: string | undefined;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.OIDC_TEST_PROVIDER ?? '{}') as Settings;
  // Loaded by Node itself: a require of an ES module (Node 20.19+).
  // Named through a variable: the package has no types, and only this process loads it.
  const packageName = 'oidc-provider';
  const { default: Provider } = (await import(packageName)) as { default: new (issuer: string, configuration: object) => any };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: settings.clients.map((client) => ({ ...client, token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'], response_types: ['code'] })),
    cookies: { keys: ['oidc-test-provider-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username', 'name'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, id: string) {
      const user = settings.users[id];
      if (!user) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...user }) };
    },
  });
  provider.use(async (ctx: { path: string; body?: unknown }, next: () => Promise<void>) => {
    await next();
    if (ctx.path === '/token' && nextIdToken !== undefined && ctx.body && typeof ctx.body === 'object' && 'id_token' in ctx.body) {
      ctx.body = { ...ctx.body, id_token: nextIdToken };
      nextIdToken = undefined;
    }
  });
  const callback = provider.callback() as (request: IncomingMessage, response: ServerResponse) => void;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'POST' && path === '/__test/clock') {
      offsetMs = Number((await readJson(request)).offsetSeconds ?? 0) * 1000;
      response.writeHead(204).end();
      return;
    }
    if (request.method === 'POST' && path === '/__test/next-id-token') {
      nextIdToken = String((await readJson(request)).idToken);
      response.writeHead(204).end();
      return;
    }
    if (request.method === 'GET' && path.startsWith('/interaction/')) {
      await interact(request, response);
      return;
    }
    callback(request, response);
  }

  /** Signs in the user the authorization request's `login_hint` names, and grants what the client asked for: no forms. */
  async function interact(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(request, response);
    const { prompt, params, session } = details as {
      prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
      params: { client_id: string; login_hint?: string };
      session?: { accountId: string };
    };
    if (prompt.name === 'login') {
      const accountId = params.login_hint ?? 'alice';
      if (!settings.users[accountId]) {
        await provider.interactionFinished(request, response, { error: 'access_denied', error_description: 'no such user' }, { mergeWithLastSubmission: false });
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: session!.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = (await grant.save()) as string;
    await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  console.log(`ready ${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
