/**
 * Every capability operation, declared once: its input and output types, whether it may
 * run long, what it returns in a dry run, and whether its input names the incident. The
 * activity contract, the activity names, the runbook `ctx`, the dry-run table and each
 * port are derived from this list; the schemas that validate the inputs are in
 * core/schemas/capabilities/operation-schemas.ts. Free of zod, so workflows import it.
 */
import type { Channel, CreateChannelInput, InviteToChannelInput, PostedMessage, PostMessageInput, SetTopicInput, UpdateMessageInput } from '../../schemas/capabilities/chat';
import type { FindReleasesInput, Releases, RollbackInput, RollbackResult } from '../../schemas/capabilities/deploy';
import type { HttpRequestInput, HttpResponse } from '../../schemas/capabilities/http';
import type { AlarmList, ListAlarmsInput } from '../../schemas/capabilities/monitoring';
import type {
  DeploymentDescription,
  DescribeDeploymentInput,
  RestartDeploymentInput,
  RestartDeploymentResult,
  RollbackDeploymentInput,
  RollbackDeploymentResult,
  ScaleDeploymentInput,
  ScaleDeploymentResult,
} from '../../schemas/capabilities/kubernetes';
import type { NotificationResult, SendNotificationInput } from '../../schemas/capabilities/notification';
import type { PageInput, PageResult } from '../../schemas/capabilities/paging';
import type { DescribeServiceInput, ScaleResult, ScaleServiceInput, ServiceDescription } from '../../schemas/capabilities/scaling';
import type { RunCommandInput, RunCommandResult } from '../../schemas/capabilities/ssm';
import type { OpenStatusIncidentInput, SetComponentStatusInput, StatusIncident, UpdateStatusIncidentInput } from '../../schemas/capabilities/status-page';
import type { CommentOnTicketInput, CreateTicketInput, Ticket, TransitionTicketInput } from '../../schemas/capabilities/ticketing';
import type { CreateMeetingInput, Meeting } from '../../schemas/capabilities/video';
import type { CapabilityFailure } from './keys';

/** One operation: `I` is what the activity takes (before its schema's defaults), `O` what it returns. */
export interface Operation<I, O> {
  /**
   * Rollouts and scaling until stable: one attempt may take 15 minutes (not 30 seconds)
   * and heartbeats every minute.
   */
  readonly long?: true;
  /**
   * What the step returns in a dry run, when no vendor is called: a placeholder,
   * recognisable as such, built from the step's own input so the plan reads true.
   */
  readonly dryRun: (input: I, stepId: string) => O;
  /**
   * The input names the incident (`incidentId`): a runbook may leave it out, and the
   * `ctx` fills in the run's incident (or, without one, the execution id).
   */
  readonly incident?: true;
  /** Failure types this operation raises beyond the ones every vendor call may (see `CapabilityFailure`). */
  readonly failures?: readonly CapabilityFailure[];
  /** Phantom: carries the types, never set. */
  readonly types?: { input: I; output: O };
}

/**
 * Declares an operation with input `I` and output `O`. An input with an `incidentId` must
 * say `incident: true`, so the `ctx` knows to fill it in.
 */
export function operation<I, O>(
  declaration: Omit<Operation<I, O>, 'types'> & ('incidentId' extends keyof I ? { incident: true } : { incident?: never }),
): Operation<I, O> {
  return declaration;
}

export const OPERATIONS = {
  ticketing: {
    createTicket: operation<CreateTicketInput, Ticket>({
      incident: true,
      dryRun: (_input, stepId) => ({ key: `DRY-RUN-${stepId}`, url: 'dry-run:ticket', created: false }),
    }),
    comment: operation<CommentOnTicketInput, void>({ dryRun: () => undefined }),
    /** Moves the ticket to status `to`; a no-op when it is there already. */
    transition: operation<TransitionTicketInput, void>({ dryRun: () => undefined }),
  },
  chat: {
    createChannel: operation<CreateChannelInput, Channel>({
      incident: true,
      dryRun: (input) => ({ id: `dry-run-channel`, name: input.name, created: false }),
    }),
    /** Invites those not yet in the channel. */
    invite: operation<InviteToChannelInput, void>({ dryRun: () => undefined }),
    postMessage: operation<PostMessageInput, PostedMessage>({
      dryRun: (input) => ({ channelId: input.channelId, ts: 'dry-run', created: false }),
    }),
    /** Replaces a posted message's text and buttons; acting twice leaves the same message. */
    updateMessage: operation<UpdateMessageInput, void>({ dryRun: () => undefined }),
    setTopic: operation<SetTopicInput, void>({ dryRun: () => undefined }),
  },
  video: {
    createMeeting: operation<CreateMeetingInput, Meeting>({
      incident: true,
      dryRun: () => ({ id: 'dry-run-meeting', joinUrl: 'dry-run:meeting', created: false }),
    }),
  },
  statusPage: {
    openIncident: operation<OpenStatusIncidentInput, StatusIncident>({
      incident: true,
      dryRun: () => ({ id: 'dry-run-status-incident', created: false }),
    }),
    /** Posts an update; status `resolved` resolves the incident. */
    updateIncident: operation<UpdateStatusIncidentInput, void>({ dryRun: () => undefined }),
    setComponentStatus: operation<SetComponentStatusInput, void>({ dryRun: () => undefined }),
  },
  deploy: {
    /** Finds the release running now and the last good one before it; has no effect. */
    findReleases: operation<FindReleasesInput, Releases>({
      dryRun: () => ({
        current: { ref: 'dry-run-current', id: 'dry-run-current' },
        previousGood: { ref: 'dry-run-previous-good', id: 'dry-run-previous-good' },
      }),
    }),
    rollback: operation<RollbackInput, RollbackResult>({
      long: true,
      failures: ['OutOfBounds'],
      dryRun: (input) => ({ deploymentId: 'dry-run', ref: input.to.ref, created: false, stable: true }),
    }),
  },
  scaling: {
    describeService: operation<DescribeServiceInput, ServiceDescription>({
      dryRun: (input) => ({
        ref: input.ref,
        desiredCount: 1,
        runningCount: 1,
        pendingCount: 0,
        deployments: [],
        events: [{ message: 'dry run: the service was not described' }],
      }),
    }),
    /** A desired count outside `[min, max]` is refused (`OutOfBounds`), not clamped. */
    scaleService: operation<ScaleServiceInput, ScaleResult>({
      long: true,
      failures: ['OutOfBounds', 'InvalidStepInput'],
      dryRun: (input) => ({ previousCount: input.desiredCount, desiredCount: input.desiredCount, stable: true }),
    }),
  },
  paging: {
    /** The vendor keeps one page per dedup key, so a repeat never opens a second. */
    page: operation<PageInput, PageResult>({
      incident: true,
      dryRun: (input) => ({ dedupKey: input.dedupKey, delivered: false, provider: 'dry-run' }),
    }),
  },
  monitoring: {
    /**
     * The alarms matching a name prefix or tags, with their state: those in ALARM first, at
     * most `limit` (100). Reads only.
     */
    listAlarms: operation<ListAlarmsInput, AlarmList>({
      dryRun: () => ({ provider: 'dry-run', alarms: [], truncated: false }),
    }),
  },
  kubernetes: {
    /**
     * A deployment as it is: its replicas, rollout state and conditions, its pods (phase,
     * readiness, restarts, why a container is not running) and recent events of it and its
     * pods. Reads only. Every Kubernetes step on a namespace `KUBERNETES_NAMESPACES` does not
     * allow is refused (`OutOfBounds`).
     */
    describeDeployment: operation<DescribeDeploymentInput, DeploymentDescription>({
      failures: ['OutOfBounds'],
      dryRun: (input) => ({
        namespace: input.namespace,
        name: input.name,
        replicas: { desired: 1, updated: 1, ready: 1, available: 1, unavailable: 0 },
        rollout: { state: 'complete', message: 'dry run: the deployment was not described' },
        conditions: [],
        pods: [],
        podsTruncated: false,
        events: [],
      }),
    }),
    /**
     * Sets the desired replicas and waits for the rollout. Outside `[min, max]` (when given)
     * it is refused (`OutOfBounds`), not clamped; a repeat finds the count applied.
     */
    scaleDeployment: operation<ScaleDeploymentInput, ScaleDeploymentResult>({
      long: true,
      failures: ['OutOfBounds', 'InvalidStepInput'],
      dryRun: (input) => ({ namespace: input.namespace, name: input.name, previousReplicas: input.replicas, replicas: input.replicas, stable: true }),
    }),
    /**
     * Restarts every pod as `kubectl rollout restart` does (the pod template's
     * `kubectl.kubernetes.io/restartedAt`) and waits for the rollout; once per step.
     */
    restartDeployment: operation<RestartDeploymentInput, RestartDeploymentResult>({
      long: true,
      failures: ['OutOfBounds'],
      dryRun: (input) => ({ namespace: input.namespace, name: input.name, restartedAt: 'dry-run', restarted: false, stable: true }),
    }),
    /**
     * Puts back an earlier revision's pod template, as `kubectl rollout undo` does (the
     * previous one by default), and waits for the rollout. No such revision: `OutOfBounds`.
     */
    rollbackDeployment: operation<RollbackDeploymentInput, RollbackDeploymentResult>({
      long: true,
      failures: ['OutOfBounds'],
      dryRun: (input) => ({ namespace: input.namespace, name: input.name, toRevision: input.toRevision, rolledBack: false, stable: true }),
    }),
  },
  notification: {
    /**
     * Notifies one person by one method (Slack DM, email, SMS, voice call) with a signed
     * acknowledgement link; the address comes from the responder directory, never the input.
     */
    send: operation<SendNotificationInput, NotificationResult>({
      incident: true,
      dryRun: (input) => ({ method: input.method, provider: 'local', delivered: false }),
    }),
  },
  http: {
    /**
     * One HTTP request to a host `HTTP_STEP_ALLOWED_HOSTS` allows, with an `Idempotency-Key`
     * derived from the step's key and secrets injected by name (`secretHeaders`). Answers the
     * status, a few headers and the body (JSON parsed, cut at `HTTP_STEP_MAX_RESPONSE_BYTES`).
     */
    request: operation<HttpRequestInput, HttpResponse>({
      failures: ['OutOfBounds', 'AdapterMisconfigured'],
      // The plan shows the method and URL (in the step's input); nothing is sent.
      dryRun: (input) => ({
        status: input.expect?.status?.[0] ?? 200,
        headers: {},
        body: `dry run: ${input.method} ${input.url} was not sent`,
        truncated: false,
      }),
    }),
  },
  ssm: {
    /**
     * Runs an SSM document (a shell script by default) on instances through AWS Systems
     * Manager Run Command, once per step, and waits until every instance has a final status.
     */
    runCommand: operation<RunCommandInput, RunCommandResult>({
      long: true,
      failures: ['OutOfBounds'],
      dryRun: (input) => ({
        commandId: 'dry-run',
        status: 'Success',
        created: false,
        counts: { targets: input.instanceIds?.length ?? 0, completed: 0, errors: 0 },
        instances: [],
        truncated: false,
      }),
    }),
  },
} as const;

type Operations = typeof OPERATIONS;
export type Capability = keyof Operations;
export type OperationName<C extends Capability> = keyof Operations[C] & string;
type Declared<C extends Capability, O extends OperationName<C>> = Operations[C][O] extends { readonly types?: infer T } ? NonNullable<T> : never;
/** What operation `O` of capability `C` takes: the activity's input. */
export type OperationInput<C extends Capability, O extends OperationName<C>> = Declared<C, O> extends { input: infer I } ? I : never;
/** What operation `O` of capability `C` returns. */
export type OperationOutput<C extends Capability, O extends OperationName<C>> = Declared<C, O> extends { output: infer R } ? R : never;

/** Every capability with its operation names, in declaration order. */
export const CAPABILITIES = Object.keys(OPERATIONS) as Capability[];

export function operationNames<C extends Capability>(capability: C): Array<OperationName<C>> {
  return Object.keys(OPERATIONS[capability]) as Array<OperationName<C>>;
}

export function declarationOf<C extends Capability, O extends OperationName<C>>(
  capability: C,
  name: O,
): Operation<OperationInput<C, O>, OperationOutput<C, O>> {
  return OPERATIONS[capability][name] as Operation<OperationInput<C, O>, OperationOutput<C, O>>;
}
