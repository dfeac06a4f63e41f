/**
 * Console sessions end to end: an API key exchanged for a cookie, the cookie accepted with
 * the key's role, CSRF on every change made with it, sign-out on this replica and another,
 * expiry, and a key removed from API_KEYS ending its sessions.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../src/app';
import { keyTag, sessionKeyFrom, signSessionCookie } from '../src/session/session-cookie';
import type { Config } from '../../../core/schemas/config';
import { TEST_ACK_SECRET, TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { runbookCatalog } from '../../../test/runbooks/catalog';
import { waitFor } from '../../../test/wait';

interface Signed {
  /** `name=value`, as a browser sends it back. */
  cookie: string;
  csrf: string;
  setCookie: string;
  body: { name: string; role: string; expiresAt: string; csrfToken: string };
}

/** Another API process on the same Temporal and task queue, with its own settings. */
async function replica(config: Config): Promise<{ http: HttpClient; app: INestApplication }> {
  const app = await createApiApp(config, { operator: testOperatorConfig(), runbooks: runbookCatalog() });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { http: new HttpClient(`http://127.0.0.1:${port}`), app };
}

describe('console sessions', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });
  const anonymous = () => e2e.firebreak.http.as(undefined);

  async function signIn(key: string, http = anonymous()): Promise<Signed> {
    const answer = await http.post('/v1/session', { key });
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0], csrf: answer.body.csrfToken, setCookie, body: answer.body };
  }

  const withCookie = (signed: Pick<Signed, 'cookie'>, csrf?: string) => ({ cookie: signed.cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) });

  it('signs in with each role and sets an HttpOnly, SameSite=Strict cookie for SESSION_TTL_HOURS', async () => {
    for (const [role, name] of [['admin', 'ops'], ['responder', 'alertmanager'], ['viewer', 'dashboard']] as const) {
      const before = Date.now();
      const signed = await signIn(TEST_KEYS[role]);
      expect(signed.body).toEqual({ name, role, expiresAt: expect.any(String), csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const ttlMs = Date.parse(signed.body.expiresAt) - before;
      expect(ttlMs).toBeGreaterThan(12 * 3600_000 - 60_000);
      expect(ttlMs).toBeLessThanOrEqual(12 * 3600_000 + 60_000);
      const attributes = signed.setCookie.split(';').map((part) => part.trim());
      expect(signed.cookie).toMatch(/^firebreak_session=v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=43200']));
      // PUBLIC_URL is http here: no Secure (a browser would not send it back).
      expect(attributes).not.toContain('Secure');
      expect(signed.setCookie).not.toContain(TEST_KEYS[role]);

      const me = await anonymous().get('/v1/session', withCookie(signed));
      expect(me.status).toBe(200);
      expect(me.body).toEqual(signed.body);
    }
  });

  it('marks the cookie Secure, with the __Host- prefix, when PUBLIC_URL is https', async () => {
    const secure = await replica({ ...e2e.firebreak.config, publicUrl: 'https://firebreak.example' });
    try {
      const answer = await secure.http.post('/v1/session', { key: TEST_KEYS.viewer });
      const setCookie = answer.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^__Host-firebreak_session=v1\./);
      expect(setCookie.split('; ')).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure']));
      expect(setCookie).not.toMatch(/Domain=/i);
      const cookie = setCookie.split(';')[0];
      expect((await secure.http.get('/v1/session', { cookie })).status).toBe(200);
      // The plain name is not read there: a cookie without the prefix could have been set by a sibling host.
      expect((await secure.http.get('/v1/session', { cookie: cookie.replace(/^__Host-/, '') })).status).toBe(401);
    } finally {
      await secure.app.close();
    }
  });

  it('takes the key from the Authorization header too, and refuses a wrong or missing key', async () => {
    const byHeader = await e2e.firebreak.as('viewer').post('/v1/session', {});
    expect(byHeader.status).toBe(200);
    expect(byHeader.body).toMatchObject({ name: 'dashboard', role: 'viewer' });
    const noBody = await e2e.firebreak.as('viewer').request('POST', '/v1/session');
    expect(noBody.status).toBe(200);
    expect(noBody.body).toMatchObject({ name: 'dashboard', role: 'viewer' });

    const wrong = await anonymous().post('/v1/session', { key: 'not-a-key-of-ours-123' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(wrong.text).not.toContain('not-a-key-of-ours-123');

    const missing = await anonymous().post('/v1/session', {});
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([expect.objectContaining({ path: 'key', rule: 'required' })]);
    expect((await anonymous().post('/v1/session', { key: 'x'.repeat(5000) })).body.issues).toEqual([expect.objectContaining({ path: 'key', rule: 'too_big' })]);
    expect((await anonymous().get('/v1/session')).status).toBe(401);

    // A sender's key opens no session: it could only see refusals.
    const sender = await anonymous().post('/v1/session', { key: TEST_KEYS.sender });
    expect(sender.status).toBe(403);
    expect(sender.body.message).toMatch(/^a sender key sends alerts and pings heartbeats; sign in to the console with a person's key/);
    expect(sender.headers.get('set-cookie')).toBeNull();
  });

  it('limits sign-in attempts per client IP, like every call without a valid key', async () => {
    const limited = await replica({ ...e2e.firebreak.config, rateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await limited.http.post('/v1/session', { key: `guess-${attempt}-0123456789` })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.app.close();
    }
  });

  it('lets the cookie read with the key\'s role, and refuses a viewer\'s cookie an action', async () => {
    const viewer = await signIn(TEST_KEYS.viewer);
    const read = await anonymous().get('/v1/incidents?pageSize=1', withCookie(viewer));
    expect(read.status).toBe(200);
    expect((await anonymous().get('/v1/runbooks', withCookie(viewer))).status).toBe(200);
    // The calendar feed's own guard takes the session too: past it, an unknown schedule is a 404.
    expect((await anonymous().get('/v1/schedules/no-such-schedule/calendar.ics')).status).toBe(401);
    expect((await anonymous().get('/v1/schedules/no-such-schedule/calendar.ics', withCookie(viewer))).status).toBe(404);

    const declare = await anonymous().post('/v1/incidents', { title: 'from a viewer', severity: 'SEV3' }, withCookie(viewer, viewer.csrf));
    expect(declare.status).toBe(403);
    expect(declare.body.message).toMatch(/needs the incident\.declare right \(responder, commander, admin\); "dashboard" is viewer/);
  });

  it('refuses a change made with the cookie but without its CSRF token, and changes nothing', async () => {
    const responder = await signIn(TEST_KEYS.responder);
    const other = await signIn(TEST_KEYS.responder);
    const service = `csrf-${randomUUID().slice(0, 8)}`;
    const body = { title: 'CSRF check', severity: 'SEV3', service };

    const none = await anonymous().post('/v1/incidents', body, withCookie(responder));
    expect(none.status).toBe(403);
    expect(none.body.message).toMatch(/X-CSRF-Token/);
    // Another session's token is no token of this one.
    expect((await anonymous().post('/v1/incidents', body, withCookie(responder, other.csrf))).status).toBe(403);
    expect((await anonymous().post('/v1/incidents', body, withCookie(responder, `${responder.csrf}x`))).status).toBe(403);

    const declared = await anonymous().post('/v1/incidents', body, withCookie(responder, responder.csrf));
    expect(declared.status).toBe(201);
    const listed = await waitFor('the declared incident in the list', async () => {
      const { body: page } = await e2e.viewer.get(`/v1/incidents?service=${service}`);
      return page.incidents.length > 0 ? page.incidents : undefined;
    });
    // Only the request with the token declared anything, as the key's name.
    expect(listed.map((incident: { id: string }) => incident.id)).toEqual([declared.body.id]);
    expect((await e2e.viewer.get(`/v1/incidents/${declared.body.id}`)).body.timeline[0].actor).toBe('alertmanager');
  });

  it('needs no CSRF token from a request that sends its key', async () => {
    const responder = await signIn(TEST_KEYS.responder);
    // The header wins over the cookie: a key request is never a browser's forged one.
    const declared = await e2e.responder.post('/v1/incidents', { title: 'key and cookie', severity: 'SEV4' }, { cookie: responder.cookie });
    expect(declared.status).toBe(201);
  });

  it('signs out: the same cookie no longer works, here at once and on another replica within the cache bound', async () => {
    const other = await replica({ ...e2e.firebreak.config, sessionRevocationCacheMs: 500 });
    try {
      const signed = await signIn(TEST_KEYS.responder);
      // The other replica has read the ended sessions (none yet) before the sign-out.
      expect((await other.http.get('/v1/session', withCookie(signed))).status).toBe(200);

      const refused = await anonymous().request('DELETE', '/v1/session', undefined, withCookie(signed));
      expect(refused.status).toBe(403);
      expect((await anonymous().get('/v1/session', withCookie(signed))).status).toBe(200);

      const out = await anonymous().request('DELETE', '/v1/session', undefined, withCookie(signed, signed.csrf));
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^firebreak_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict$/);

      const after = await anonymous().get('/v1/session', withCookie(signed));
      expect(after.status).toBe(401);
      expect(after.body.message).toMatch(/signed out/);
      expect((await anonymous().get('/v1/incidents', withCookie(signed))).status).toBe(401);
      expect((await anonymous().post('/v1/incidents', { title: 'after sign-out', severity: 'SEV4' }, withCookie(signed, signed.csrf))).status).toBe(401);

      await waitFor('the other replica to refuse the cookie', async () => (await other.http.get('/v1/incidents', withCookie(signed))).status === 401, {
        timeoutMs: 10_000,
      });
      // Signing out again is no error; a session signed in afterwards works.
      expect((await anonymous().request('DELETE', '/v1/session', undefined, withCookie(signed, signed.csrf))).status).toBe(204);
      const again = await signIn(TEST_KEYS.responder, other.http);
      expect((await anonymous().get('/v1/session', withCookie(again))).status).toBe(200);
    } finally {
      await other.app.close();
    }
  });

  it('honours the expiry and refuses a cookie it did not sign', async () => {
    const sessionKey = sessionKeyFrom(TEST_ACK_SECRET);
    const claims = {
      id: 'expired-session-0000000',
      name: 'alertmanager',
      role: 'responder' as const,
      keyTag: keyTag(sessionKey, TEST_KEYS.responder),
      issuedAt: Date.now() - 13 * 3600_000,
      expiresAt: Date.now() - 3600_000,
    };
    const expired = await anonymous().get('/v1/incidents', { cookie: `firebreak_session=${signSessionCookie(sessionKey, claims)}` });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/);

    const live = signSessionCookie(sessionKey, { ...claims, id: 'live-session-00000000000', expiresAt: Date.now() + 3600_000 });
    expect((await anonymous().get('/v1/incidents?pageSize=1', { cookie: `firebreak_session=${live}` })).status).toBe(200);
    const forged = signSessionCookie('another-key', { ...claims, expiresAt: Date.now() + 3600_000 });
    expect((await anonymous().get('/v1/incidents', { cookie: `firebreak_session=${forged}` })).status).toBe(401);
    const promoted = live.replace(/^v1\.[^.]+/, `v1.${Buffer.from(JSON.stringify({ s: 'x', n: 'alertmanager', r: 'admin', k: claims.keyTag, i: 0, e: Date.now() + 3600_000 })).toString('base64url')}`);
    expect((await anonymous().get('/v1/incidents', { cookie: `firebreak_session=${promoted}` })).status).toBe(401);
  });

  it('ends the sessions of a key removed from API_KEYS, or given another role', async () => {
    const viewer = await signIn(TEST_KEYS.viewer);
    const responder = await signIn(TEST_KEYS.responder);
    // The same deployment restarted with the viewer's key gone and the responder's demoted.
    const changed = await replica({
      ...e2e.firebreak.config,
      apiKeys: [
        { name: 'ops', role: 'admin', key: TEST_KEYS.admin },
        { name: 'alertmanager', role: 'viewer', key: TEST_KEYS.responder },
      ],
    });
    try {
      const removed = await changed.http.get('/v1/incidents', withCookie(viewer));
      expect(removed.status).toBe(401);
      expect(removed.body.message).toMatch(/no longer configured/);
      expect((await changed.http.get('/v1/incidents', withCookie(responder))).status).toBe(401);
      // The key itself still works there, with its new role.
      expect((await changed.http.as(TEST_KEYS.responder).get('/v1/incidents?pageSize=1')).status).toBe(200);
    } finally {
      await changed.app.close();
    }
  });
});
