/**
 * Single sign-on end to end, against a real OpenID provider (oidc-provider) in its own
 * process: the full sign-in through redirects, with a client that keeps cookies as a browser
 * does; the session it opens reads, acts with its CSRF token within its role and is refused
 * beyond it; and a wrong audience, an expired ID token, a state or nonce of another sign-in
 * and a group that maps to no role each end with no session and no token shown.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createApiApp } from '../src/app';
import { loadConfig } from '../../../core/schemas/config';
import { useTestFirebreak } from '../../../test/firebreak';
import { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { runbookCatalog } from '../../../test/runbooks/catalog';
import { CookieBrowser, type OidcTestProvider, startOidcProvider } from '../../../test/vendors/oidc-provider';

/** Where people reach this Firebreak: a public URL in front of the test API, as behind a proxy. */
const PUBLIC_URL = 'http://firebreak.test';
const CALLBACK = `${PUBLIC_URL}/v1/session/oidc/callback`;
const CLIENT = { client_id: 'firebreak', client_secret: 'firebreak-client-secret-0123456789abcdef', redirect_uris: [CALLBACK] };
/** Another application at the same provider: its ID tokens are not for Firebreak. */
const OTHER = { client_id: 'other-app', client_secret: 'other-app-secret-0123456789abcdef', redirect_uris: ['http://other.test/callback'] };
const USERS = {
  alice: { preferred_username: 'alice@example.com', email: 'alice@example.com', groups: ['eng', 'sre-leads'] },
  bob: { email: 'bob@example.com', groups: ['eng'] },
  mallory: { preferred_username: 'mallory', email: 'mallory@example.com', groups: ['marketing'] },
};

describe('single sign-on (OpenID Connect)', () => {
  let provider: OidcTestProvider;
  const env: Record<string, string> = { PUBLIC_URL };
  beforeAll(async () => {
    provider = await startOidcProvider({ clients: [CLIENT, OTHER], users: USERS });
    Object.assign(env, {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: CLIENT.client_id,
      OIDC_CLIENT_SECRET: CLIENT.client_secret,
      OIDC_ROLES: 'sre-leads:commander,sre:responder,eng:viewer',
      OIDC_SCOPES: 'openid profile email groups',
    });
  });
  afterAll(() => provider?.stop());
  const e2e = useTestFirebreak({ env, operator: testOperatorConfig() });

  const browser = () => new CookieBrowser({ [PUBLIC_URL]: e2e.firebreak.http.baseUrl });
  const api = () => e2e.firebreak.http.as(undefined);

  /** Starts a sign-in as `user` and follows it to the provider's redirect back, not requested yet. */
  async function toCallback(user: string, options: { browser?: CookieBrowser; authorize?: (url: URL) => void } = {}) {
    const person = options.browser ?? browser();
    const start = await person.get(`${PUBLIC_URL}/v1/session/oidc?returnTo=/incidents`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    authorize.searchParams.set('login_hint', user);
    options.authorize?.(authorize);
    const { last } = await person.follow(authorize.href, (url) => url.href.startsWith(CALLBACK));
    expect(last.location).toMatch(new RegExp(`^${CALLBACK}\\?`));
    return { person, start, authorize, callback: last.location! };
  }

  const sessionCookieOf = (person: CookieBrowser) => person.cookies('firebreak.test').firebreak_session;

  it('says single sign-on is offered, and starts it with PKCE, state and nonce in a Lax flow cookie', async () => {
    expect((await api().get('/v1/session/methods')).body).toEqual({ apiKey: true, sso: true });
    const person = browser();
    const start = await person.get(`${PUBLIC_URL}/v1/session/oidc`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.location!);
    expect(authorize.origin).toBe(provider.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      client_id: 'firebreak',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid profile email groups',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      state: expect.any(String),
      nonce: expect.any(String),
    });
    expect(start.setCookies).toHaveLength(1);
    expect(start.setCookies[0].split('; ')).toEqual(expect.arrayContaining(['Path=/v1/session/oidc', 'HttpOnly', 'SameSite=Lax', 'Max-Age=600']));
    // The verifier is in the cookie, never in the address.
    expect(start.location).not.toContain(JSON.parse(Buffer.from(start.setCookies[0].split('=')[1].split('.')[1], 'base64url').toString()).v);
  });

  it('signs a person in through the provider: the same session as a key, named after them, with the highest role their groups map to', async () => {
    const { person, callback } = await toCallback('alice');
    const finish = await person.get(callback);
    expect(finish.status).toBe(302);
    expect(finish.location).toBe(`${PUBLIC_URL}/incidents`);
    const session = finish.setCookies.find((line) => line.startsWith('firebreak_session='))!;
    expect(session.split('; ')).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']));
    // The flow is used up.
    expect(finish.setCookies).toContainEqual(expect.stringMatching(/^firebreak_oidc=; Max-Age=0; Path=\/v1\/session\/oidc/));
    expect(person.cookies('firebreak.test')).toEqual({ firebreak_session: expect.any(String) });

    const cookie = `firebreak_session=${sessionCookieOf(person)}`;
    const me = await api().get('/v1/session', { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ name: 'oidc:alice@example.com', role: 'commander', expiresAt: expect.any(String), csrfToken: expect.any(String) });

    // It reads; it acts with its CSRF token, and the timeline names the person.
    expect((await api().get('/v1/incidents?pageSize=1', { cookie })).status).toBe(200);
    expect((await api().post('/v1/incidents', { title: 'SSO without CSRF', severity: 'SEV4' }, { cookie })).status).toBe(403);
    const declared = await api().post('/v1/incidents', { title: 'declared through SSO', severity: 'SEV4' }, { cookie, 'x-csrf-token': me.body.csrfToken });
    expect(declared.status).toBe(201);
    expect((await e2e.viewer.get(`/v1/incidents/${declared.body.id}`)).body.timeline[0].actor).toBe('oidc:alice@example.com');

    // Signing out ends it.
    expect((await api().request('DELETE', '/v1/session', undefined, { cookie, 'x-csrf-token': me.body.csrfToken })).status).toBe(204);
    expect((await api().get('/v1/session', { cookie })).status).toBe(401);
  });

  it('refuses a person an action their role does not have (a viewer by group)', async () => {
    const { person, callback } = await toCallback('bob');
    expect((await person.get(callback)).status).toBe(302);
    const cookie = `firebreak_session=${sessionCookieOf(person)}`;
    const me = await api().get('/v1/session', { cookie });
    expect(me.body).toMatchObject({ name: 'oidc:bob@example.com', role: 'viewer' });
    expect((await api().get('/v1/runbooks', { cookie })).status).toBe(200);
    const declare = await api().post('/v1/incidents', { title: 'from a viewer', severity: 'SEV4' }, { cookie, 'x-csrf-token': me.body.csrfToken });
    expect(declare.status).toBe(403);
    expect(declare.body.message).toMatch(/responder/);
  });

  it('opens no session for a person whose groups map to no role, and says why', async () => {
    const { person, callback } = await toCallback('mallory');
    const finish = await person.get(callback);
    expect(finish.status).toBe(403);
    expect(finish.headers.get('content-type')).toMatch(/^text\/html/);
    expect(finish.text).toContain('No access to Firebreak');
    expect(finish.text).toContain('no value of your &quot;groups&quot; claim maps to a Firebreak role');
    expect(sessionCookieOf(person)).toBeUndefined();
    expect(finish.setCookies.some((line) => line.startsWith('firebreak_session='))).toBe(false);
  });

  it('refuses an ID token minted for another client (wrong audience)', async () => {
    const { person, authorize, callback } = await toCallback('alice');
    // The provider's own token for the other application, for the same person and nonce.
    await provider.replaceNextIdToken(await idTokenForOtherClient('alice', authorize.searchParams.get('nonce')!));
    const finish = await person.get(callback);
    expect(finish.status).toBe(401);
    expect(finish.text).toContain('issued to another application (audience)');
    expect(sessionCookieOf(person)).toBeUndefined();
    expectNoSecrets(finish.text, callback);
  });

  it('refuses an expired ID token (the provider\'s clock two hours behind)', async () => {
    const { person, callback } = await toCallback('alice');
    await provider.setClock(-2 * 3600);
    try {
      const finish = await person.get(callback);
      expect(finish.status).toBe(401);
      expect(finish.text).toContain('its ID token has expired');
      expect(sessionCookieOf(person)).toBeUndefined();
      expectNoSecrets(finish.text, callback);
    } finally {
      await provider.setClock(0);
    }
  });

  it('refuses an ID token of another sign-in (nonce)', async () => {
    const { person, callback } = await toCallback('alice', { authorize: (url) => url.searchParams.set('nonce', 'a-nonce-of-another-sign-in') });
    const finish = await person.get(callback);
    expect(finish.status).toBe(401);
    expect(finish.text).toContain('belongs to another sign-in (nonce)');
    expect(sessionCookieOf(person)).toBeUndefined();
  });

  it('refuses an answer whose state is not this browser\'s, or a callback this browser did not start', async () => {
    const { person, callback } = await toCallback('alice');
    const wrongState = new URL(callback);
    wrongState.searchParams.set('state', 'state-of-another-sign-in');
    const refused = await person.get(wrongState.href);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('belongs to another sign-in (state)');
    expect(sessionCookieOf(person)).toBeUndefined();
    // The flow cookie is gone with that answer: the genuine redirect back no longer signs in either.
    expect((await person.get(callback)).status).toBe(400);

    // Another browser's code and state, delivered to a browser that started nothing (login CSRF).
    const stolen = await toCallback('mallory');
    const victim = browser();
    const planted = await victim.get(stolen.callback);
    expect(planted.status).toBe(400);
    expect(planted.text).toContain('did not start this sign-in');
    expect(sessionCookieOf(victim)).toBeUndefined();
  });

  it('answers 404 for single sign-on when it is not configured, and says so in the sign-in methods', async () => {
    const config = loadConfig({ ...Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('OIDC_'))), TEMPORAL_ADDRESS: e2e.firebreak.config.temporal.address });
    const app = await createApiApp({ ...e2e.firebreak.config, oidc: config.oidc }, { operator: testOperatorConfig(), runbooks: runbookCatalog() });
    await app.listen(0, '127.0.0.1');
    try {
      const http = new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
      expect((await http.get('/v1/session/methods')).body).toEqual({ apiKey: true, sso: false });
      expect((await http.get('/v1/session/oidc')).status).toBe(404);
      expect((await http.get('/v1/session/oidc/callback?code=x&state=y')).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  /** A full sign-in of the other application, done by hand: its ID token for `user`, with `nonce`. */
  async function idTokenForOtherClient(user: string, nonce: string): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${provider.issuer}/auth`);
    for (const [name, value] of Object.entries({
      client_id: OTHER.client_id,
      redirect_uri: OTHER.redirect_uris[0],
      response_type: 'code',
      scope: 'openid profile email groups',
      state: 'other-state',
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      login_hint: user,
    })) {
      authorize.searchParams.set(name, value);
    }
    const { last } = await new CookieBrowser().follow(authorize.href, (url) => url.origin === 'http://other.test');
    const code = new URL(last.location!).searchParams.get('code')!;
    const token = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: OTHER.redirect_uris[0], code_verifier: verifier, client_id: OTHER.client_id, client_secret: OTHER.client_secret }),
    });
    const body = (await token.json()) as { id_token?: string };
    if (!body.id_token) throw new Error(`the other client got no ID token: ${JSON.stringify(body)}`);
    return body.id_token;
  }

  /** A refusal page shows neither the code from the address nor the client secret. */
  function expectNoSecrets(text: string, callback: string): void {
    expect(text).not.toContain(new URL(callback).searchParams.get('code')!);
    expect(text).not.toContain(CLIENT.client_secret);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  }
});
