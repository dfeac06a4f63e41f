/**
 * Octopus Deploy's REST API as `@octopusdeploy/api-client` calls it for the Octopus deploy
 * adapter: the root document, spaces, projects and environments by name, a project's
 * releases by version, a release, deployments filtered by project, environment and task
 * state, the executions API's untenanted deploy command, and server tasks; the API key in
 * the `X-Octopus-ApiKey` header, errors as `{ ErrorMessage, Errors }`. Tests seed releases and
 * past deployments. The task of a deployment the API creates runs the states scripted for
 * its release (by default Queued, Executing, Success), one each time the task is read, so a
 * poller sees it advance without the test sleeping.
 */
import { type StubRequest, StubRejection, StubServer } from './stub-server';

export const OCTOPUS_API_KEY = 'API-STUBKEY0123456789ABCDEFGHIJ';
export const OCTOPUS_SPACE_ID = 'Spaces-1';

/** The settings that point the Octopus deploy adapter at a stub at `url`. */
export const octopusSettings = (url: string) => ({ DEPLOY_PROVIDER: 'octopus', OCTOPUS_URL: url, OCTOPUS_API_KEY, OCTOPUS_SPACE: 'Default' });

/** Octopus's server task states (the client's `TaskState`). */
const TASK_STATES = new Set(['Queued', 'Executing', 'Cancelling', 'Success', 'Failed', 'TimedOut', 'Canceled']);
const FINAL = new Set(['Success', 'Failed', 'TimedOut', 'Canceled']);

/** What a deployment's task does, state by state; a script that stops short of a final state hangs there. */
export interface TaskScript {
  states: string[];
  /** The task's `ErrorMessage` once it fails. */
  error?: string;
}

interface Named {
  Id: string;
  Name: string;
  SpaceId: string;
}

interface ReleaseRecord {
  Id: string;
  Version: string;
  ProjectId: string;
  ChannelId: string;
  SpaceId: string;
  Assembled: string;
}

interface DeploymentRecord {
  Id: string;
  Name: string;
  SpaceId: string;
  ProjectId: string;
  EnvironmentId: string;
  ReleaseId: string;
  TaskId: string;
  Created: string;
  Comments: string;
}

interface TaskRecord {
  Id: string;
  Description: string;
  State: string;
  ErrorMessage: string;
  pending: string[];
  error: string;
}

const page = <T>(items: T[], request: StubRequest) => {
  const skip = Number(request.query.get('skip') ?? 0);
  const take = Number(request.query.get('take') ?? 30);
  const shown = items.slice(skip, skip + take);
  return { ItemType: 'Resource', TotalResults: items.length, ItemsPerPage: take, NumberOfPages: Math.ceil(items.length / take) || 1, LastPageNumber: 0, Items: shown, Links: {} };
};
const listed = (request: StubRequest, name: string) => request.query.get(name)?.split(',').filter(Boolean);
const partial = (name: string, request: StubRequest) => name.toLowerCase().includes((request.query.get('partialName') ?? '').toLowerCase());

export async function startOctopusStub({ space = 'Default', projects = ['shop'], environments = ['Production', 'Staging'] } = {}) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tick = () => new Date((clock += 60_000)).toISOString();
  const ids = new Map<string, number>();
  const nextId = (kind: string) => {
    ids.set(kind, (ids.get(kind) ?? 0) + 1);
    return `${kind}-${ids.get(kind)}`;
  };
  const spaces: Named[] = [{ Id: OCTOPUS_SPACE_ID, Name: space, SpaceId: OCTOPUS_SPACE_ID }];
  const projectList: Named[] = projects.map((name) => ({ Id: nextId('Projects'), Name: name, SpaceId: OCTOPUS_SPACE_ID }));
  const environmentList: Named[] = environments.map((name) => ({ Id: nextId('Environments'), Name: name, SpaceId: OCTOPUS_SPACE_ID }));
  const releases: ReleaseRecord[] = [];
  const deployments: DeploymentRecord[] = [];
  const tasks: TaskRecord[] = [];
  const scripts = new Map<string, TaskScript>();
  let defaultScript: TaskScript = { states: ['Queued', 'Executing', 'Success'] };

  const stub = new StubServer({
    vendor: 'Octopus',
    authorize: (request) => request.headers['x-octopus-apikey'] === OCTOPUS_API_KEY,
    unauthorized: { status: 401, body: { ErrorMessage: 'You must be logged in to perform this action. Please provide a valid API key or log in again.', Errors: [] } },
    notFound: { status: 404, body: { ErrorMessage: 'The resource you requested was not found.', Errors: [] } },
  });
  const notFound = (what: string) => new StubRejection({ status: 404, body: { ErrorMessage: `The resource '${what}' was not found.`, Errors: [] } });
  const badRequest = (message: string, errors: string[] = []) =>
    new StubRejection({ status: 400, body: { ErrorMessage: message, Errors: errors } });
  const inSpace = (request: StubRequest) => {
    if (request.params.spaceId !== OCTOPUS_SPACE_ID) throw notFound(request.params.spaceId);
  };
  const newestFirst = <T extends { Created?: string; Assembled?: string }>(items: T[]) =>
    [...items].sort((a, b) => Date.parse(b.Created ?? b.Assembled ?? '') - Date.parse(a.Created ?? a.Assembled ?? ''));
  const task = (state: string, description: string, pending: string[] = [], error = ''): TaskRecord => {
    const created: TaskRecord = { Id: nextId('ServerTasks'), Description: description, State: state, ErrorMessage: '', pending, error };
    if (state === 'Failed' || state === 'TimedOut' || state === 'Canceled') created.ErrorMessage = error;
    tasks.push(created);
    return created;
  };
  const taskView = ({ pending: _, error: __, ...rest }: TaskRecord) => ({
    ...rest,
    Name: 'Deploy',
    IsCompleted: FINAL.has(rest.State),
    FinishedSuccessfully: rest.State === 'Success',
    HasPendingInterruptions: false,
    HasWarningsOrErrors: rest.State !== 'Success' && FINAL.has(rest.State),
    Arguments: {},
    Links: {},
  });
  const deploy = (project: Named, release: ReleaseRecord, environment: Named, run: TaskRecord) => {
    const created: DeploymentRecord = {
      Id: nextId('Deployments'),
      Name: `Deploy to ${environment.Name}`,
      SpaceId: OCTOPUS_SPACE_ID,
      ProjectId: project.Id,
      EnvironmentId: environment.Id,
      ReleaseId: release.Id,
      TaskId: run.Id,
      Created: tick(),
      Comments: '',
    };
    deployments.push(created);
    return created;
  };

  stub
    .route('root', 'GET', '/api', () => ({
      body: { Application: 'Octopus Deploy', Version: '2025.2.9876', ApiVersion: '3.0.0', InstallationId: 'stub-installation', Links: {} },
    }))
    .route('listSpaces', 'GET', '/api/spaces', (request) => ({ body: page(spaces.filter((s) => partial(s.Name, request)), request) }))
    .route('listProjects', 'GET', '/api/:spaceId/projects', (request) => {
      inSpace(request);
      return { body: page(projectList.filter((p) => partial(p.Name, request)), request) };
    })
    .route('listEnvironments', 'GET', '/api/:spaceId/environments', (request) => {
      inSpace(request);
      return { body: page(environmentList.filter((e) => partial(e.Name, request)), request) };
    })
    .route('listProjectReleases', 'GET', '/api/:spaceId/projects/:projectId/releases', (request) => {
      inSpace(request);
      if (!projectList.some((p) => p.Id === request.params.projectId)) throw notFound(request.params.projectId);
      const version = request.query.get('searchByVersion') ?? '';
      const matching = releases.filter((r) => r.ProjectId === request.params.projectId && r.Version.includes(version));
      return { body: page(newestFirst(matching), request) };
    })
    .route('getRelease', 'GET', '/api/:spaceId/releases/:id', (request) => {
      inSpace(request);
      const found = releases.find((r) => r.Id === request.params.id);
      if (!found) throw notFound(request.params.id);
      return { body: found };
    })
    .route('listDeployments', 'GET', '/api/:spaceId/deployments', (request) => {
      inSpace(request);
      const [projectIds, environmentIds] = [listed(request, 'projects'), listed(request, 'environments')];
      const state = request.query.get('taskState');
      if (state && !TASK_STATES.has(state)) throw badRequest(`"${state}" is not a valid task state.`);
      const matching = deployments.filter(
        (d) =>
          (!projectIds || projectIds.includes(d.ProjectId)) &&
          (!environmentIds || environmentIds.includes(d.EnvironmentId)) &&
          (!state || tasks.find((t) => t.Id === d.TaskId)?.State === state),
      );
      return { body: page(newestFirst(matching), request) };
    })
    .route('createDeployment', 'POST', '/api/:spaceId/deployments/create/untenanted/v1', (request) => {
      inSpace(request);
      const body = request.body as Record<string, unknown> | undefined;
      if (body?.spaceIdOrName !== space && body?.spaceIdOrName !== OCTOPUS_SPACE_ID) throw badRequest('The space was not specified or is not known.');
      const project = projectList.find((p) => p.Name === body?.ProjectName);
      if (!project) throw badRequest(`Project '${String(body?.ProjectName)}' was not found.`);
      const release = releases.find((r) => r.ProjectId === project.Id && r.Version === body?.ReleaseVersion);
      if (!release) throw badRequest(`Release '${String(body?.ReleaseVersion)}' of project '${project.Name}' was not found.`);
      const names = body?.EnvironmentNames;
      if (!Array.isArray(names) || names.length === 0) throw badRequest('Please specify at least one environment to deploy to.');
      const targets = names.map((name) => environmentList.find((e) => e.Name === name));
      if (targets.some((e) => !e)) throw badRequest(`Environment not found: ${names.join(', ')}`);
      const script = scripts.get(release.Version) ?? defaultScript;
      const made = (targets as Named[]).map((environment) => {
        const run = task('Queued', `Deploy ${project.Name} release ${release.Version} to ${environment.Name}`, [...script.states], script.error ?? '');
        const created = deploy(project, release, environment, run);
        stub.effect('deployment.create');
        return { DeploymentId: created.Id, ServerTaskId: run.Id };
      });
      return { status: 201, body: { DeploymentServerTasks: made } };
    })
    .route('getTask', 'GET', '/api/:spaceId/tasks/:id', (request) => {
      inSpace(request);
      const found = tasks.find((t) => t.Id === request.params.id);
      if (!found) throw notFound(request.params.id);
      const next = found.pending.shift();
      if (next) {
        found.State = next;
        if (next !== 'Success' && FINAL.has(next)) found.ErrorMessage = found.error || `The deployment ${next.toLowerCase()}.`;
      }
      return { body: taskView(found) };
    });

  const projectNamed = (name: string) => {
    const found = projectList.find((p) => p.Name === name);
    if (!found) throw new Error(`the stub has no project ${name}`);
    return found;
  };
  const environmentNamed = (name: string) => {
    const found = environmentList.find((e) => e.Name === name);
    if (!found) throw new Error(`the stub has no environment ${name}`);
    return found;
  };

  /** A release of `project`. */
  const release = (project: string, version: string) => {
    const created: ReleaseRecord = {
      Id: nextId('Releases'),
      Version: version,
      ProjectId: projectNamed(project).Id,
      ChannelId: 'Channels-1',
      SpaceId: OCTOPUS_SPACE_ID,
      Assembled: tick(),
    };
    releases.push(created);
    return created;
  };

  /** A past deployment of `version` (a release made if need be) whose task ended `state`. */
  const seed = (project: string, version: string, environment: string, state: 'Success' | 'Failed' | 'Canceled' | 'TimedOut' | 'Executing') => {
    const owner = projectNamed(project);
    const found = releases.find((r) => r.ProjectId === owner.Id && r.Version === version) ?? release(project, version);
    const place = environmentNamed(environment);
    return deploy(owner, found, place, task(state, `Deploy ${project} release ${version} to ${environment}`, [], 'Seeded failure'));
  };

  /** How tasks of deployments of `version` created from now on run (of any version without one, when omitted). */
  const runWith = (script: TaskScript, version?: string) => {
    for (const state of script.states) if (!TASK_STATES.has(state)) throw new Error(`Octopus has no task state "${state}"`);
    if (version === undefined) defaultScript = script;
    else scripts.set(version, script);
  };

  /** The task of a deployment, as the stub holds it. */
  const taskOf = (deploymentId: string) => tasks.find((t) => t.Id === deployments.find((d) => d.Id === deploymentId)?.TaskId);

  await stub.start();
  return { stub, deployments, releases, release, seed, runWith, taskOf, projects: projectList, environments: environmentList };
}
