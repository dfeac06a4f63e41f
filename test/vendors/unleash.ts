/**
 * Unleash's admin API, the part the feature-flags capability uses
 * (runbooks/capabilities/feature-flags.worker.ts): read a flag in an environment
 * (`GET /api/admin/projects/:project/features/:flag/environments/:environment`) and turn it on
 * or off (`POST …/on`, `POST …/off`). Like Unleash, it takes the API token as the whole
 * `Authorization` header, answers 404 for a project, flag or environment it does not know,
 * and turning a flag the way it is already is no change. Each change counts as an effect
 * (`flag.on`, `flag.off`).
 */
import { StubRejection, StubServer } from './stub-server';

export const UNLEASH_TOKEN = '*:*.unleash-admin-token-0123456789abcdef';

/** The settings that point the capability at a stub at `url`. */
export const unleashSettings = (url: string, extra: Record<string, string> = {}) => ({
  UNLEASH_URL: url,
  UNLEASH_API_TOKEN: UNLEASH_TOKEN,
  ...extra,
});

const ENV_PATH = '/api/admin/projects/:project/features/:flag/environments/:environment';

/** Flags by `<project>/<flag>/<environment>`: whether each is on. */
export type UnleashFlags = Map<string, boolean>;
export const flagKey = (project: string, flag: string, environment: string) => `${project}/${flag}/${environment}`;

export async function startUnleashStub(initial: Record<string, boolean> = {}) {
  const flags: UnleashFlags = new Map(Object.entries(initial));
  const stub = new StubServer({
    vendor: 'Unleash',
    authorize: ({ headers }) => headers.authorization === UNLEASH_TOKEN,
    unauthorized: { status: 401, body: { name: 'AuthenticationRequired', message: 'You must log in to use Unleash.' } },
    notFound: { status: 404, body: { name: 'NotFoundError', message: 'The path you were looking for is not available.' } },
  });
  const find = ({ project, flag, environment }: Record<string, string>) => {
    const key = flagKey(project, flag, environment);
    if (!flags.has(key)) {
      throw new StubRejection({ status: 404, body: { name: 'NotFoundError', message: `Could not find feature flag with name ${flag} in ${environment}` } });
    }
    return key;
  };
  stub.route('read', 'GET', ENV_PATH, ({ params }) => {
    const key = find(params);
    return { body: { name: params.environment, environment: params.environment, featureName: params.flag, enabled: flags.get(key), type: 'production', strategies: [] } };
  });
  for (const [route, on] of [['on', true], ['off', false]] as const) {
    stub.route(route, 'POST', `${ENV_PATH}/${route}`, ({ params }) => {
      const key = find(params);
      if (flags.get(key) !== on) {
        flags.set(key, on);
        stub.effect(`flag.${route}`);
      }
      return { body: { name: params.flag, project: params.project, enabled: on } };
    });
  }
  await stub.start();
  return { stub, flags };
}
