import fc from 'fast-check';
import { ConfigError, loadConfig, parseOidcRoles } from '../../../../core/schemas/config';
import { claimAt, MAX_PERSON_NAME_BYTES, PERSON_PREFIX, personName, roleFor } from './oidc-claims';
import { returnPath } from './oidc-flow';
import { utf8Bytes } from '../../../../core/model/text';

const SSO = {
  OIDC_ISSUER: 'https://login.example.com/realms/ops',
  OIDC_CLIENT_ID: 'firebreak',
  OIDC_CLIENT_SECRET: 'oidc-client-secret-value',
  OIDC_ROLES: 'sre-leads:commander,sre:responder,eng:viewer',
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('single sign-on settings', () => {
  it('is off without OIDC_ISSUER, and fills its defaults when on', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    const { oidc } = loadConfig(SSO);
    expect(oidc).toMatchObject({
      issuer: 'https://login.example.com/realms/ops',
      clientId: 'firebreak',
      roleClaim: 'groups',
      scopes: 'openid profile email',
      roles: [
        { value: 'sre-leads', role: 'commander' },
        { value: 'sre', role: 'responder' },
        { value: 'eng', role: 'viewer' },
      ],
    });
    // The secret prints as a placeholder wherever the settings are shown.
    expect(oidc!.clientSecret.reveal()).toBe('oidc-client-secret-value');
    expect(JSON.stringify(oidc)).not.toContain('oidc-client-secret-value');
    expect(String(oidc!.clientSecret)).toBe('[secret]');
  });

  it('needs the issuer, client id, secret and roles together, naming each one missing', () => {
    expect(problemsOf({ OIDC_ISSUER: SSO.OIDC_ISSUER })).toEqual([
      expect.stringMatching(/^OIDC_CLIENT_ID: required when OIDC_ISSUER is set/),
      expect.stringMatching(/^OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set/),
      expect.stringMatching(/^OIDC_ROLES: required/),
    ]);
    expect(problemsOf({ OIDC_CLIENT_SECRET: 'x' })).toEqual([
      expect.stringMatching(/^OIDC_ISSUER: required when OIDC_CLIENT_SECRET is set/),
      expect.stringMatching(/^OIDC_CLIENT_ID: required/),
      expect.stringMatching(/^OIDC_ROLES: required/),
    ]);
    expect(problemsOf({ OIDC_ROLES: 'sre:responder' })).toEqual([expect.stringMatching(/^OIDC_ROLES: needs OIDC_ISSUER/)]);
  });

  it('refuses a bad value, naming the variable and never showing the secret', () => {
    expect(problemsOf({ ...SSO, OIDC_ISSUER: 'http://login.example.com' })).toEqual([expect.stringMatching(/^OIDC_ISSUER: must be https:\/\//)]);
    expect(problemsOf({ ...SSO, OIDC_ISSUER: 'http://127.0.0.1:8080/realms/dev' })).toEqual([]);
    expect(problemsOf({ ...SSO, OIDC_ISSUER: 'https://login.example.com/?tenant=1' })).toEqual([expect.stringMatching(/^OIDC_ISSUER: must have no query/)]);
    expect(problemsOf({ ...SSO, OIDC_ISSUER: 'login.example.com' })[0]).toMatch(/^OIDC_ISSUER: must be an absolute URL/);
    expect(problemsOf({ ...SSO, OIDC_SCOPES: 'profile email' })).toEqual([expect.stringMatching(/^OIDC_SCOPES: must include openid/)]);
    expect(problemsOf({ ...SSO, OIDC_ROLE_CLAIM: 'my groups' })).toEqual([expect.stringMatching(/^OIDC_ROLE_CLAIM: must be a claim name/)]);
    expect(problemsOf({ ...SSO, OIDC_ROLES: 'alerting:sender' })).toEqual([expect.stringMatching(/^OIDC_ROLES: entry 1 \(alerting\): role must be one of viewer, responder, commander, admin/)]);
    expect(problemsOf({ ...SSO, OIDC_ROLES: 'sre' })).toEqual([expect.stringMatching(/^OIDC_ROLES: entry 1 must be value:role/)]);
    const secret = 'x'.repeat(2000);
    const problems = problemsOf({ ...SSO, OIDC_CLIENT_SECRET: secret });
    expect(problems).toEqual([expect.stringMatching(/^OIDC_CLIENT_SECRET: /)]);
    expect(problems.join('\n')).not.toContain(secret.slice(0, 100));
  });

  it('maps values that hold a colon, and refuses one mapped twice', () => {
    expect(parseOidcRoles('urn:group:sre:responder, 0b3c-guid:admin')).toEqual([
      { value: 'urn:group:sre', role: 'responder' },
      { value: '0b3c-guid', role: 'admin' },
    ]);
    expect(() => parseOidcRoles('sre:viewer,sre:admin')).toThrow(/already mapped/);
  });
});

describe('single sign-on claims', () => {
  const mappings = parseOidcRoles('sre-leads:commander,sre:responder,eng:viewer,root:admin');

  it('gives the highest role any value maps to, from a list or a single value, at a name or a dotted path', () => {
    expect(roleFor({ groups: ['eng', 'sre-leads', 'sre'] }, 'groups', mappings)).toBe('commander');
    expect(roleFor({ groups: 'eng' }, 'groups', mappings)).toBe('viewer');
    expect(roleFor({ groups: ['marketing', 42, null] }, 'groups', mappings)).toBeUndefined();
    expect(roleFor({}, 'groups', mappings)).toBeUndefined();
    expect(roleFor({ realm_access: { roles: ['root'] } }, 'realm_access.roles', mappings)).toBe('admin');
    // A claim named with dots (Auth0's namespaced claims) is read as itself first.
    expect(claimAt({ 'https://firebreak.example/roles': ['sre'] }, 'https://firebreak.example/roles')).toEqual(['sre']);
    expect(claimAt({ a: ['x'] }, 'a.length')).toBeUndefined();
    expect(claimAt({}, '__proto__.constructor')).toBeUndefined();
  });

  it('names a person by preferred_username, else email, else sub', () => {
    expect(personName({ sub: '1', email: 'bob@example.com', preferred_username: 'bob' })).toBe('oidc:bob');
    expect(personName({ sub: '1', email: 'bob@example.com' })).toBe('oidc:bob@example.com');
    expect(personName({ sub: '00u1abc' })).toBe('oidc:00u1abc');
    expect(personName({ preferred_username: '  ' })).toBeUndefined();
  });

  it('makes every name one clean line within its bound, whatever the provider sends', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (raw) => {
        const name = personName({ preferred_username: raw, sub: 'fallback' })!;
        expect(name.startsWith(PERSON_PREFIX)).toBe(true);
        expect(utf8Bytes(name)).toBeLessThanOrEqual(MAX_PERSON_NAME_BYTES);
        // eslint-disable-next-line no-control-regex
        expect(name).not.toMatch(/[\u0000-\u001F\u007F\u202A-\u202E]/);
      }),
    );
  });

  it('returns only to a path on this origin', () => {
    expect(returnPath('/incidents/inc-1?tab=timeline')).toBe('/incidents/inc-1?tab=timeline');
    for (const away of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/v1/session', '/a\nb', 42, undefined, `/${'a'.repeat(600)}`]) {
      expect(returnPath(away)).toBe('/');
    }
  });
});
