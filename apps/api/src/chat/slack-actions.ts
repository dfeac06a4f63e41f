import { createHash } from 'node:crypto';
import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import { IncidentStatus } from '../../../../core/model/incident-model';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import { IncidentChatChannelAttribute } from '../../../../core/model/search-attributes';
import { describeIssues } from '../../../../core/model/validation-issues';
import { type IncidentAction, IncidentActionSchema } from '../../../../core/schemas/incident-actions';
import { INCIDENT_ACTION_RIGHTS, mayDo, refusal, type Right, runbookLaunchRight } from '../../../../core/model/rights';
import { noteRefused, noteSlackRequest } from '../audit/audit-notes';
import type { Principal } from '../auth/principal';
import { httpFailureOf, ValidationFailedError } from '../http/failures';
import { DeclareIncidentSchema, ListIncidentsQuerySchema } from '../incidents/incidents.dto';
import { IncidentsService } from '../incidents/incidents.service';
import { RunbooksService } from '../runbooks/runbooks.service';
import { TemporalService } from '../temporal/temporal.service';
import { onTaskQueue } from '../temporal/visibility';
import { RUNBOOK_CATALOG } from '../tokens';
import {
  INCIDENT_USAGE,
  type IncidentRequest,
  type InputJsonSchema,
  inputFromPairs,
  readIncidentCommand,
  readRunbookCommand,
  RUNBOOK_USAGE,
} from './slack-commands';
import { ephemeral, ephemeralWithButtons, inChannel, planText, type SlackResponse } from './slack-messages';
import { type BlockActions, RunButtonValueSchema, type SlashCommand } from './slack-payloads';
import { BUSY, SlackResponses } from './slack-responses';
import { SlackUsers } from './slack-users';

/** Slack's limit on a button's value. */
export const BUTTON_VALUE_MAX = 2000;
/** How long a plan waits for its dry run before saying where to find it. */
const PLAN_WAIT_MS = 20_000;
/** Open incidents `/incident status` lists outside an incident channel. */
const STATUS_LIST_MAX = 10;

export const UNKNOWN_USER =
  'Firebreak does not know your Slack user, so nothing was done: ask an admin to add you to runbooks/chat-users.ts (or your Slack id to runbooks/responders.ts).';
export const NOT_AN_INCIDENT_CHANNEL =
  "This channel is not an incident's channel: run the command in the channel Firebreak opened for the incident.";

/** An id for what Slack's `seed` (a trigger id) starts: the same seed, the same incident or execution. */
export function derivedId(prefix: 'inc' | 'rbx', seed: string): string {
  return `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
}

const refused = (principal: Principal, right: Right) => {
  noteRefused();
  return `Not allowed: ${refusal(principal, right)}. Nothing was done.`;
};

/** The right each button needs, but Run's, which depends on its runbook. */
const BUTTON_RIGHTS: Record<string, Right> = {
  'incident.acknowledge': INCIDENT_ACTION_RIGHTS.acknowledge,
  'incident.resolve': INCIDENT_ACTION_RIGHTS.resolve,
  'execution.approve': 'execution.approve',
  'execution.reject': 'execution.approve',
};

/** The right each `/incident` command needs. */
const INCIDENT_COMMAND_RIGHTS = {
  declare: 'incident.declare',
  ack: INCIDENT_ACTION_RIGHTS.acknowledge,
  resolve: INCIDENT_ACTION_RIGHTS.resolve,
  note: INCIDENT_ACTION_RIGHTS['add-note'],
  status: 'incidents.read',
} as const satisfies Record<IncidentRequest['verb'], Right>;

/**
 * What slash commands and buttons do, as the Slack user's principal, through the services the
 * API's own routes use (so the same rules and refusals apply). A slash command is answered at
 * once with what needs no Temporal call (a refusal, a usage hint) or "working on it"; the
 * outcome follows through `response_url`. A button press is answered through `response_url`
 * only. Incidents and executions started from Slack take ids derived from Slack's trigger id,
 * and commands use it as their idempotency key, so a retry finds what the first started.
 */
@Injectable()
export class SlackActions {
  private readonly logger = new Logger('slack');

  constructor(
    private readonly incidents: IncidentsService,
    private readonly runbooks: RunbooksService,
    private readonly temporal: TemporalService,
    private readonly users: SlackUsers,
    private readonly responses: SlackResponses,
    @Inject(RUNBOOK_CATALOG) private readonly catalog: ReadonlyMap<string, RunbookDefinition>,
  ) {}

  /** The answer to a slash command, given at once. */
  command(command: SlashCommand): SlackResponse {
    const principal = this.users.principalOf(command.user_id);
    noteSlackRequest(command.user_id, principal, `${command.command} ${command.text.trim().split(/\s+/, 1)[0]}`.trim());
    if (!principal) return ephemeral(UNKNOWN_USER);
    switch (command.command) {
      case '/incident':
        return this.incidentCommand(command, principal);
      case '/runbook':
        return this.runbookCommand(command, principal);
      default:
        return ephemeral(`Firebreak answers /incident and /runbook, not ${command.command}.`);
    }
  }

  /** A button press; its outcome is posted to the payload's `response_url`. */
  interaction(payload: BlockActions): void {
    const [action] = payload.actions;
    // A link button (a notification's Acknowledge or Open incident) opened its page in the browser: nothing to do here.
    if (action.value === undefined) return;
    const url = payload.response_url;
    const principal = this.users.principalOf(payload.user.id);
    noteSlackRequest(payload.user.id, principal, `button ${action.action_id}`, action.action_id === 'runbook.run' ? undefined : action.value);
    if (!principal) return this.responses.tell(url, ephemeral(UNKNOWN_USER));
    const right = BUTTON_RIGHTS[action.action_id];
    if (right && !mayDo(principal, right)) return this.responses.tell(url, ephemeral(refused(principal, right)));
    const { value } = action;
    const key = `slack:${payload.trigger_id}`;
    const run = (what: string, work: () => Promise<SlackResponse>) => {
      if (!this.responses.later(url, work, (error) => this.failure(what, error))) this.logger.warn('not acting on a Slack button: too much work under way');
    };
    switch (action.action_id) {
      case 'incident.acknowledge':
        return run(`acknowledge ${value.slice(0, 100)}`, () => this.act(value, { action: 'acknowledge' }, principal, key));
      case 'incident.resolve':
        return run(`resolve ${value.slice(0, 100)}`, () => this.act(value, { action: 'resolve' }, principal, key));
      case 'execution.approve':
        return run(`approve ${value.slice(0, 100)}`, () => this.decide(value, true, principal));
      case 'execution.reject':
        return run(`reject ${value.slice(0, 100)}`, () => this.decide(value, false, principal));
      case 'runbook.run':
        return run('start the runbook', () => this.run(value, principal, derivedId('rbx', `slack:run:${payload.trigger_id}`)));
      default:
        return this.responses.tell(url, ephemeral(`Firebreak has no button "${action.action_id.slice(0, 60)}". Nothing was done.`));
    }
  }

  private incidentCommand(command: SlashCommand, principal: Principal): SlackResponse {
    const request = readIncidentCommand(command.text);
    if ('problem' in request) return ephemeral(`Not understood: ${request.problem}.\n${INCIDENT_USAGE}`);
    const right = INCIDENT_COMMAND_RIGHTS[request.verb];
    if (!mayDo(principal, right)) return ephemeral(refused(principal, right));
    const key = `slack:${command.trigger_id}`;
    switch (request.verb) {
      case 'declare': {
        const body = DeclareIncidentSchema.safeParse({ title: request.title, severity: request.severity });
        if (!body.success) return ephemeral(`Not declared: ${describeIssues(body.error.issues)}.`);
        const id = derivedId('inc', key);
        return this.later(command, `Declaring "${request.title}"…`, `declare "${request.title}"`, async () => {
          await this.startOnce(() => this.incidents.declare(body.data, principal, { id }));
          return inChannel(`${principal.name} declared ${id}: [${body.data.severity}] ${body.data.title}`);
        });
      }
      case 'ack':
      case 'resolve':
      case 'note': {
        const action = IncidentActionSchema.safeParse(
          request.verb === 'ack' ? { action: 'acknowledge' } : request.verb === 'resolve' ? { action: 'resolve' } : { action: 'add-note', text: request.text },
        );
        if (!action.success) return ephemeral(`Not done: ${describeIssues(action.error.issues)}.`);
        return this.later(command, 'Working on it…', request.verb === 'note' ? 'add the note' : `${request.verb === 'ack' ? 'acknowledge' : 'resolve'} the incident`, async () => {
          const incidentId = await this.channelIncident(command.channel_id);
          if (!incidentId) return ephemeral(NOT_AN_INCIDENT_CHANNEL);
          return this.act(incidentId, action.data, principal, key);
        });
      }
      case 'status':
        return this.later(command, 'Looking…', 'read the status', () => this.status(command.channel_id));
    }
  }

  private runbookCommand(command: SlashCommand, principal: Principal): SlackResponse {
    const request = readRunbookCommand(command.text);
    if ('problem' in request) return ephemeral(`Not understood: ${request.problem}.\n${RUNBOOK_USAGE}`);
    // A plan is a dry run: it changes nothing, whatever the runbook; Run checks the runbook's own right.
    if (!mayDo(principal, 'runbook.launch')) return ephemeral(refused(principal, 'runbook.launch'));
    const runbook = this.catalog.get(request.runbookId);
    if (!runbook) {
      const known = [...this.catalog.keys()].sort().join(', ');
      return ephemeral(`There is no runbook "${request.runbookId.slice(0, 100)}". Runbooks: ${known}.`);
    }
    const input = inputFromPairs(request.pairs, z.toJSONSchema(runbook.input, { io: 'input', unrepresentable: 'any' }) as InputJsonSchema);
    const parsed = runbook.input.safeParse(input);
    if (!parsed.success) return ephemeral(`The input does not fit ${runbook.id}: ${describeIssues(parsed.error.issues, { prefix: 'input.', whole: 'input' })}.`);
    const planId = derivedId('rbx', `slack:plan:${command.trigger_id}`);
    return this.later(command, `Planning ${runbook.title}…`, `plan ${runbook.id}`, () => this.plan(runbook, input, command.channel_id, principal, planId));
  }

  /** Runs `work` after the answer and posts its outcome; the answer says it is under way. */
  private later(command: SlashCommand, working: string, what: string, work: () => Promise<SlackResponse>): SlackResponse {
    if (!this.responses.later(command.response_url, work, (error) => this.failure(what, error))) return BUSY;
    return ephemeral(working);
  }

  private async act(incidentId: string, action: IncidentAction, principal: Principal, key: string): Promise<SlackResponse> {
    const result = await this.incidents.act(incidentId, { actor: principal.name, action }, key, { principal });
    const done = action.action === 'add-note' ? 'Noted on' : action.action === 'acknowledge' ? 'Acknowledged' : action.action === 'resolve' ? 'Resolved' : 'Done:';
    return ephemeral(`${done} ${incidentId} (now ${result.status}, ${result.severity}), as ${principal.name}.`);
  }

  private async decide(executionId: string, approve: boolean, principal: Principal): Promise<SlackResponse> {
    await this.runbooks.decide(executionId, approve, approve ? undefined : `Rejected in Slack by ${principal.name}`, principal);
    return ephemeral(`${approve ? 'Approved' : 'Rejected'} ${executionId}, as ${principal.name}.`);
  }

  private async status(channelId: string): Promise<SlackResponse> {
    const incidentId = await this.channelIncident(channelId);
    if (incidentId) {
      const incident = await this.incidents.get(incidentId);
      const commander = incident.roles.commander ? `commander ${incident.roles.commander}` : 'no commander yet';
      return ephemeral(`${incident.id} [${incident.severity}] ${incident.title}\nStatus: ${incident.status} · ${commander} · ${incident.alertCount} alerts`);
    }
    const page = await this.incidents.list(ListIncidentsQuerySchema.parse({ pageSize: 50 }));
    const open = page.incidents.filter((listed) => listed.running && listed.status !== IncidentStatus.Resolved && listed.status !== IncidentStatus.Closed);
    if (open.length === 0) return ephemeral('No open incidents.');
    const lines = open.slice(0, STATUS_LIST_MAX).map((listed) => `${listed.id} [${listed.severity ?? '?'}] ${listed.title ?? ''} · ${listed.status ?? '?'}`);
    const more = open.length > STATUS_LIST_MAX ? `\n… and ${open.length - STATUS_LIST_MAX} more` : '';
    return ephemeral(`Open incidents:\n${lines.join('\n')}${more}`);
  }

  /** A dry run's plan, with a Run button that carries what the run needs. */
  private async plan(runbook: RunbookDefinition, input: Record<string, unknown>, channelId: string, principal: Principal, planId: string): Promise<SlackResponse> {
    const incidentId = await this.channelIncident(channelId);
    const value = JSON.stringify({ runbook: runbook.id, input, ...(incidentId ? { incident: incidentId } : {}) });
    if (value.length > BUTTON_VALUE_MAX) {
      return ephemeral(`The input is too long for a Run button (${value.length} characters; Slack takes ${BUTTON_VALUE_MAX}): start ${runbook.id} with the API or the CLI.`);
    }
    await this.startOnce(() => this.runbooks.launch(runbook.id, { input, incidentId, dryRun: true }, principal, { id: planId }));
    try {
      await this.temporal.call('waiting for the dry run', (client) => client.workflow.getHandle(planId).result(), PLAN_WAIT_MS);
    } catch (error) {
      if (error instanceof WorkflowFailedError) return ephemeral(`The dry run ${planId} of ${runbook.id} failed: ${error.cause?.message ?? error.message}`);
      throw error;
    }
    const execution = await this.runbooks.get(planId);
    const target = incidentId ? ` for ${incidentId}` : '';
    return ephemeralWithButtons(
      `Plan of ${runbook.title} (${runbook.id})${target}, from dry run ${planId}:\n${planText(execution.plan ?? [])}\nRun starts it for real.`,
      [{ action: 'runbook.run', label: 'Run', value, style: 'primary' }],
    );
  }

  /** The Run button: starts the execution the plan showed, once per press. */
  private async run(value: string, principal: Principal, runId: string): Promise<SlackResponse> {
    let carried: unknown;
    try {
      carried = JSON.parse(value);
    } catch {
      carried = undefined;
    }
    const parsed = RunButtonValueSchema.safeParse(carried);
    if (!parsed.success) return ephemeral('This Run button carries no runbook Firebreak can read. Nothing was started.');
    const { runbook, input, incident } = parsed.data;
    const definition = this.catalog.get(runbook);
    const right = definition ? runbookLaunchRight(definition, false) : 'runbook.launch';
    if (!mayDo(principal, right)) return ephemeral(refused(principal, right));
    await this.startOnce(() => this.runbooks.launch(runbook, { input, incidentId: incident, dryRun: false }, principal, { id: runId }));
    const title = definition?.title ?? runbook;
    return ephemeral(`${principal.name} started ${title} (${runId})${incident ? ` for ${incident}` : ''}.`, { replaceOriginal: true });
  }

  /** Starts a workflow under a derived id; one already started under it (a retry) is the same one. */
  private async startOnce(start: () => Promise<unknown>): Promise<void> {
    try {
      await start();
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** The incident whose chat channel `channelId` is (its `FirebreakChatChannel`), if any. */
  private async channelIncident(channelId: string): Promise<string | undefined> {
    // The id is checked by shape (SLACK_CHANNEL_ID): safe inside the query.
    const query = `WorkflowType = 'incidentWorkflow' AND ${onTaskQueue(this.temporal.taskQueue)} AND ${IncidentChatChannelAttribute.name} = '${channelId}'`;
    return this.temporal.call("finding the channel's incident", async (client) => {
      for await (const execution of client.workflow.list({ query, pageSize: 1 })) return execution.workflowId;
      return undefined;
    });
  }

  /** The outcome of work that failed: the refusal's reason as the API would give it. */
  private failure(what: string, error: unknown): SlackResponse {
    const reason = refusalOf(error);
    if (reason === undefined) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return ephemeral(`Could not ${what}: something unexpected went wrong (it is logged).`);
    }
    return ephemeral(`Could not ${what}: ${reason}.`);
  }
}

/** Why the API would refuse, in its words: a 4xx's or a 503's message; undefined for the unexpected. */
export function refusalOf(error: unknown): string | undefined {
  if (error instanceof ValidationFailedError) return error.message;
  const failure = httpFailureOf(error);
  if (failure) return failure.message;
  if (error instanceof HttpException) {
    const payload = error.getResponse();
    const message = typeof payload === 'string' ? payload : (payload as { message?: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
  }
  return undefined;
}
