/**
 * A real OpenID provider for tests (`oidc-provider` in its own process, see
 * oidc-provider-process.ts), and a cookie-keeping client that follows redirects as a
 * browser does, for sign-ins through it without a browser.
 *
 * The provider signs in, without a form, the user the authorization request's `login_hint`
 * names (`alice` by default) and grants every scope asked for. Tests may shift its clock
 * (the tokens it issues then carry shifted times) and have its next token response carry
 * another ID token (one minted for another client).
 */
import { join } from 'node:path';
import { spawnTypeScript, type TypeScriptChild } from './child-process';

export interface OidcTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OidcTestProvider {
  /** `http://127.0.0.1:<port>`: the issuer, and the base of its discovery document. */
  issuer: string;
  /** Shifts the provider's clock by `offsetSeconds` (0 puts it back). */
  setClock(offsetSeconds: number): Promise<void>;
  /** The next token response carries `idToken` instead of the one the provider made. */
  replaceNextIdToken(idToken: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a provider with `clients` and `users` (account id → claims: `email`, `preferred_username`, `groups`, …). */
export async function startOidcProvider(settings: { clients: OidcTestClient[]; users: Record<string, Record<string, unknown>> }): Promise<OidcTestProvider> {
  const child: TypeScriptChild = spawnTypeScript(join(__dirname, 'oidc-provider-process.ts'), { OIDC_TEST_PROVIDER: JSON.stringify(settings) });
  const port = new Promise<number>((resolve) => {
    child.process.stdout!.on('data', (chunk: Buffer) => {
      const ready = /ready (\d+)/.exec(chunk.toString());
      if (ready) resolve(Number(ready[1]));
    });
  });
  await child.ready;
  const issuer = `http://127.0.0.1:${await port}`;
  const control = async (path: string, body: unknown) => {
    const answer = await fetch(`${issuer}/__test/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (answer.status !== 204) throw new Error(`the test provider answered ${answer.status} to ${path}`);
  };
  return {
    issuer,
    setClock: (offsetSeconds) => control('clock', { offsetSeconds }),
    replaceNextIdToken: (idToken) => control('next-id-token', { idToken }),
    stop: () => child.kill(),
  };
}

interface StoredCookie {
  value: string;
  path: string;
}

export interface BrowserStep {
  url: string;
  status: number;
  location?: string;
  setCookies: string[];
}

/**
 * Requests as a browser makes them: cookies kept per host name (ports share them, as in
 * browsers) and sent back by path, redirects followed by hand so each step can be looked at.
 * `origins` maps an origin to where it is really served (a public URL in front of a test API).
 */
export class CookieBrowser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  constructor(private readonly origins: Record<string, string> = {}) {}

  /** The cookies this browser holds for `host` (a host name), by name. */
  cookies(host: string): Record<string, string> {
    return Object.fromEntries([...(this.jar.get(host) ?? new Map<string, StoredCookie>())].map(([name, cookie]) => [name, cookie.value]));
  }

  /** One GET, without following a redirect. */
  async get(url: string, headers: Record<string, string> = {}): Promise<BrowserStep & { text: string; headers: Headers }> {
    const target = new URL(url);
    const served = this.origins[target.origin] ? new URL(`${this.origins[target.origin]}${target.pathname}${target.search}`) : target;
    const cookie = this.cookieHeader(target);
    const response = await fetch(served, { redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) this.store(target, line);
    const location = response.headers.get('location') ?? undefined;
    return { url, status: response.status, location: location ? new URL(location, target).href : undefined, setCookies, text: await response.text(), headers: response.headers };
  }

  /**
   * Follows redirects from `url` until an answer that is not one, or until `stopAt` says a
   * URL is not to be requested (then that URL is the last step's location). At most 20 steps.
   */
  async follow(url: string, stopAt: (url: URL) => boolean = () => false): Promise<{ steps: BrowserStep[]; last: BrowserStep & { text: string } }> {
    const steps: BrowserStep[] = [];
    let next = url;
    for (let hop = 0; hop < 20; hop += 1) {
      const step = await this.get(next);
      steps.push(step);
      if (step.status < 300 || step.status >= 400 || !step.location || stopAt(new URL(step.location))) return { steps, last: step };
      next = step.location;
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  private cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.hostname);
    if (!cookies) return '';
    return [...cookies]
      .filter(([, cookie]) => url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const attribute = (key: string) => attributes.find((part) => part.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    const gone = (maxAge !== undefined && Number(maxAge) <= 0) || (maxAge === undefined && expires !== undefined && Date.parse(expires) <= Date.now());
    const cookies = this.jar.get(url.hostname) ?? new Map<string, StoredCookie>();
    this.jar.set(url.hostname, cookies);
    if (gone) cookies.delete(name);
    else cookies.set(name, { value, path: attribute('path') ?? '/' });
  }
}
