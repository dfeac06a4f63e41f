/**
 * GitHub's REST API as the GitHub deploy adapter uses it (docs.github.com/rest/deployments):
 * list and create deployments of a repository, list a deployment's statuses; a token in
 * the Authorization header. Tests seed deployments (and their statuses, as a CD system would).
 */
import { type StubRequest, StubRejection, StubServer } from './stub-server';

export const GITHUB_TOKEN = 'ghp_stubtoken0123456789abcdefghijklmnop';

/** The settings that point the GitHub deploy adapter at a stub at `url`. */
export const githubSettings = (url: string) => ({ DEPLOY_PROVIDER: 'github', GITHUB_TOKEN, GITHUB_API_URL: url });

export interface GithubDeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  task: string;
  payload: unknown;
  description: string | null;
  created_at: string;
  /** Newest first. */
  statuses: Array<{ id: number; state: string; created_at: string }>;
}

export async function startGithubStub(owner = 'acme', repo = 'shop') {
  const deployments: GithubDeploymentRecord[] = [];
  const refs = new Map<string, string>();
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tick = () => new Date((clock += 60_000)).toISOString();
  const stub = new StubServer({
    vendor: 'GitHub',
    authorize: (request) => /^(token|bearer) (.+)$/i.exec(String(request.headers.authorization))?.[2] === GITHUB_TOKEN,
    unauthorized: { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } },
  });
  const repository = ({ params }: StubRequest) => {
    if (params.owner !== owner || params.repo !== repo) throw new StubRejection({ status: 404, body: { message: 'Not Found' } });
  };
  const deployment = (request: StubRequest) => {
    repository(request);
    const found = deployments.find((d) => d.id === Number(request.params.id));
    if (!found) throw new StubRejection({ status: 404, body: { message: 'Not Found' } });
    return found;
  };
  const view = ({ statuses: _, ...rest }: GithubDeploymentRecord) => rest;

  stub
    .route('listDeployments', 'GET', '/repos/:owner/:repo/deployments', (request) => {
      repository(request);
      const environment = request.query.get('environment');
      const perPage = Number(request.query.get('per_page') ?? 30);
      const matching = deployments.filter((d) => !environment || d.environment === environment);
      return { body: [...matching].reverse().slice(0, perPage).map(view) };
    })
    .route('createDeployment', 'POST', '/repos/:owner/:repo/deployments', (request) => {
      repository(request);
      const { body } = request;
      const sha = refs.get(body?.ref) ?? (/^[0-9a-f]{40}$/.test(body?.ref ?? '') ? body.ref : undefined);
      if (!sha) throw new StubRejection({ status: 422, body: { message: `No ref found for: ${body?.ref}` } });
      const created = record(sha, body.ref, body.environment ?? 'production', body.payload ?? {}, body.task ?? 'deploy', body.description ?? null);
      stub.effect('deployment.create');
      return { status: 201, body: view(created) };
    })
    .route('listStatuses', 'GET', '/repos/:owner/:repo/deployments/:id/statuses', (request) => ({ body: deployment(request).statuses }));

  function record(sha: string, ref: string, environment: string, payload: unknown, task = 'deploy', description: string | null = null) {
    const created: GithubDeploymentRecord = { id: deployments.length + 1, sha, ref, environment, task, payload, description, created_at: tick(), statuses: [] };
    deployments.push(created);
    return created;
  }

  /** What a CD system does: report a state on a deployment (and supersede older successes). */
  const report = (id: number, state: string) => {
    const target = deployments.find((d) => d.id === id)!;
    if (state === 'success') {
      for (const other of deployments) {
        if (other !== target && other.environment === target.environment && other.statuses[0]?.state === 'success') {
          other.statuses.unshift({ id: Math.floor(Math.random() * 1e9), state: 'inactive', created_at: tick() });
        }
      }
    }
    target.statuses.unshift({ id: Math.floor(Math.random() * 1e9), state, created_at: tick() });
  };

  /** A deployment made by someone else, with the states its CD system reported. */
  const seed = (sha: string, ref: string, states: string[], environment = 'production') => {
    refs.set(ref, sha);
    const created = record(sha, ref, environment, {});
    for (const state of states) report(created.id, state);
    return created;
  };

  await stub.start();
  return { stub, deployments, seed, report, owner, repo };
}
