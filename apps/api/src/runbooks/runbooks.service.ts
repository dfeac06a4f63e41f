import { randomBytes } from 'node:crypto';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { ExecutionSnapshot } from '../../../../core/model/execution';
import { decideApprovalUpdate, executionQuery } from '../../../../core/model/messages';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import type { runbookWorkflow } from '../../../../workflows/runbook';
import type { Principal } from '../auth/principal';
import { missingAs, NotFoundError, requestIssuesOf, ValidationFailedError } from '../http/failures';
import { IncidentsService } from '../incidents/incidents.service';
import { TemporalService } from '../temporal/temporal.service';
import { RUNBOOK_CATALOG } from '../tokens';
import { describeTrigger } from '../../../../core/model/runbook-launches';
import { approveRoles, isDestructive, launchRoles, refuseLaunch } from '../../../../core/model/runbook-engine/permissions';
import { runbookOperations } from '../../../../core/schemas/custom-capabilities';
import type { LaunchRunbookDto } from './runbooks.dto';
import { withUpdateRetry } from '../../../../temporal-client/update-retry';

export const EXECUTION_ID_PATTERN = /^rbx-[0-9a-f]{12}$/;

/** Runbooks: the catalog, launching executions, and reading and steering them. */
@Injectable()
export class RunbooksService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly incidents: IncidentsService,
    @Inject(RUNBOOK_CATALOG) private readonly catalog: ReadonlyMap<string, RunbookDefinition>,
  ) {}

  list() {
    return {
      runbooks: [...this.catalog.values()].map((runbook) => ({
        id: runbook.id,
        title: runbook.title,
        description: runbook.description,
        version: runbook.version ?? 1,
        inputSchema: z.toJSONSchema(runbook.input, { io: 'input', unrepresentable: 'any' }),
        triggers: (runbook.triggers ?? []).map((trigger) => ({ match: describeTrigger(trigger.match), everyAlert: trigger.everyAlert ?? false })),
        guardrails: runbook.guardrails
          ? {
              singleFlight: runbook.guardrails.singleFlight ?? true,
              budget: runbook.guardrails.budget ?? null,
              globalBudget: runbook.guardrails.globalBudget ?? null,
            }
          : null,
        destructive: isDestructive(runbook),
        // Who may launch a real run (a dry run needs only the launch right) and who decides its approvals by default.
        permissions: { launch: launchRoles(runbook), approve: approveRoles(runbook) },
        // What its plan may call, custom capabilities' operations included; `uses` null: every built-in one.
        uses: runbook.uses?.map((used) => (typeof used === 'string' ? used : used.name)) ?? null,
        operations: runbookOperations(runbook),
      })),
    };
  }

  /** Starts an execution; `options.id` (derived from the caller's own, such as Slack's trigger id) makes a retry find the first. */
  async launch(name: string, body: LaunchRunbookDto, principal: Principal, options: { id?: string } = {}): Promise<{ id: string; dryRun: boolean }> {
    const runbook = this.catalog.get(name);
    if (!runbook) throw new NotFoundException(`no runbook "${name}"; GET /v1/runbooks lists them`);
    // The route checked the right to launch; the runbook's own `permissions` may ask more of a real run.
    const refused = body.dryRun ? undefined : refuseLaunch(runbook, principal.role);
    if (refused) throw new ForbiddenException(refused);
    const parsed = runbook.input.safeParse(body.input ?? {});
    if (!parsed.success) {
      throw new ValidationFailedError(requestIssuesOf(parsed.error.issues).map((issue) => ({ ...issue, path: ['input', ...issue.path] })));
    }
    if (body.incidentId) await this.incidents.get(body.incidentId);
    const id = options.id ?? `rbx-${randomBytes(6).toString('hex')}`;
    await this.temporal.call('starting a runbook', (client) =>
      client.workflow.start<typeof runbookWorkflow>('runbookWorkflow', {
        workflowId: id,
        taskQueue: this.temporal.taskQueue,
        // An id given twice is the same execution, even once it has finished.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [
          {
            runbookId: runbook.id,
            input: parsed.data,
            incidentId: body.incidentId,
            dryRun: body.dryRun,
            launchedBy: principal.name,
            trigger: 'manual',
          },
        ],
        memo: { runbookId: runbook.id },
      }),
    );
    return { id, dryRun: body.dryRun };
  }

  private handle(id: string) {
    if (!EXECUTION_ID_PATTERN.test(id)) throw new NotFoundError('execution', id);
    return this.temporal.client.workflow.getHandle(id);
  }

  /** The execution, each step with its attempts (from the history), and the plan of a dry run. */
  async get(id: string) {
    const handle = this.handle(id);
    const execution: ExecutionSnapshot = await this.temporal
      .call('reading an execution', () => handle.query(executionQuery))
      .catch(missingAs('execution', id));
    const attempts = await this.temporal.call('reading an execution', () => this.attempts(handle));
    const steps = execution.steps.map((step) => ({ ...step, attempts: attempts.get(step.id) ?? step.attempts }));
    const plan = execution.dryRun ? steps.map(({ id: step, name, args }) => ({ step, action: name, args })) : undefined;
    return { ...execution, steps, ...(plan ? { plan } : {}) };
  }

  /** Attempts per step id: activities take the step id as their activity id. */
  private async attempts(handle: ReturnType<RunbooksService['handle']>): Promise<Map<string, number>> {
    const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
    const byScheduledEvent = new Map<string, string>();
    const attempts = new Map<string, number>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityId) byScheduledEvent.set(String(event.eventId), scheduled.activityId);
      const started = event.activityTaskStartedEventAttributes;
      if (started) {
        const stepId = byScheduledEvent.get(String(started.scheduledEventId));
        if (stepId) attempts.set(stepId, started.attempt ?? 1);
      }
    }
    for (const pending of description.raw.pendingActivities ?? []) {
      if (pending.activityId) attempts.set(pending.activityId, Math.max(pending.attempt ?? 1, attempts.get(pending.activityId) ?? 0));
    }
    return attempts;
  }

  async decide(id: string, approve: boolean, comment: string | undefined, principal: Principal) {
    const handle = this.handle(id);
    try {
      return await withUpdateRetry(() =>
        this.temporal.call('deciding an approval', () =>
          handle.executeUpdate(decideApprovalUpdate, { args: [{ approve, comment, actor: principal.name, role: principal.role }] }),
        ),
      );
    } catch (error) {
      // A refusal (a failure `type`) is answered by the errors filter; a finished execution is not "not found".
      if (error instanceof WorkflowNotFoundError) {
        await this.ensureExists(handle, id);
        throw new ConflictException('the execution has finished; nothing is waiting for approval');
      }
      throw error;
    }
  }

  async cancel(id: string) {
    const handle = this.handle(id);
    const description = await this.ensureExists(handle, id);
    if (description.status.name !== 'RUNNING') throw new ConflictException(`the execution has finished (${description.status.name.toLowerCase()})`);
    await this.temporal.call('cancelling an execution', () => handle.cancel());
    return { id, status: 'cancelling' as const };
  }

  private ensureExists(handle: ReturnType<RunbooksService['handle']>, id: string) {
    return this.temporal.call('finding an execution', () => handle.describe()).catch(missingAs('execution', id));
  }
}
