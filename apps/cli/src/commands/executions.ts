/** `firebreak executions …`: list, read, approve, reject and cancel runbook executions. */
import type { Command } from 'commander';
import { sleep } from '../api-client';
import { FINISHED_EXECUTION_STATUSES, type Execution, type ExecutionPage, type Step } from '../api-types';
import { action, type Cli } from '../cli';
import { CliError } from '../errors';
import { clip, compactJson, printable, statusColour, time, type Output } from '../output';

/**
 * How often a followed execution is read: soon after it changed, then less often while it
 * does not (reading one costs the API a history fetch; an approval may wait for hours).
 */
const POLL_MS = { first: 500, max: 5_000 } as const;

export const executionPath = (id: string) => `/v1/executions/${encodeURIComponent(id)}`;

export function registerExecutionCommands(program: Command): void {
  const executions = program.command('executions').alias('execution').description('runbook executions: list, read, approve, reject, cancel');

  executions
    .command('ls')
    .description('list executions, newest first')
    .option('--status <status>', 'running, waiting-approval, completed, failed, cancelled, …')
    .option('--awaiting-approval', 'only those waiting for a decision')
    .option('--runbook <id>')
    .option('--incident <id>')
    .option('--limit <n>', 'at most this many')
    .option('--cursor <cursor>', 'the next page, as the last listing said')
    .action(
      action<{ status?: string; awaitingApproval?: boolean; runbook?: string; incident?: string; limit?: string; cursor?: string }>(async (cli, options) => {
        const page = await cli.api.get<ExecutionPage>('/v1/executions', {
          status: options.status,
          awaitingApproval: options.awaitingApproval ? true : undefined,
          runbook: options.runbook,
          incidentId: options.incident,
          limit: options.limit,
          cursor: options.cursor,
        });
        if (cli.out.json) return cli.out.data(page);
        if (page.executions.length === 0) cli.out.note('no executions');
        else {
          cli.out.table(
            ['id', 'runbook', 'status', 'incident', 'started', 'by'],
            page.executions.map((run) => [run.id, run.runbookId, `${run.status ?? ''}${run.dryRun ? ' (dry run)' : ''}`, run.incidentId, time(run.startedAt), run.launchedBy]),
            { 2: (status) => statusColour(status.split(' ')[0]) },
          );
        }
        if (page.nextCursor) cli.out.note(`more: firebreak executions ls --cursor ${page.nextCursor}`);
      }),
    );

  executions
    .command('show')
    .description('an execution: status, each step with its attempts, a pending approval, the outcome; the plan of a dry run')
    .argument('<id>')
    .action(
      action(async (cli, _options, [id]) => {
        const execution = await cli.api.get<Execution>(executionPath(id as string));
        if (cli.out.json) return cli.out.data(execution);
        showExecution(cli.out, execution);
      }),
    );

  executions
    .command('approve')
    .description('approve the step waiting for approval')
    .argument('<id>')
    .option('--comment <text>')
    .action(action<{ comment?: string }>((cli, options, [id]) => decide(cli, id as string, 'approve', options.comment)));

  executions
    .command('reject')
    .description('reject the step waiting for approval')
    .argument('<id>')
    .requiredOption('--comment <text>', 'why (required)')
    .action(action<{ comment: string }>((cli, options, [id]) => decide(cli, id as string, 'reject', options.comment)));

  executions
    .command('cancel')
    .description("cancel a running execution: completed steps' compensations run in reverse")
    .argument('<id>')
    .action(
      action(async (cli, _options, [id]) => {
        const answer = await cli.api.post<{ id: string; status: string }>(`${executionPath(id as string)}/cancel`, {});
        if (cli.out.json) cli.out.data(answer);
        else cli.out.line(`${answer.id}: ${answer.status}`);
      }),
    );
}

async function decide(cli: Cli, id: string, verb: 'approve' | 'reject', comment: string | undefined): Promise<void> {
  const answer = await cli.api.post<unknown>(`${executionPath(id)}/${verb}`, comment === undefined ? {} : { comment });
  if (cli.out.json) return cli.out.data(answer ?? { id, decision: verb });
  cli.out.line(`${id}: ${verb === 'approve' ? 'approved' : 'rejected'}`);
}

const STEP_MARKS: Record<string, string> = { running: '…', completed: '✓', failed: '✗', planned: '·' };

function stepLine(out: Output, step: Step): string {
  const mark = out.paint(STEP_MARKS[step.status] ?? '?', statusColour(step.status));
  const undo = step.compensates ? ` (undoes ${step.compensates})` : '';
  const attempts = step.attempts && step.attempts > 1 ? ` (${step.attempts} attempts)` : '';
  const error = step.error ? `: ${printable(step.error)}` : '';
  return `  ${mark} ${printable(step.id)}${undo}${attempts}${error}`;
}

export function showExecution(out: Output, execution: Execution): void {
  out.line(`${out.paint(execution.id, 'bold')}  ${printable(execution.title)} (${execution.runbookId} v${execution.runbookVersion})`);
  out.fields([
    ['status', out.paint(execution.status, statusColour(execution.status))],
    ['dry run', execution.dryRun ? 'yes: nothing is done, every step is planned' : undefined],
    ['incident', execution.incidentId],
    ['launched', `${time(execution.startedAt)} by ${execution.launchedBy} (${execution.trigger})`],
    ['ended', time(execution.endedAt)],
    ['current step', execution.currentStep],
    ['input', compactJson(execution.input)],
  ]);
  if (execution.pendingApproval) {
    const approval = execution.pendingApproval;
    out.line();
    out.line(out.paint(`Waiting for approval: ${printable(approval.prompt)}`, 'magenta'));
    out.line(`  who may decide: ${approval.approvers.join(', ')}; until ${time(approval.expiresAt)}`);
    out.line(`  firebreak executions approve ${execution.id}   |   firebreak executions reject ${execution.id} --comment <why>`);
  }
  if (execution.plan) {
    out.line();
    out.line(out.paint('Plan:', 'dim'));
    showPlan(out, execution);
  } else if (execution.steps.length > 0) {
    out.line();
    out.table(
      ['step', 'status', 'attempts', 'started', 'error'],
      execution.steps.map((step) => [step.compensates ? `${step.id} (undoes ${step.compensates})` : step.id, step.status, step.attempts, time(step.startedAt), step.error]),
      { 1: statusColour },
    );
  }
  for (const decision of execution.approvals) {
    out.line(`${decision.approved ? 'approved' : 'rejected'} by ${printable(decision.by)}: ${printable(decision.prompt)}${decision.comment ? ` (${printable(decision.comment)})` : ''}`);
  }
  if (execution.outcome) {
    out.line();
    out.fields([
      ['outcome', out.paint(execution.outcome.status, statusColour(execution.outcome.status))],
      ['error', execution.outcome.error],
      ['joined', execution.outcome.joined],
      ['undone', execution.outcome.undone.join(', ')],
      ['result', execution.outcome.result === undefined ? undefined : compactJson(execution.outcome.result)],
    ]);
  }
}

export function showPlan(out: Output, execution: Execution): void {
  out.table(
    ['#', 'step', 'action', 'args'],
    (execution.plan ?? []).map((step, index) => [index + 1, step.step, step.action, compactJson(step.args)]),
  );
}

/**
 * Reads the execution until it finishes. With `progress`, prints each step as it starts and
 * ends, and each approval it waits for, as they happen.
 */
export async function follow(cli: Cli, id: string, progress: boolean): Promise<Execution> {
  const printed = new Map<string, string>();
  let approvalShown: string | undefined;
  let seen = '';
  let waitMs: number = POLL_MS.first;
  for (;;) {
    const execution = await cli.api.get<Execution>(executionPath(id));
    const now = JSON.stringify([execution.status, execution.steps.map((step) => step.status), execution.pendingApproval?.requestedAt]);
    waitMs = now === seen ? Math.min(POLL_MS.max, waitMs * 2) : POLL_MS.first;
    seen = now;
    if (progress) {
      for (const step of execution.steps) {
        if (printed.get(step.id) === step.status) continue;
        printed.set(step.id, step.status);
        cli.out.line(stepLine(cli.out, step));
      }
      const approval = execution.pendingApproval;
      if (approval && approval.requestedAt !== approvalShown) {
        approvalShown = approval.requestedAt;
        cli.out.line(cli.out.paint(`  ? waiting for approval: ${printable(approval.prompt)} (${approval.approvers.join(', ')} may decide)`, 'magenta'));
        cli.out.line(`    firebreak executions approve ${id}   |   firebreak executions reject ${id} --comment <why>`);
      }
    }
    if (FINISHED_EXECUTION_STATUSES.includes(execution.status)) return execution;
    await sleep(waitMs);
  }
}

/** The end of a followed run: printed, and a failure for the exit code unless it completed (or joined a run that will). */
export function finish(cli: Cli, execution: Execution): void {
  const ok = execution.status === 'completed' || execution.status === 'joined';
  if (cli.out.json) cli.out.data(execution);
  else {
    const detail = execution.outcome?.error ?? (execution.outcome?.joined ? `joined ${execution.outcome.joined}` : undefined);
    cli.out.line(`${execution.id}: ${cli.out.paint(execution.status, statusColour(execution.status))}${detail ? `: ${printable(detail)}` : ''}`);
    if (ok && execution.outcome?.result !== undefined) cli.out.line(`result: ${clip(printable(compactJson(execution.outcome.result)), 240)}`);
    if (execution.outcome?.undone.length) cli.out.line(`undone: ${execution.outcome.undone.join(', ')}`);
  }
  if (!ok) throw new CliError(`the run ended ${execution.status}`);
}
