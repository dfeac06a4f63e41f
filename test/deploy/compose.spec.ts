/**
 * docker-compose.yml and the Dockerfile cannot be run here (no container engine), so this
 * checks what drifts silently: pinned images, environment variables that are real settings,
 * the search attributes registered against core/model/search-attributes.ts, the build, the
 * depends_on graph, and the entry points against the TypeScript sources. Each check reports
 * a readable problem; the mutation cases below prove the checks can fail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Config, ConfigSchema, loadConfig } from '../../core/schemas/config';
import { IntegrationsEnvSchema } from '../../core/schemas/integrations-config';
import { SEARCH_ATTRIBUTES } from '../../core/model/search-attributes';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * Integration settings (the design's "Integration settings" table, read by the worker through
 * core/schemas/integrations-config.ts): `<CAPABILITY>_PROVIDER`, each adapter's variables, and the AWS
 * SDK's credential chain. Listed here rather than imported so the check stands on its own;
 * anything else given to the api or worker must be a key of ConfigSchema. Every entry must be
 * passed to the worker, so this list cannot go stale either.
 */
const INTEGRATION_SETTINGS = [
  'INTEGRATIONS_TIMEOUT_MS',
  'TICKETING_PROVIDER',
  'JIRA_BASE_URL',
  'JIRA_EMAIL',
  'JIRA_API_TOKEN',
  'JIRA_PROJECT_KEY',
  'JIRA_ISSUE_TYPE',
  'JIRA_SEARCH_API',
  'CHAT_PROVIDER',
  'SLACK_BOT_TOKEN',
  'SLACK_API_URL',
  'SLACK_PUBLIC_CHANNELS',
  'VIDEO_PROVIDER',
  'ZOOM_ACCOUNT_ID',
  'ZOOM_CLIENT_ID',
  'ZOOM_CLIENT_SECRET',
  'ZOOM_API_URL',
  'ZOOM_OAUTH_URL',
  'ZOOM_USER_ID',
  'TEAMS_TENANT_ID',
  'TEAMS_CLIENT_ID',
  'TEAMS_CLIENT_SECRET',
  'TEAMS_TEAM_ID',
  'TEAMS_PUBLIC_CHANNELS',
  'TEAMS_CHANNEL_OWNER_ID',
  'TEAMS_MEETING_ORGANIZER_ID',
  'TEAMS_GRAPH_URL',
  'TEAMS_LOGIN_URL',
  'TEAMS_BOT_SERVICE_URL',
  'VIDEO_ROOM_URL_TEMPLATE',
  'VIDEO_ROOM_SECRET',
  'STATUSPAGE_PROVIDER',
  'STATUSPAGE_API_KEY',
  'STATUSPAGE_PAGE_ID',
  'STATUSPAGE_API_URL',
  'DEPLOY_PROVIDER',
  'DEPLOY_POLL_INTERVAL_MS',
  'GITHUB_TOKEN',
  'GITHUB_API_URL',
  'OCTOPUS_URL',
  'OCTOPUS_API_KEY',
  'OCTOPUS_SPACE',
  'SCALING_PROVIDER',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL_ECS',
  'ECS_WAIT_TIMEOUT_MS',
  'ECS_POLL_INTERVAL_MS',
  'MONITORING_PROVIDER',
  'AWS_ENDPOINT_URL_CLOUDWATCH',
  'KUBERNETES_PROVIDER',
  'KUBECONFIG',
  'KUBERNETES_IN_CLUSTER',
  'KUBERNETES_CONTEXT',
  'KUBERNETES_NAMESPACES',
  'KUBERNETES_POLL_INTERVAL_MS',
  'PAGING_PROVIDER',
  'PAGERDUTY_ROUTING_KEY',
  'PAGERDUTY_SERVICE_KEYS',
  'PAGERDUTY_EVENTS_URL',
  'SLACK_DM_PROVIDER',
  'EMAIL_PROVIDER',
  'SMTP_URL',
  'SMTP_FROM',
  'SMS_PROVIDER',
  'VOICE_PROVIDER',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM',
  'TWILIO_API_URL',
  'SSM_PROVIDER',
  'AWS_ENDPOINT_URL_SSM',
  'SSM_POLL_INTERVAL_MS',
  'HTTP_STEP_ALLOWED_HOSTS',
  'HTTP_STEP_SECRETS',
  'HTTP_STEP_MAX_RESPONSE_BYTES',
  // The custom capabilities' own settings (runbooks/capabilities/*.worker.ts).
  'UNLEASH_URL',
  'UNLEASH_API_TOKEN',
  'UNLEASH_PROJECT',
  'UNLEASH_TIMEOUT_MS',
] as const;

/** Settings deliberately not given to the containers, and why. */
const NOT_DEPLOYED: Record<string, string> = {
  DATA_DIR: 'holds only the generated key of `npm start`; compose requires API_KEYS instead',
  OTEL_SERVICE_NAME: 'each process names its spans (firebreak-api, firebreak-worker); one value for both would merge them',
  TEMPORAL_RETENTION_DAYS: "the retention `npm start` gives its own dev server; compose's temporal-setup sets it with NAMESPACE_RETENTION",
};

const SETTINGS = new Set<string>([...Object.keys(ConfigSchema.shape), ...INTEGRATION_SETTINGS]);
/** Node's own variables, allowed as ENV in the Dockerfile. */
const NODE_VARIABLES = new Set(['NODE_ENV', 'NODE_OPTIONS']);
/** Stand-ins for `${NAME:?...}` variables the operator must supply, to validate the rest. */
const REQUIRED_SAMPLES: Record<string, string> = {
  API_KEYS: 'compose-test:admin:Ct4Xm9Qv2Lz7Rk1Wp6Jn3Hb8Gs5Fd0Ea',
  ACK_SIGNING_SECRET: 'compose-test-ack-signing-secret-0123456789',
  POSTGRES_PASSWORD: 'compose-test-postgres-password',
  TEMPORAL_UI_PASSWORD_HASH: '$2a$14$compose.test.bcrypt.hash.of.a.ui.password.0123456789ab',
};
const FLOATING_TAGS = new Set(['latest', 'stable', 'main', 'master', 'edge', 'nightly', 'dev']);
const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
/** How the temporal CLI spells each search attribute type. */
const CLI_TYPE: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};
const ENTRY_POINTS = { api: 'apps/api/src/main.ts', worker: 'apps/worker/src/main.ts' } as const;

type EnvValue = string | number | boolean | null;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: unknown[];
  container_name?: string;
  healthcheck?: { test?: string | string[] };
  restart?: string;
  volumes?: unknown[];
  configs?: Array<string | { source?: string; target?: string }>;
}
interface ComposeFile {
  services?: Record<string, ComposeService>;
  configs?: Record<string, { content?: string; file?: string }>;
}

/** The environment as name → raw value; null means "passed through from the operator". */
function environmentOf(service: ComposeService): Map<string, string | null> {
  const env = new Map<string, string | null>();
  const entries = service.environment ?? {};
  if (Array.isArray(entries)) {
    for (const entry of entries) {
      const at = entry.indexOf('=');
      env.set(at < 0 ? entry : entry.slice(0, at), at < 0 ? null : entry.slice(at + 1));
    }
  } else {
    for (const [name, value] of Object.entries(entries)) env.set(name, value === null ? null : String(value));
  }
  return env;
}

/** Resolves compose interpolation as if the operator set only the required variables. */
function interpolate(value: string): string {
  let out = '';
  for (let at = 0; at < value.length; ) {
    if (value.startsWith('$$', at)) {
      out += '$';
      at += 2;
    } else if (value.startsWith('${', at)) {
      // The matching brace: a default may itself hold ${…} (`${A:-x${B:?…}y}`).
      let depth = 0;
      let end = at;
      for (; end < value.length; end++) {
        if (value.startsWith('${', end)) depth++;
        else if (value[end] === '}' && --depth === 0) break;
      }
      const [, name, op, arg] = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([\s\S]*))?$/.exec(value.slice(at + 2, end)) ?? [];
      if (op === ':-' || op === '-') out += interpolate(arg ?? '');
      else if (op === ':?' || op === '?') {
        const sample = REQUIRED_SAMPLES[name];
        if (sample === undefined) throw new Error(`\${${name}} is required but has no sample in REQUIRED_SAMPLES`);
        out += sample;
      }
      at = end + 1;
    } else {
      out += value[at];
      at += 1;
    }
  }
  return out;
}

/** The environment a container would get when the operator sets only the required variables. */
function resolvedEnvironment(service: ComposeService): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of environmentOf(service)) if (value !== null) env[name] = interpolate(value);
  return env;
}

const commandText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** `name:tag` or `name@sha256:…` with a fixed tag; problems otherwise. */
function imageProblems(where: string, image: string): string[] {
  if (image.includes('$')) return [`${where}: image "${image}" is interpolated, so its version is not pinned here`];
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return [];
  const lastPart = image.split('/').pop() ?? image;
  const colon = lastPart.lastIndexOf(':');
  if (colon < 0) return [`${where}: image "${image}" has no tag (it would float to latest)`];
  const tag = lastPart.slice(colon + 1);
  if (FLOATING_TAGS.has(tag.toLowerCase())) return [`${where}: image "${image}" uses the floating tag "${tag}"`];
  return [];
}

/** Dockerfile instructions with line continuations joined. */
function dockerfileInstructions(text: string): { keyword: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The TypeScript source a compiled `dist/….js` path comes from, per tsconfig.json. */
function sourceOf(jsPath: string): string | undefined {
  const { compilerOptions } = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };
  const outDir = compilerOptions.outDir.replace(/^\.\//, '').replace(/\/$/, '');
  const prefix = `${outDir}/`;
  if (!jsPath.startsWith(prefix) || !jsPath.endsWith('.js')) return undefined;
  return join(compilerOptions.rootDir, jsPath.slice(prefix.length).replace(/\.js$/, '.ts')).replace(/\\/g, '/');
}

/** The compiled entry point a command runs (`node dist/….js`), or undefined. */
function entryPointOf(command: string): string | undefined {
  return /\bnode\s+(?:--?\S+\s+)*(\S+\.js)\b/.exec(command)?.[1];
}

function entryPointProblems(where: string, command: string, expected: string): string[] {
  const script = entryPointOf(command);
  if (!script) return [`${where}: command "${command}" does not run a compiled entry point with node`];
  const source = sourceOf(script);
  if (!source) return [`${where}: ${script} is not under tsconfig.json's outDir`];
  const problems: string[] = [];
  if (!existsSync(join(ROOT, source))) problems.push(`${where}: runs ${script}, but its source ${source} does not exist`);
  if (source !== expected) problems.push(`${where}: runs ${source}, expected ${expected}`);
  return problems;
}

interface DeployFiles {
  compose: string;
  dockerfile: string;
  dockerignore: string;
}

/** Every problem found in the deployment files; empty when they agree with the code. */
function deployProblems({ compose, dockerfile, dockerignore }: DeployFiles): string[] {
  const problems: string[] = [];
  const file = parse(compose) as ComposeFile;
  const services = file.services ?? {};
  const names = new Set(Object.keys(services));
  const dockerInstructions = dockerfileInstructions(dockerfile);

  // Images: compose services and the Dockerfile's base images, all pinned.
  for (const [name, service] of Object.entries(services)) {
    if (service.image) problems.push(...imageProblems(`service ${name}`, service.image));
    else if (!service.build) problems.push(`service ${name}: has neither image nor build`);
  }
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const { args } of dockerInstructions.filter(({ keyword }) => keyword === 'FROM')) {
    const [image, as, stage] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
    if (!stages.has(image)) {
      problems.push(...imageProblems('Dockerfile FROM', image));
      bases.push(image);
    }
    if (as?.toUpperCase() === 'AS' && stage) stages.add(stage);
  }
  for (const base of bases) {
    if (!/^node:20(\.\d+)*-bookworm-slim(@sha256:[0-9a-f]{64})?$/.test(base)) {
      problems.push(`Dockerfile FROM ${base}: expected an official Node 20 bookworm-slim image`);
    }
  }
  const server = services.temporal?.image?.split(':')[1];
  for (const [name, service] of Object.entries(services)) {
    const [repository, tag] = (service.image ?? '').split(':');
    if (repository === 'temporalio/admin-tools' && tag !== server) {
      problems.push(`service ${name}: temporalio/admin-tools:${tag} must match temporalio/server:${server} (schema and CLI follow the server)`);
    }
  }

  // depends_on: known services, known conditions.
  for (const [name, service] of Object.entries(services)) {
    const deps = service.depends_on ?? [];
    const entries: [string, string | undefined][] = Array.isArray(deps)
      ? deps.map((dep) => [dep, undefined])
      : Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition]);
    for (const [dep, condition] of entries) {
      if (!names.has(dep)) problems.push(`service ${name}: depends_on names "${dep}", which is not a service`);
      if (condition !== undefined && !CONDITIONS.has(condition)) {
        problems.push(`service ${name}: depends_on ${dep} has unknown condition "${condition}"`);
      }
    }
  }

  // api and worker: built from the repo's Dockerfile, running the right entry point, with
  // settings only, and values that pass core/schemas/config.ts.
  const cmd = dockerInstructions.filter(({ keyword }) => keyword === 'CMD').pop();
  let defaultCommand = '';
  if (!cmd) problems.push('Dockerfile: no CMD (the default command must run the API)');
  else {
    defaultCommand = cmd.args.startsWith('[') ? (JSON.parse(cmd.args) as string[]).join(' ') : cmd.args;
    problems.push(...entryPointProblems('Dockerfile CMD', defaultCommand, ENTRY_POINTS.api));
  }
  const configs: Partial<Record<keyof typeof ENTRY_POINTS, Config>> = {};
  for (const role of ['api', 'worker'] as const) {
    const service = services[role];
    if (!service) {
      problems.push(`service ${role} is missing`);
      continue;
    }
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    if (!build) problems.push(`service ${role}: not built from the Dockerfile (no build section)`);
    else {
      const context = (build.context ?? '.').replace(/\/$/, '') || '.';
      const dockerfilePath = build.dockerfile ?? 'Dockerfile';
      if (context !== '.' && context !== './') problems.push(`service ${role}: build context "${context}" is not the repository root`);
      if (dockerfilePath !== 'Dockerfile') problems.push(`service ${role}: builds from "${dockerfilePath}", not the repository's Dockerfile`);
    }
    problems.push(
      ...entryPointProblems(`service ${role} command`, commandText(service.command) || defaultCommand, ENTRY_POINTS[role]),
    );
    if (service.restart !== 'unless-stopped') problems.push(`service ${role}: restart should be unless-stopped`);
    if (service.container_name) problems.push(`service ${role}: container_name blocks --scale`);

    for (const name of environmentOf(service).keys()) {
      if (!SETTINGS.has(name)) problems.push(`service ${role}: environment variable ${name} is not a Firebreak setting`);
    }
    try {
      configs[role] = loadConfig(resolvedEnvironment(service));
    } catch (error) {
      problems.push(`service ${role}: settings do not pass core/schemas/config.ts: ${(error as Error).message}`);
    }
  }
  const { api, worker } = configs;
  const passed = new Set(['api', 'worker'].flatMap((role) => [...environmentOf(services[role] ?? {}).keys()]));
  for (const name of Object.keys(ConfigSchema.shape)) {
    if (!passed.has(name) && !(name in NOT_DEPLOYED)) {
      problems.push(`setting ${name} reaches neither api nor worker (pass it through, or list it in NOT_DEPLOYED)`);
    }
  }
  const workerEnv = services.worker ? environmentOf(services.worker) : new Map<string, string | null>();
  for (const name of INTEGRATION_SETTINGS) {
    if (!workerEnv.has(name)) problems.push(`service worker: integration setting ${name} is not passed through`);
  }
  const apiEnv = services.api ? environmentOf(services.api) : new Map<string, string | null>();
  if (!/^\$\{API_KEYS:\?[^}]*\}$/.test(apiEnv.get('API_KEYS') ?? '')) {
    problems.push('service api: API_KEYS must come from the operator\'s environment as ${API_KEYS:?…}');
  }
  for (const role of ['api', 'worker']) {
    const env = services[role] ? environmentOf(services[role]) : new Map<string, string | null>();
    if (!/^\$\{ACK_SIGNING_SECRET:\?[^}]*\}$/.test(env.get('ACK_SIGNING_SECRET') ?? '')) {
      problems.push(`service ${role}: ACK_SIGNING_SECRET must come from the operator's environment as \${ACK_SIGNING_SECRET:?…}, the same for api and worker`);
    }
  }
  if (api) {
    if (api.host !== '0.0.0.0') problems.push(`service api: HOST is ${api.host}; inside a container it must be 0.0.0.0`);
    const health = commandText(services.api?.healthcheck?.test);
    if (!health.includes(`:${api.port}/healthz`)) problems.push(`service api: healthcheck must GET /healthz on port ${api.port}`);
    const targets = (services.api?.ports ?? []).map((port) => String(port).split(':').pop());
    if (!targets.every((target) => target === String(api.port))) {
      problems.push(`service api: published ports ${targets.join(', ')} do not all target PORT ${api.port}`);
    }
  }
  if (worker && (services.worker?.ports ?? []).length > 0) problems.push('service worker: host ports block --scale');
  for (const [role, config] of Object.entries(configs)) {
    if (!config) continue;
    const host = config.temporal.address.split(/:(?=\d+$)/)[0];
    if (!names.has(host)) problems.push(`service ${role}: TEMPORAL_ADDRESS ${config.temporal.address} is not a compose service`);
  }
  if (api && worker) {
    if (api.temporal.namespace !== worker.temporal.namespace) problems.push('api and worker use different TEMPORAL_NAMESPACE');
    if (api.temporal.taskQueue !== worker.temporal.taskQueue) problems.push('api and worker use different TEMPORAL_TASK_QUEUE');
  }

  // Search attributes: registered once, exactly those of core/model/search-attributes.ts, in the
  // namespace Firebreak uses, before the api and worker start.
  const registrars = Object.entries(services).filter(([, service]) =>
    /temporal operator search-attribute create/.test(commandText(service.command) + commandText(service.entrypoint)),
  );
  if (registrars.length !== 1) problems.push(`expected one service registering search attributes, found ${registrars.length}`);
  for (const [name, service] of registrars) {
    const script = commandText(service.command) + '\n' + commandText(service.entrypoint);
    const create = /temporal operator search-attribute create((?:[^\n]*\\\n)*[^\n]*)/.exec(script)?.[1] ?? '';
    const registered = [...create.matchAll(/--name\s+(\S+)\s+--type\s+(\S+)/g)].map(([, saName, type]) => `${saName}:${type}`);
    const expected = SEARCH_ATTRIBUTES.map(({ name: saName, type }) => `${saName}:${CLI_TYPE[type] ?? type}`);
    if (JSON.stringify([...registered].sort()) !== JSON.stringify([...expected].sort())) {
      problems.push(`service ${name}: registers [${registered.join(', ')}], core/model/search-attributes.ts defines [${expected.join(', ')}]`);
    }
    const env = resolvedEnvironment(service);
    if (api && env.TEMPORAL_NAMESPACE !== api.temporal.namespace) {
      problems.push(`service ${name}: registers in namespace "${env.TEMPORAL_NAMESPACE}", the api uses "${api.temporal.namespace}"`);
    }
    for (const role of ['api', 'worker']) {
      const deps = services[role]?.depends_on;
      const condition = deps && !Array.isArray(deps) ? deps[name]?.condition : undefined;
      if (condition !== 'service_completed_successfully') {
        problems.push(`service ${role}: must depend on ${name} with condition service_completed_successfully`);
      }
    }
  }

  // Dockerfile: settings only in ENV, a non-root user, compiled workflows kept.
  for (const { args } of dockerInstructions.filter(({ keyword }) => keyword === 'ENV')) {
    for (const [, name] of args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)) {
      if (!SETTINGS.has(name) && !NODE_VARIABLES.has(name)) problems.push(`Dockerfile ENV ${name} is not a Firebreak setting`);
    }
  }
  const lastStageStart = dockerInstructions.map(({ keyword }) => keyword).lastIndexOf('FROM');
  const runtime = dockerInstructions.slice(lastStageStart);
  const user = runtime.filter(({ keyword }) => keyword === 'USER').pop()?.args;
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push('Dockerfile: the runtime stage must switch to a non-root USER');
  if (!runtime.some(({ keyword, args }) => keyword === 'COPY' && /\S*\/dist\/?\s/.test(`${args} `))) {
    problems.push('Dockerfile: the runtime stage must copy dist/ (the worker bundles dist/workflows at start)');
  }

  problems.push(...productionShapeProblems(file));

  // .dockerignore: an allow-list that lets in every folder tsconfig.build.json compiles.
  const ignore = dockerignore.split('\n').map((line) => line.trim());
  const { include } = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
  for (const folder of include) {
    if (ignore.includes('*') && !ignore.includes(`!${folder}/`) && !ignore.includes(`!${folder}`)) {
      problems.push(`.dockerignore keeps out ${folder}/, which tsconfig.build.json compiles`);
    }
  }
  for (const secret of ['.env', '.data']) {
    if (!ignore.includes('*') && !ignore.some((line) => line.replace(/^\/|\/$/g, '') === secret)) {
      problems.push(`.dockerignore must keep ${secret} out of the build context`);
    }
  }
  return problems;
}

/** The one service that may publish a port beyond loopback: the TLS-terminating, authenticating proxy. */
const PROXY = 'proxy';
/** Services that connect to Temporal's frontend, and so must present a client certificate. */
const TEMPORAL_CLIENTS = ['api', 'worker', 'temporal-ui', 'temporal-setup'] as const;
/** The CLI's, the UI's and Firebreak's names for the client side of mTLS (file paths). */
const CLIENT_TLS = ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_NAME'] as const;
/** The temporalio/server image's variables that make its frontend require client certificates. */
const SERVER_TLS = [
  'TEMPORAL_TLS_SERVER_CERT',
  'TEMPORAL_TLS_SERVER_KEY',
  'TEMPORAL_TLS_SERVER_CA_CERT',
  'TEMPORAL_TLS_FRONTEND_CERT',
  'TEMPORAL_TLS_FRONTEND_KEY',
  'TEMPORAL_TLS_CLIENT1_CA_CERT',
  'TEMPORAL_TLS_FRONTEND_SERVER_NAME',
] as const;
/** Variables that hold a secret by their name (paths to TLS files excepted). */
const isSecretName = (name: string) => !name.startsWith('TEMPORAL_TLS_') && /(PASSWORD|PASSWD|_PWD$|SECRET|TOKEN|API_KEYS?$|_KEY$|DATABASE_URL)/.test(name);

/** Each `${NAME…}` in a value with its operator and default, nested ones included. */
function interpolations(value: string): { name: string; op: string; arg: string }[] {
  const found: { name: string; op: string; arg: string }[] = [];
  for (let at = value.indexOf('${'); at >= 0; at = value.indexOf('${', at + 2)) {
    if (at > 0 && value[at - 1] === '$') continue;
    let depth = 0;
    let end = at;
    for (; end < value.length; end++) {
      if (value.startsWith('${', end)) depth++;
      else if (value[end] === '}' && --depth === 0) break;
    }
    const inner = value.slice(at + 2, end);
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([\s\S]*)$/.exec(inner);
    if (match) found.push({ name: match[1], op: match[2] ?? '', arg: match[3] ?? '' });
  }
  return found;
}

/** `[host_ip, published, target]` of one `ports` entry, interpolated as the operator's environment would. */
function portBinding(entry: unknown): { hostIp: string; spec: string } {
  if (typeof entry === 'object' && entry !== null) {
    const { host_ip: hostIp = '', published = '', target = '' } = entry as { host_ip?: string; published?: string | number; target?: string | number };
    return { hostIp, spec: `${hostIp ? `${hostIp}:` : ''}${published}:${target}` };
  }
  const spec = interpolate(String(entry));
  const parts = spec.split(':');
  return { hostIp: parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':').replace(/^\[|\]$/g, '') : '', spec };
}

/** `source:target[:ro]` volume mounts of a service, by target. */
function mounts(service: ComposeService): { source: string; target: string; readOnly: boolean }[] {
  return (service.volumes ?? []).map((entry) => {
    if (typeof entry === 'object' && entry !== null) {
      const { source = '', target = '', read_only: readOnly = false } = entry as { source?: string; target?: string; read_only?: boolean };
      return { source, target, readOnly };
    }
    const [source, target = '', mode = ''] = String(entry).split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

/**
 * The production shape: nothing published beyond loopback except the proxy; no secret with a
 * default; mTLS between Temporal's frontend and every client, each client's files mounted
 * read-only and the CA's key mounted by the certs job alone; the Temporal UI reachable only
 * through the proxy's password.
 */
function productionShapeProblems(file: ComposeFile): string[] {
  const problems: string[] = [];
  const services = file.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    for (const entry of service.ports ?? []) {
      const { hostIp, spec } = portBinding(entry);
      if (name !== PROXY && hostIp !== '127.0.0.1' && hostIp !== '::1') {
        problems.push(`service ${name}: publishes "${spec}" beyond 127.0.0.1; only the ${PROXY} service may be reachable from the network`);
      }
    }
    for (const [variable, raw] of environmentOf(service)) {
      if (raw === null) continue;
      for (const { name: inner, op, arg } of interpolations(raw)) {
        if (isSecretName(inner) && (op === ':-' || op === '-') && !arg.includes(':?')) {
          problems.push(`service ${name}: ${variable} gives the secret ${inner} a default ("\${${inner}${op}…}"); require it with \${${inner}:?…}`);
        }
      }
      if (isSecretName(variable) && !raw.includes('${')) problems.push(`service ${name}: ${variable} is a secret written into the file; take it from the environment`);
    }
  }

  const env = (name: string) => (services[name] ? environmentOf(services[name]) : new Map<string, string | null>());
  const server = env('temporal');
  if (server.get('TEMPORAL_TLS_REQUIRE_CLIENT_AUTH') !== 'true') problems.push('service temporal: TEMPORAL_TLS_REQUIRE_CLIENT_AUTH must be "true" (the frontend takes only clients with a certificate)');
  for (const variable of SERVER_TLS) if (!server.get(variable)) problems.push(`service temporal: ${variable} is not set (mTLS on the frontend)`);
  const serverName = server.get('TEMPORAL_TLS_FRONTEND_SERVER_NAME');
  for (const client of TEMPORAL_CLIENTS) {
    const clientEnv = env(client);
    for (const variable of CLIENT_TLS) if (!clientEnv.get(variable)) problems.push(`service ${client}: ${variable} is not set (mTLS to Temporal's frontend)`);
    if (clientEnv.get('TEMPORAL_TLS_SERVER_NAME') && clientEnv.get('TEMPORAL_TLS_SERVER_NAME') !== serverName) {
      problems.push(`service ${client}: TEMPORAL_TLS_SERVER_NAME ${clientEnv.get('TEMPORAL_TLS_SERVER_NAME')} is not the frontend's name ${serverName}`);
    }
    for (const variable of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA']) {
      const path = clientEnv.get(variable);
      if (!path) continue;
      const mount = mounts(services[client] ?? {}).find(({ target }) => path.startsWith(`${target.replace(/\/$/, '')}/`));
      if (!mount) problems.push(`service ${client}: ${variable} ${path} is on no mounted volume`);
      else if (!mount.readOnly) problems.push(`service ${client}: the volume holding ${variable} must be mounted read-only`);
    }
  }
  for (const [name, service] of Object.entries(services)) {
    const depends = service.depends_on && !Array.isArray(service.depends_on) ? service.depends_on : {};
    if (mounts(service).some(({ source }) => source === 'certs-ca') && name !== 'certs') problems.push(`service ${name}: mounts certs-ca, the CA's private key; only the certs job may`);
    if (name === 'temporal' && depends.certs?.condition !== 'service_completed_successfully') problems.push('service temporal: must depend on certs with condition service_completed_successfully');
  }

  // Incidents' task priority (SEV0–SEV1 first) needs the priority matcher in the server's dynamic config.
  const temporalCommand = [services.temporal?.command ?? []].flat().join('\n');
  if (!temporalCommand.includes("'matching.useNewMatcher:\\n  - value: true\\n'")) {
    problems.push('service temporal: its dynamic config does not set matching.useNewMatcher: true (task priority)');
  }

  const ui = services['temporal-ui'];
  if ((ui?.ports ?? []).length > 0) problems.push('service temporal-ui: is published; it has no login of its own, so only the proxy may reach it');
  const proxy = services[PROXY];
  const caddyfile = (proxy?.configs ?? [])
    .map((entry) => (typeof entry === 'string' ? entry : entry.source))
    .map((source) => (source ? (file.configs?.[source]?.content ?? '') : ''))
    .join('\n');
  if (!proxy) problems.push(`no ${PROXY} service in front of the Temporal UI`);
  else {
    if (!/reverse_proxy\s+temporal-ui:\d+/.test(caddyfile)) problems.push(`service ${PROXY}: its Caddyfile does not front temporal-ui`);
    if (!/basic_auth\s*\{[^}]*\S+\s+\S+[^}]*\}/.test(caddyfile)) problems.push(`service ${PROXY}: the Temporal UI is not behind basic_auth`);
    if (!/^\$\{TEMPORAL_UI_PASSWORD_HASH:\?[^}]*\}$/.test(environmentOf(proxy).get('TEMPORAL_UI_PASSWORD_HASH') ?? '')) {
      problems.push(`service ${PROXY}: TEMPORAL_UI_PASSWORD_HASH must come from the operator's environment as \${TEMPORAL_UI_PASSWORD_HASH:?…}`);
    }
  }
  return problems;
}

const actual = (): DeployFiles => ({
  compose: read('docker-compose.yml'),
  dockerfile: read('Dockerfile'),
  dockerignore: read('.dockerignore'),
});

/** A copy of the real files with one edit; the edit must apply, or the case proves nothing. */
function mutate(target: keyof DeployFiles, from: string | RegExp, to: string): DeployFiles {
  const files = actual();
  const changed = files[target].replace(from, to);
  if (changed === files[target]) throw new Error(`mutation did not apply: ${String(from)}`);
  return { ...files, [target]: changed };
}

describe('deployment files', () => {
  it('agree with the code', () => {
    expect(deployProblems(actual())).toEqual([]);
  });

  it('list every integration setting the worker reads', () => {
    const known = new Set<string>([...INTEGRATION_SETTINGS, ...Object.keys(ConfigSchema.shape)]);
    expect(Object.keys(IntegrationsEnvSchema.shape).filter((name) => !known.has(name))).toEqual([]);
  });

  it('register every search attribute with the type core/model/search-attributes.ts gives it', () => {
    expect(SEARCH_ATTRIBUTES.length).toBeGreaterThan(0);
    const compose = read('docker-compose.yml');
    for (const { name, type } of SEARCH_ATTRIBUTES) expect(compose).toMatch(new RegExp(`--name ${name} --type ${CLI_TYPE[type]}\\b`));
  });

  it('are validated by core/schemas/config.ts for the api and the worker', () => {
    const { services = {} } = parse(read('docker-compose.yml')) as ComposeFile;
    const service = (name: string) => {
      const found = services[name];
      if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
      return found;
    };
    const api = loadConfig(resolvedEnvironment(service('api')));
    expect(api.host).toBe('0.0.0.0');
    expect(api.temporal.address).toBe('temporal:7233');
    expect(api.apiKeys?.map(({ name }) => name)).toEqual(['compose-test']);
    expect(loadConfig(resolvedEnvironment(service('worker'))).temporal.address).toBe('temporal:7233');
    for (const role of ['api', 'worker']) {
      expect(loadConfig(resolvedEnvironment(service(role))).temporal.tls).toEqual({
        clientCertPair: { certPath: '/tls/tls.crt', keyPath: '/tls/tls.key' },
        caPath: '/tls/ca.crt',
        serverName: 'temporal',
      });
    }
  });
});

describe('the checks fail when the files drift', () => {
  const cases: [string, DeployFiles, RegExp][] = [
    ['an image on latest', mutate('compose', /temporalio\/ui:[\w.]+/, 'temporalio/ui:latest'), /temporalio\/ui:latest.*floating tag/],
    ['an image without a tag', mutate('compose', /postgres:[\w.-]+/, 'postgres'), /"postgres" has no tag/],
    ['admin-tools and server apart', mutate('compose', /temporalio\/server:[\w.]+/, 'temporalio/server:1.99.0'), /must match temporalio\/server/],
    ['a Dockerfile base on latest', mutate('dockerfile', /node:[\w.-]+ AS runtime/, 'node:latest AS runtime'), /Dockerfile FROM.*floating tag/],
    ['an unknown variable', mutate('compose', /(\n {6})LOG_LEVEL: /, '$1LOG_LEVL: x$1LOG_LEVEL: '), /LOG_LEVL is not a Firebreak setting/],
    ['a setting left out', mutate('compose', /\n {6}TEMPORAL_RPC_TIMEOUT_MS:/, ''), /setting TEMPORAL_RPC_TIMEOUT_MS reaches neither api nor worker/],
    ['an integration setting left out', mutate('compose', /\n {6}PAGERDUTY_EVENTS_URL:/, ''), /PAGERDUTY_EVENTS_URL is not passed through/],
    ['an invalid setting value', mutate('compose', /(\n {2}api:\n(?:.*\n)*? {6}TEMPORAL_ADDRESS: )temporal:7233/, '$1temporal'), /service api: settings do not pass.*TEMPORAL_ADDRESS/s],
    ['a default API key', mutate('compose', /\$\{API_KEYS:\?[^}]*\}/, 'ops:admin:defaultkey1'), /API_KEYS must come from the operator/],
    ['api and worker on different queues', mutate('compose', /(\n {2}worker:\n(?:.*\n)*? {6}TEMPORAL_TASK_QUEUE: )\$\{TEMPORAL_TASK_QUEUE:-firebreak\}/, '$1other'), /different TEMPORAL_TASK_QUEUE/],
    ['a renamed search attribute', mutate('compose', '--name FirebreakCommander', '--name FirebreakOwner'), /registers \[.*FirebreakOwner:Keyword.*\], core\/model\/search-attributes\.ts defines/],
    ['a search attribute left out', mutate('compose', / \\\n\s+--name FirebreakService --type Keyword/, ''), /core\/model\/search-attributes\.ts defines/],
    ['a wrong search attribute type', mutate('compose', '--name FirebreakStatus --type Keyword', '--name FirebreakStatus --type Text'), /FirebreakStatus:Text/],
    ['depends_on a missing service', mutate('compose', /( {6})temporal-setup:\n( {8}condition: service_completed_successfully)/, '$1temporal-init:\n$2'), /depends_on names "temporal-init"/],
    ['a missing entry point', mutate('compose', 'dist/apps/worker/src/main.js', 'dist/apps/worker/src/start.js'), /apps\/worker\/src\/start\.ts does not exist/],
    ['the worker running the API', mutate('compose', 'dist/apps/worker/src/main.js', 'dist/apps/api/src/main.js'), /service worker command: runs apps\/api\/src\/main\.ts, expected apps\/worker/],
    ['a CMD that does not exist', mutate('dockerfile', /(CMD \[.*)dist\/apps\/api\/src\/main\.js/, '$1dist/apps/api/main.js'), /Dockerfile CMD: runs dist\/apps\/api\/main\.js, but its source apps\/api\/main\.ts does not exist/],
    ['another Dockerfile', mutate('compose', /(\n {2}api:\n(?:.*\n)*? {6}dockerfile: )Dockerfile\n/, '$1Dockerfile.dev\n'), /builds from "Dockerfile\.dev"/],
    ['a worker with a fixed name', mutate('compose', /(\n {2}worker:\n)/, '$1    container_name: firebreak-worker\n'), /service worker: container_name blocks --scale/],
    ['a root runtime user', mutate('dockerfile', /\nUSER node\n/, '\nUSER root\n'), /non-root USER/],
    ['a folder the build context leaves out', mutate('dockerignore', '!workflows/\n', ''), /keeps out workflows\//],
    ['the API on every interface', mutate('compose', '"127.0.0.1:${FIREBREAK_API_PORT:-3000}:3000"', '"${FIREBREAK_API_PORT:-3000}:3000"'), /service api: publishes "3000:3000" beyond 127\.0\.0\.1/],
    ['the Temporal UI published', mutate('compose', /(\n {2}temporal-ui:\n(?:.*\n)*? {4}restart: unless-stopped\n)/, '$1    ports:\n      - "127.0.0.1:8088:8080"\n'), /temporal-ui: is published/],
    ['the frontend published', mutate('compose', /(\n {2}temporal:\n {4}image: [^\n]+\n)/, '$1    ports:\n      - "7233:7233"\n'), /service temporal: publishes "7233:7233"/],
    ['a default database password', mutate('compose', 'POSTGRES_PWD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}', 'POSTGRES_PWD: ${POSTGRES_PASSWORD:-temporal}'), /POSTGRES_PWD gives the secret POSTGRES_PASSWORD a default/],
    ['a password in the file', mutate('compose', 'SQL_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}', 'SQL_PASSWORD: temporal'), /SQL_PASSWORD is a secret written into the file/],
    ['a frontend that does not ask for certificates', mutate('compose', 'TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: "true"', 'TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: "false"'), /TEMPORAL_TLS_REQUIRE_CLIENT_AUTH must be "true"/],
    ['a worker without its certificate', mutate('compose', /(\n {2}worker:\n(?:.*\n)*?) {6}TEMPORAL_TLS_CERT: [^\n]+\n/, '$1'), /service worker: TEMPORAL_TLS_CERT is not set/],
    ['certificates on a writable mount', mutate('compose', '- api-tls:/tls:ro', '- api-tls:/tls'), /service api: the volume holding TEMPORAL_TLS_CERT must be mounted read-only/],
    ['the CA key mounted by the API', mutate('compose', '- api-tls:/tls:ro', '- api-tls:/tls:ro\n      - certs-ca:/ca:ro'), /service api: mounts certs-ca/],
    ['the UI without a password', mutate('compose', /basic_auth \{[^}]*\}/, ''), /the Temporal UI is not behind basic_auth/],
    ['no priority matcher', mutate('compose', "'matching.useNewMatcher:\\n  - value: true\\n'", "'# defaults\\n'"), /matching\.useNewMatcher: true/],
    ['a default UI password hash', mutate('compose', /\$\{TEMPORAL_UI_PASSWORD_HASH:\?[^}]*\}/, '${TEMPORAL_UI_PASSWORD_HASH:-x}'), /TEMPORAL_UI_PASSWORD_HASH must come from the operator/],
  ];

  it.each(cases)('%s', (_label, files, problem) => {
    const problems = deployProblems(files);
    expect(problems.join('\n')).toMatch(problem);
  });
});
