/**
 * GitHub's REST API as the GitHub deploy adapter uses it (docs.github.com/rest/deployments):
 * list and create deployments of a repository, list a deployment's statuses; a token in
 * the Authorization header. Tests seed deployments (and their statuses, as a CD system would).
 * A CD system listens for the deployments the API creates: it reports the states scripted for
 * their ref (by default `queued`, `in_progress`, `success`), one each time the deployment's
 * statuses are read, so a poller sees them advance without the test sleeping.
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
  statuses: Array<{ id: number; state: string; description: string | null; created_at: string }>;
  /** What the CD system will still report, one per read of the statuses. */
  pending: string[];
  /** The description the CD system gives its statuses. */
  cdDescription: string | null;
}

/** What the stub's CD system reports on a deployment, in order; a script that stops short of a final state hangs there. */
export interface CdScript {
  states: string[];
  /** The statuses' description, e.g. why the deploy failed. */
  description?: string;
}

/** The valid deployment status states (docs.github.com/rest/deployments/statuses). */
const STATES = new Set(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']);

export async function startGithubStub(owner = 'acme', repo = 'shop') {
  const deployments: GithubDeploymentRecord[] = [];
  const refs = new Map<string, string>();
  const scripts = new Map<string, CdScript>();
  let defaultScript: CdScript = { states: ['queued', 'in_progress', 'success'] };
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
  const view = ({ statuses: _, pending: __, cdDescription: ___, ...rest }: GithubDeploymentRecord) => rest;

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
      const invalid = (field: string) => new StubRejection({ status: 422, body: { message: 'Invalid request.', errors: [`Invalid value for "${field}"`] } });
      if (typeof body?.ref !== 'string' || body.ref === '') throw invalid('ref');
      if (body.environment !== undefined && typeof body.environment !== 'string') throw invalid('environment');
      if (body.required_contexts !== undefined && !Array.isArray(body.required_contexts)) throw invalid('required_contexts');
      if (body.payload !== undefined && (typeof body.payload !== 'object' || body.payload === null)) throw invalid('payload');
      if (body.description !== undefined && String(body.description).length > 140) throw invalid('description');
      const sha = refs.get(body.ref) ?? (/^[0-9a-f]{40}$/.test(body.ref) ? body.ref : undefined);
      if (!sha) throw new StubRejection({ status: 422, body: { message: `No ref found for: ${body.ref}` } });
      const created = record(sha, body.ref, body.environment ?? 'production', body.payload ?? {}, body.task ?? 'deploy', body.description ?? null);
      const script = scripts.get(body.ref) ?? defaultScript;
      created.pending = [...script.states];
      created.cdDescription = script.description ?? null;
      stub.effect('deployment.create');
      return { status: 201, body: view(created) };
    })
    .route('listStatuses', 'GET', '/repos/:owner/:repo/deployments/:id/statuses', (request) => {
      const found = deployment(request);
      const next = found.pending.shift();
      if (next) report(found.id, next, found.cdDescription);
      const perPage = Number(request.query.get('per_page') ?? 30);
      return { body: found.statuses.slice(0, perPage) };
    });

  function record(sha: string, ref: string, environment: string, payload: unknown, task = 'deploy', description: string | null = null) {
    const created: GithubDeploymentRecord = {
      id: deployments.length + 1,
      sha,
      ref,
      environment,
      task,
      payload,
      description,
      created_at: tick(),
      statuses: [],
      pending: [],
      cdDescription: null,
    };
    deployments.push(created);
    return created;
  }

  let statusIds = 0;
  const status = (state: string, description: string | null = null) => ({ id: ++statusIds, state, description, created_at: tick() });

  /**
   * What a CD system does: report a state on a deployment; a success marks the environment's
   * earlier successful deployments inactive, as GitHub's `auto_inactive` does.
   */
  const report = (id: number, state: string, description: string | null = null) => {
    if (!STATES.has(state)) throw new Error(`GitHub has no deployment status state "${state}"`);
    const target = deployments.find((d) => d.id === id)!;
    if (state === 'success') {
      for (const other of deployments) {
        if (other !== target && other.environment === target.environment && other.statuses[0]?.state === 'success') {
          other.statuses.unshift(status('inactive'));
        }
      }
    }
    target.statuses.unshift(status(state, description));
  };

  /** How the CD system answers deployments of `ref` created from now on (of any ref without one, when `ref` is omitted). */
  const deployWith = (script: CdScript, ref?: string) => {
    for (const state of script.states) if (!STATES.has(state)) throw new Error(`GitHub has no deployment status state "${state}"`);
    if (ref === undefined) defaultScript = script;
    else scripts.set(ref, script);
  };

  /** A deployment made by someone else, with the states its CD system reported. */
  const seed = (sha: string, ref: string, states: string[], environment = 'production') => {
    refs.set(ref, sha);
    const created = record(sha, ref, environment, {});
    for (const state of states) report(created.id, state);
    return created;
  };

  await stub.start();
  return { stub, deployments, seed, report, deployWith, owner, repo };
}
