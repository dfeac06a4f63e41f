/**
 * The Kubernetes API as the kubernetes adapter uses it (kubernetes.io/docs/reference/kubernetes-api):
 * apps/v1 deployments (GET; PATCH as a strategic-merge, merge or JSON patch, a
 * `metadata.resourceVersion` in the patch being a precondition: 409 Conflict when it is not
 * the current one), the deployment's `scale` subresource (PATCH), ReplicaSets listed by label
 * selector, and core/v1 pods (by label selector, paged with `limit`) and events (by field
 * selector). A bearer token, from the kubeconfig file the stub writes, in every request;
 * `Status` objects for refusals, as the API server answers.
 *
 * A deployment controller runs inside: a changed template makes (or revives) a ReplicaSet and
 * numbers its revision; each read of a deployment advances its rollout one step (observe the
 * spec, bring up an updated replica, make one available, retire an old one), so a poller sees
 * it progress without the test sleeping. Pods of a crashing template never become ready (they
 * wait in CrashLoopBackOff, their restarts counting up), and a rollout that has not completed
 * within `deadlineReads` reads fails with `ProgressDeadlineExceeded`, as the controller
 * reports it. Side effects count as `deployment.scale`, `deployment.restart` (the
 * `kubectl.kubernetes.io/restartedAt` annotation changed) and `deployment.rollback` (a JSON
 * patch replaced the template).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StubRequest, StubRejection, StubServer } from './stub-server';

export const KUBERNETES_TOKEN = 'kube-stub-token-0123456789abcdef';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const REVISION = 'deployment.kubernetes.io/revision';
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

type Json = Record<string, any>;

interface ReplicaSetRecord {
  uid: string;
  name: string;
  hash: string;
  revision: number;
  /** The template, without the hash label. */
  template: Json;
  /** Its pods: ready ones come first. */
  pods: number;
  ready: number;
  /** Its pods crash (CrashLoopBackOff) instead of becoming ready. */
  crashing: boolean;
  /** Restarts each of its pods has had. */
  restarts: number;
}

interface DeploymentRecord {
  uid: string;
  namespace: string;
  name: string;
  generation: number;
  observedGeneration: number;
  resourceVersion: number;
  replicas: number;
  paused: boolean;
  annotations: Record<string, string>;
  template: Json;
  sets: ReplicaSetRecord[];
  /** Reads since the last change that did not complete the rollout. */
  readsSinceChange: number;
  deadlineExceeded: boolean;
}

interface EventRecord {
  namespace: string;
  kind: string;
  name: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  count: number;
  at: string;
}

export interface SeedOptions {
  namespace?: string;
  name?: string;
  replicas?: number;
  /** The images of its revisions, oldest first; the last one runs. @default ['shop/checkout:1'] */
  images?: string[];
  /**
   * `transient`: the running ReplicaSet's pods crash, and a restart brings up healthy ones;
   * `persistent`: the running image crashes wherever it runs. @default none
   */
  crashLooping?: 'transient' | 'persistent';
  /** Reads of a rollout that has not completed before it fails with ProgressDeadlineExceeded. @default 8 */
  deadlineReads?: number;
  paused?: boolean;
}

export async function startKubernetesStub() {
  const deployments: DeploymentRecord[] = [];
  const events: EventRecord[] = [];
  const crashingImages = new Set<string>();
  const interference = new Map<string, (deployment: DeploymentRecord) => void>();
  const denied = new Set<string>();
  /** Deployments whose controller is stopped: their rollouts stand still until released. */
  const held = new Set<string>();
  let deadlineReads = 8;
  let versions = 100;
  let uids = 0;
  let clock = Date.parse('2026-03-01T10:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString();

  const stub = new StubServer({
    vendor: 'Kubernetes',
    authorize: (request) => request.headers.authorization === `Bearer ${KUBERNETES_TOKEN}`,
    unauthorized: { status: 401, body: status(401, 'Unauthorized', 'Unauthorized') },
    notFound: { status: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') },
  });

  const find = ({ params }: StubRequest) => {
    const found = deployments.find((d) => d.namespace === params.namespace && d.name === params.name);
    if (!found) throw new StubRejection({ status: 404, body: status(404, 'NotFound', `deployments.apps "${params.name}" not found`) });
    return found;
  };
  /** RBAC as the stub's service account has it: `deny('patch', 'deployments')` takes a permission away. */
  const authorize = (verb: string, resource: string, { params }: StubRequest) => {
    if (!denied.has(`${verb} ${resource}`)) return;
    const [plural, subresource] = resource.split('/');
    const group = ['deployments', 'replicasets'].includes(plural) ? 'apps' : '';
    throw new StubRejection({
      status: 403,
      body: status(
        403,
        'Forbidden',
        `${plural}${group ? `.${group}` : ''}${params.name ? ` "${params.name}"` : ''} is forbidden: User "system:serviceaccount:firebreak:worker" cannot ${verb} resource "${plural}"${subresource ? `/${subresource}` : ''} in API group "${group}" in the namespace "${params.namespace}"`,
      ),
    });
  };
  const checkPatchType = (request: StubRequest, allowed: string[]) => {
    const type = String(request.headers['content-type'] ?? '').split(';')[0].trim();
    if (!PATCH_TYPES.includes(type) || !allowed.includes(type)) {
      throw new StubRejection({ status: 415, body: status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${allowed.join(', ')}`) });
    }
    return type;
  };

  stub
    .route('readDeployment', 'GET', '/apis/apps/v1/namespaces/:namespace/deployments/:name', (request) => {
      authorize('get', 'deployments', request);
      const deployment = find(request);
      advance(deployment);
      return { body: view(deployment) };
    })
    .route('patchDeployment', 'PATCH', '/apis/apps/v1/namespaces/:namespace/deployments/:name', (request) => {
      authorize('patch', 'deployments', request);
      const type = checkPatchType(request, PATCH_TYPES);
      const deployment = find(request);
      interfere(deployment);
      const current = view(deployment);
      const patched =
        type === 'application/json-patch+json' ? jsonPatch(current, request.body) : type === 'application/merge-patch+json' ? mergePatch(current, request.body) : strategicMerge(current, request.body);
      precondition(deployment, patched, 'deployments.apps');
      return { body: view(apply(deployment, patched, type)) };
    })
    .route('patchScale', 'PATCH', '/apis/apps/v1/namespaces/:namespace/deployments/:name/scale', (request) => {
      authorize('patch', 'deployments/scale', request);
      const type = checkPatchType(request, PATCH_TYPES);
      const deployment = find(request);
      interfere(deployment);
      const current = scaleView(deployment);
      const patched = type === 'application/json-patch+json' ? jsonPatch(current, request.body) : mergePatch(current, request.body);
      precondition(deployment, patched, 'deployments.apps');
      const replicas = patched.spec?.replicas;
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw new StubRejection({ status: 422, body: status(422, 'Invalid', `Scale.autoscaling "${deployment.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`) });
      }
      apply(deployment, { ...view(deployment), spec: { ...view(deployment).spec, replicas } }, type);
      return { body: scaleView(deployment) };
    })
    .route('listReplicaSets', 'GET', '/apis/apps/v1/namespaces/:namespace/replicasets', (request) => {
      authorize('list', 'replicasets', request);
      const selector = parseSelector(request.query.get('labelSelector'));
      const items = deployments
        .filter((d) => d.namespace === request.params.namespace)
        .flatMap((d) => d.sets.map((set) => replicaSetView(d, set)))
        .filter((set) => matches(set.metadata.labels, selector));
      return { body: { apiVersion: 'apps/v1', kind: 'ReplicaSetList', metadata: { resourceVersion: String(versions) }, items } };
    })
    .route('listPods', 'GET', '/api/v1/namespaces/:namespace/pods', (request) => {
      authorize('list', 'pods', request);
      const selector = parseSelector(request.query.get('labelSelector'));
      const all = deployments
        .filter((d) => d.namespace === request.params.namespace)
        .flatMap((d) => d.sets.flatMap((set) => podsOf(d, set)))
        .filter((pod) => matches(pod.metadata.labels, selector));
      const limit = Number(request.query.get('limit') ?? 0);
      const items = limit > 0 ? all.slice(0, limit) : all;
      const more = items.length < all.length;
      return { body: { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(versions), ...(more ? { continue: 'stub-continue' } : {}) }, items } };
    })
    .route('listEvents', 'GET', '/api/v1/namespaces/:namespace/events', (request) => {
      authorize('list', 'events', request);
      const fields = parseSelector(request.query.get('fieldSelector'));
      const limit = Number(request.query.get('limit') ?? 0);
      const all = events
        .filter((event) => event.namespace === request.params.namespace)
        .map((event, index) => eventView(event, index))
        .filter((event) => matches({ 'involvedObject.kind': event.involvedObject.kind, 'involvedObject.name': event.involvedObject.name }, fields));
      return { body: { apiVersion: 'v1', kind: 'EventList', metadata: { resourceVersion: String(versions) }, items: limit > 0 ? all.slice(0, limit) : all } };
    });

  /** A 409 when the patch carries a resourceVersion other than the current one, as the API server answers. */
  function precondition(deployment: DeploymentRecord, patched: Json, kind: string) {
    const wanted = patched.metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== String(deployment.resourceVersion)) {
      throw new StubRejection({
        status: 409,
        body: status(409, 'Conflict', `Operation cannot be fulfilled on ${kind} "${deployment.name}": the object has been modified; please apply your changes to the latest version and try again`),
      });
    }
  }

  function interfere(deployment: DeploymentRecord) {
    const key = `${deployment.namespace}/${deployment.name}`;
    const change = interference.get(key);
    if (!change) return;
    interference.delete(key);
    change(deployment);
    deployment.resourceVersion = ++versions;
  }

  /** What the API server stores from a patched object: the spec and the annotations; the controller does the rest. */
  function apply(deployment: DeploymentRecord, patched: Json, type: string): DeploymentRecord {
    const replicas = patched.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new StubRejection({ status: 422, body: status(422, 'Invalid', `Deployment.apps "${deployment.name}" is invalid: spec.replicas: Invalid value`) });
    }
    const template = patched.spec?.template;
    if (!template?.metadata?.labels || template.metadata.labels.app !== deployment.name || !Array.isArray(template.spec?.containers) || template.spec.containers.length === 0) {
      throw new StubRejection({
        status: 422,
        body: status(422, 'Invalid', `Deployment.apps "${deployment.name}" is invalid: spec.template.metadata.labels: Invalid value: \`selector\` does not match template \`labels\``),
      });
    }
    let changed = false;
    if (replicas !== deployment.replicas) {
      deployment.replicas = replicas;
      deployment.generation += 1;
      changed = true;
      stub.effect('deployment.scale');
      record(deployment, 'Deployment', deployment.name, 'Normal', 'ScalingReplicaSet', `Scaled replica set ${current(deployment).name} to ${replicas}`);
    }
    // The revision annotation is the controller's own.
    const annotations = { ...patched.metadata?.annotations };
    delete annotations[REVISION];
    if (canonical(annotations) !== canonical(deployment.annotations)) {
      deployment.annotations = annotations;
      changed = true;
    }
    if (Boolean(patched.spec?.paused) !== deployment.paused) {
      deployment.paused = Boolean(patched.spec?.paused);
      deployment.generation += 1;
      changed = true;
    }
    if (canonical(template) !== canonical(deployment.template)) {
      if (template.metadata?.annotations?.[RESTARTED_AT] !== deployment.template.metadata?.annotations?.[RESTARTED_AT]) stub.effect('deployment.restart');
      if (type === 'application/json-patch+json') stub.effect('deployment.rollback');
      deployment.template = structuredClone(template);
      deployment.generation += 1;
      changed = true;
    }
    if (changed) {
      deployment.resourceVersion = ++versions;
      deployment.readsSinceChange = 0;
      deployment.deadlineExceeded = false;
    }
    return deployment;
  }

  /**
   * The ReplicaSet of the deployment's template (made, or revived with the next revision, when
   * the controller observes a new template); until then, the newest one.
   */
  function current(deployment: DeploymentRecord): ReplicaSetRecord {
    const hash = hashOf(deployment.template);
    return deployment.sets.find((set) => set.hash === hash) ?? [...deployment.sets].sort((a, b) => b.revision - a.revision)[0];
  }

  /** One step of the deployment controller, taken on each read. */
  function advance(deployment: DeploymentRecord) {
    if (deployment.paused || held.has(`${deployment.namespace}/${deployment.name}`)) return;
    if (deployment.observedGeneration < deployment.generation) {
      deployment.observedGeneration = deployment.generation;
      const hash = hashOf(deployment.template);
      let set = deployment.sets.find((existing) => existing.hash === hash);
      const revision = Math.max(0, ...deployment.sets.map((existing) => existing.revision)) + 1;
      if (!set) {
        set = { uid: `rs-${++uids}`, name: `${deployment.name}-${hash}`, hash, revision, template: structuredClone(deployment.template), pods: 0, ready: 0, crashing: crashingImages.has(imageOf(deployment.template)), restarts: 0 };
        deployment.sets.push(set);
        record(deployment, 'Deployment', deployment.name, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${set.name} to 1`);
      } else if (set.revision !== Math.max(...deployment.sets.map((existing) => existing.revision))) {
        set.revision = revision;
      }
      return;
    }
    const running = current(deployment);
    const old = deployment.sets.filter((set) => set !== running);
    // RollingUpdate with maxSurge 25% (at least one): no more pods than that over the desired count.
    const total = deployment.sets.reduce((sum, set) => sum + set.pods, 0);
    if (running.pods < deployment.replicas && total < deployment.replicas + Math.max(1, Math.ceil(deployment.replicas / 4))) running.pods += 1;
    else if (running.pods > deployment.replicas) running.pods -= 1;
    running.ready = Math.min(running.ready, running.pods);
    if (running.crashing) {
      running.restarts += 1;
      for (let pod = 0; pod < running.pods; pod += 1) {
        record(deployment, 'Pod', `${running.name}-${pod}`, 'Warning', 'BackOff', `Back-off restarting failed container app in pod ${running.name}-${pod}_${deployment.namespace}`);
      }
    } else if (running.ready < running.pods) {
      running.ready += 1;
    }
    const retiring = old.find((set) => set.pods > 0);
    if (retiring && (running.ready > 0 || deployment.replicas === 0)) {
      retiring.pods -= 1;
      retiring.ready = Math.min(retiring.ready, retiring.pods);
      if (retiring.pods === 0) record(deployment, 'Deployment', deployment.name, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${retiring.name} to 0`);
    }
    const complete = running.pods === deployment.replicas && running.ready === deployment.replicas && old.every((set) => set.pods === 0);
    if (complete) return;
    deployment.readsSinceChange += 1;
    if (deployment.readsSinceChange >= deadlineReads && !deployment.deadlineExceeded) {
      deployment.deadlineExceeded = true;
      record(deployment, 'Deployment', deployment.name, 'Warning', 'ProgressDeadlineExceeded', `Deployment "${deployment.name}" has timed out progressing.`);
    }
  }

  function view(deployment: DeploymentRecord): Json {
    const running = current(deployment);
    const total = deployment.sets.reduce((sum, set) => sum + set.pods, 0);
    const ready = deployment.sets.reduce((sum, set) => sum + set.ready, 0);
    const observed = deployment.observedGeneration >= deployment.generation;
    const complete = observed && running.pods === deployment.replicas && running.ready === deployment.replicas && total === running.pods;
    const progressing = deployment.deadlineExceeded
      ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${running.name}" has timed out progressing.` }
      : complete
        ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${running.name}" has successfully progressed.` }
        : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${running.name}" is progressing.` };
    const available = ready >= deployment.replicas;
    const at = new Date(clock).toISOString();
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: deployment.name,
        namespace: deployment.namespace,
        uid: deployment.uid,
        generation: deployment.generation,
        resourceVersion: String(deployment.resourceVersion),
        labels: { app: deployment.name },
        annotations: { ...deployment.annotations, [REVISION]: String(running.revision) },
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: {
        replicas: deployment.replicas,
        selector: { matchLabels: { app: deployment.name } },
        template: structuredClone(deployment.template),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        ...(deployment.paused ? { paused: true } : {}),
      },
      status: {
        observedGeneration: deployment.observedGeneration,
        replicas: total,
        updatedReplicas: running.pods,
        readyReplicas: ready,
        availableReplicas: ready,
        unavailableReplicas: Math.max(0, deployment.replicas - ready),
        conditions: [
          {
            type: 'Available',
            status: available ? 'True' : 'False',
            reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
            lastUpdateTime: at,
            lastTransitionTime: at,
          },
          { ...progressing, lastUpdateTime: at, lastTransitionTime: at },
        ],
      },
    };
  }

  function scaleView(deployment: DeploymentRecord): Json {
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: deployment.name, namespace: deployment.namespace, uid: deployment.uid, resourceVersion: String(deployment.resourceVersion) },
      spec: { replicas: deployment.replicas },
      status: { replicas: deployment.sets.reduce((sum, set) => sum + set.pods, 0), selector: `app=${deployment.name}` },
    };
  }

  function replicaSetView(deployment: DeploymentRecord, set: ReplicaSetRecord): Json {
    const labels = { ...set.template.metadata.labels, 'pod-template-hash': set.hash };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: set.name,
        namespace: deployment.namespace,
        uid: set.uid,
        labels,
        annotations: { [REVISION]: String(set.revision) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name, uid: deployment.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: set.pods,
        selector: { matchLabels: { app: deployment.name, 'pod-template-hash': set.hash } },
        template: { ...structuredClone(set.template), metadata: { ...structuredClone(set.template.metadata), labels } },
      },
      status: { replicas: set.pods, readyReplicas: set.ready, availableReplicas: set.ready },
    };
  }

  function podsOf(deployment: DeploymentRecord, set: ReplicaSetRecord): Json[] {
    return Array.from({ length: set.pods }, (_, index) => {
      const name = `${set.name}-${index}`;
      const ready = index < set.ready;
      const state = ready
        ? { running: { startedAt: '2026-03-01T09:00:00Z' } }
        : set.crashing
          ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=app pod=${name}_${deployment.namespace}` } }
          : { waiting: { reason: 'ContainerCreating' } };
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: deployment.namespace,
          labels: { ...set.template.metadata.labels, 'pod-template-hash': set.hash },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: set.name, uid: set.uid, controller: true }],
        },
        spec: structuredClone(set.template.spec),
        status: {
          phase: ready || set.crashing ? 'Running' : 'Pending',
          conditions: [
            { type: 'PodScheduled', status: 'True' },
            { type: 'Ready', status: ready ? 'True' : 'False' },
          ],
          containerStatuses: [
            {
              name: 'app',
              image: imageOf(set.template),
              imageID: '',
              ready,
              started: ready,
              restartCount: set.crashing ? set.restarts : 0,
              state,
              ...(set.crashing ? { lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-03-01T09:59:00Z', finishedAt: '2026-03-01T09:59:01Z' } } } : {}),
            },
          ],
        },
      };
    });
  }

  function eventView(event: EventRecord, index: number): Json {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${event.name}.${index.toString(16).padStart(16, '0')}`, namespace: event.namespace },
      involvedObject: { kind: event.kind, name: event.name, namespace: event.namespace },
      reason: event.reason,
      message: event.message,
      type: event.type,
      count: event.count,
      firstTimestamp: event.at,
      lastTimestamp: event.at,
      source: { component: event.kind === 'Pod' ? 'kubelet' : 'deployment-controller' },
    };
  }

  /** Records an event; a repeat of the same one counts up, as the API server aggregates them. */
  function record(deployment: DeploymentRecord, kind: string, name: string, type: EventRecord['type'], reason: string, message: string) {
    const same = events.find((event) => event.namespace === deployment.namespace && event.kind === kind && event.name === name && event.reason === reason && event.message === message);
    if (same) {
      same.count += 1;
      same.at = tick();
    } else {
      events.push({ namespace: deployment.namespace, kind, name, type, reason, message, count: 1, at: tick() });
    }
  }

  /** A deployment with its revisions (one ReplicaSet each), rolled out: its newest revision runs with every replica ready. */
  const seed = ({ namespace = 'shop', name = 'checkout', replicas = 2, images = ['shop/checkout:1'], crashLooping, deadlineReads: deadline, paused = false }: SeedOptions = {}) => {
    if (deadline !== undefined) deadlineReads = deadline;
    const deployment: DeploymentRecord = {
      uid: `deploy-${++uids}`,
      namespace,
      name,
      generation: images.length,
      observedGeneration: images.length,
      resourceVersion: ++versions,
      replicas,
      paused,
      annotations: {},
      template: templateFor(name, images[images.length - 1]),
      sets: [],
      readsSinceChange: 0,
      deadlineExceeded: false,
    };
    images.forEach((image, index) => {
      const template = templateFor(name, image);
      const hash = hashOf(template);
      const existing = deployment.sets.find((set) => set.hash === hash);
      if (existing) existing.revision = index + 1;
      else deployment.sets.push({ uid: `rs-${++uids}`, name: `${name}-${hash}`, hash, revision: index + 1, template, pods: 0, ready: 0, crashing: false, restarts: 0 });
    });
    const running = current(deployment);
    running.pods = replicas;
    running.ready = crashLooping ? 0 : replicas;
    running.crashing = crashLooping !== undefined;
    running.restarts = crashLooping ? 4 : 0;
    if (crashLooping === 'persistent') crashingImages.add(images[images.length - 1]);
    deployments.push(deployment);
    if (crashLooping) {
      for (let pod = 0; pod < replicas; pod += 1) {
        record(deployment, 'Pod', `${running.name}-${pod}`, 'Warning', 'BackOff', `Back-off restarting failed container app in pod ${running.name}-${pod}_${namespace}`);
      }
    }
    return deployment;
  };

  /** The next patch of the deployment meets a change someone else made first (so its precondition fails: 409). */
  const changeBeforeNextPatch = (namespace: string, name: string, change: (deployment: DeploymentRecord) => void) => {
    interference.set(`${namespace}/${name}`, change);
  };

  /** Takes a permission away from the stub's service account, e.g. `deny('patch', 'deployments')`. */
  const deny = (verb: string, resource: string) => denied.add(`${verb} ${resource}`);

  /** Stops the controller for a deployment (its rollout stands still), and starts it again. */
  const hold = (namespace: string, name: string) => held.add(`${namespace}/${name}`);
  const release = (namespace: string, name: string) => held.delete(`${namespace}/${name}`);

  /** Images whose pods crash wherever they run. */
  const crashes = (image: string) => crashingImages.add(image);

  const dir = mkdtempSync(join(tmpdir(), 'firebreak-kube-'));
  await stub.start();
  /**
   * Writes a kubeconfig for the stub and answers the settings pointing the adapter at it. Its
   * current context holds a wrong token; `KUBERNETES_CONTEXT` picks the one that works.
   */
  const settings = (namespaces = 'shop,payments'): Record<string, string> => {
    const file = join(dir, 'kubeconfig.json');
    const cluster = { server: stub.url, 'insecure-skip-tls-verify': true };
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'stub', cluster }],
        users: [
          { name: 'firebreak', user: { token: KUBERNETES_TOKEN } },
          { name: 'stale', user: { token: 'kube-stale-token-not-accepted' } },
        ],
        contexts: [
          { name: 'firebreak-test', context: { cluster: 'stub', user: 'firebreak' } },
          { name: 'stale', context: { cluster: 'stub', user: 'stale' } },
        ],
        'current-context': 'stale',
      }),
    );
    return { KUBERNETES_PROVIDER: 'kubernetes', KUBECONFIG: file, KUBERNETES_CONTEXT: 'firebreak-test', KUBERNETES_NAMESPACES: namespaces };
  };
  const stop = async () => {
    await stub.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const deployment = (namespace: string, name: string) => deployments.find((d) => d.namespace === namespace && d.name === name)!;
  return { stub, seed, settings, stop, deployment, view: (namespace: string, name: string) => view(deployment(namespace, name)), events, changeBeforeNextPatch, deny, crashes, hold, release };
}

function templateFor(app: string, image: string): Json {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '256Mi' } } }] },
  };
}

const imageOf = (template: Json): string => template.spec?.containers?.[0]?.image ?? '';

/** The controller's `pod-template-hash`: of the template as deployed. */
function hashOf(template: Json): string {
  return createHash('sha256').update(canonical(template)).digest('hex').slice(0, 10);
}

function canonical(value: unknown): string {
  const normal = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(normal);
    if (item && typeof item === 'object') {
      return Object.fromEntries(
        Object.entries(item as Json)
          .filter(([, inner]) => inner !== undefined && inner !== null)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, inner]) => [key, normal(inner)]),
      );
    }
    return item;
  };
  return JSON.stringify(normal(value));
}

function status(code: number, reason: string, message: string): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** `a=b,c=d` selectors (label or field), the only form the adapter sends. */
function parseSelector(text: string | null): Array<[string, string]> {
  if (!text) return [];
  return text.split(',').map((part) => {
    const match = /^([^=!]+)==?(.*)$/.exec(part.trim());
    if (!match) throw new StubRejection({ status: 400, body: status(400, 'BadRequest', `unable to parse requirement: ${part}`) });
    return [match[1], match[2]];
  });
}

function matches(labels: Record<string, string>, selector: Array<[string, string]>): boolean {
  return selector.every(([key, value]) => labels[key] === value);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: Json, patch: unknown): Json {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new StubRejection({ status: 400, body: status(400, 'BadRequest', 'a merge patch must be a JSON object') });
  const merged: Json = { ...target };
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) delete merged[key];
    else if (typeof value === 'object' && !Array.isArray(value) && merged[key] && typeof merged[key] === 'object' && !Array.isArray(merged[key])) merged[key] = mergePatch(merged[key], value);
    else merged[key] = structuredClone(value);
  }
  return merged;
}

/** A strategic merge patch, as far as maps go (the adapter patches no lists). */
function strategicMerge(target: Json, patch: unknown): Json {
  if (patch && typeof patch === 'object' && !Array.isArray(patch)) {
    for (const [key, value] of Object.entries(patch as Json)) {
      if (Array.isArray(value)) throw new StubRejection({ status: 422, body: status(422, 'Invalid', `the stub merges no lists (${key})`) });
    }
  }
  return mergePatch(target, patch);
}

/** RFC 6902 JSON patch: add, replace, remove and test. */
function jsonPatch(target: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new StubRejection({ status: 400, body: status(400, 'BadRequest', 'a JSON patch must be a list of operations') });
  const document = structuredClone(target);
  for (const operation of operations as Json[]) {
    const tokens = String(operation.path ?? '').split('/').slice(1).map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop();
    let parent: Json = document;
    for (const token of tokens) {
      parent = parent?.[token];
      if (parent === undefined) throw new StubRejection({ status: 422, body: status(422, 'Invalid', `doc is missing path: "${operation.path}"`) });
    }
    if (last === undefined) throw new StubRejection({ status: 422, body: status(422, 'Invalid', 'the root cannot be patched') });
    if (operation.op === 'add') parent[last] = structuredClone(operation.value);
    else if (operation.op === 'replace') {
      if (!(last in parent)) throw new StubRejection({ status: 422, body: status(422, 'Invalid', `doc is missing key: "${operation.path}"`) });
      parent[last] = structuredClone(operation.value);
    } else if (operation.op === 'remove') delete parent[last];
    else if (operation.op === 'test') {
      if (canonical(parent[last]) !== canonical(operation.value)) throw new StubRejection({ status: 422, body: status(422, 'Invalid', `testing value ${operation.path} failed`) });
    } else throw new StubRejection({ status: 422, body: status(422, 'Invalid', `unknown JSON patch operation "${operation.op}"`) });
  }
  return document;
}
