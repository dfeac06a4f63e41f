import { type ApiKey, type Config, SECRET_VARIABLES } from '../../../../core/schemas/config';
import { Secret } from '../../../../core/schemas/integrations-config';

/** Environment variables whose values are credentials by their name (webhook signing secrets, tokens, keys). */
const SECRET_VARIABLE = /(SECRET|TOKEN|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|ROUTING_KEY)S?$/;

/** How deep the settings are searched for {@link Secret}s. */
const MAX_DEPTH = 8;

/**
 * Every secret value a process is configured with, for the log formatter to redact: the
 * {@link Secret}s anywhere in `settings` (integration settings, webhook secrets), the secret
 * fields of {@link Config}, the API keys in use, the values of the variables config.ts keeps
 * secret and of those named like credentials; and the password of any of them that is a URL.
 */
export function secretValues(options: {
  config: Config;
  apiKeys?: readonly ApiKey[];
  settings?: readonly unknown[];
  env?: Record<string, string | undefined>;
}): string[] {
  const { config, apiKeys = config.apiKeys ?? [], settings = [], env = {} } = options;
  const values = [
    ...apiKeys.map((apiKey) => apiKey.key),
    config.grafanaWebhookSecret,
    config.ackSigningSecret,
    config.slackSigningSecret,
    config.oidc?.clientSecret.reveal(),
    ...Object.entries(env).filter(([name]) => SECRET_VARIABLE.test(name) || SECRET_VARIABLES.has(name)).map(([, value]) => value),
  ];
  for (const setting of settings) collectSecrets(setting, values, 0, new Set());
  const secrets = values.filter((value): value is string => typeof value === 'string' && value.length > 0);
  return [...new Set([...secrets, ...secrets.flatMap(urlPasswords)])];
}

/** The password in `postgres://user:password@host/db`, `smtp://…`, as written and decoded. */
function urlPasswords(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]*@/i.test(value)) return [];
  try {
    const { password } = new URL(value);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

function collectSecrets(value: unknown, into: Array<string | undefined>, depth: number, seen: Set<object>): void {
  if (value instanceof Secret) {
    into.push(value.reveal());
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH || seen.has(value)) return;
  seen.add(value);
  const children = value instanceof Map ? value.values() : Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  for (const child of children) collectSecrets(child, into, depth + 1, seen);
}

const isPlainObject = (value: object) => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};
