/**
 * AWS Systems Manager Run Command through `@aws-sdk/client-ssm`: SendCommand once per step,
 * then ListCommands until the command is final (heartbeating), then GetCommandInvocation for
 * each instance's exit code and output.
 *
 * SendCommand takes no client token. So the command's `Comment` starts with the step's
 * marker (`firebreak:` and 16 hex digits of its key), and before sending, an attempt looks
 * for a command with that marker among those sent since the step was first scheduled; the
 * heartbeat carries the command's id too, so an attempt after a worker restart resumes
 * waiting on it without a search.
 */
import {
  type Command,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
  type SSMClientConfig,
} from '@aws-sdk/client-ssm';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import {
  type CommandInvocation,
  type RunCommandResult,
  SSM_INSTANCES_SHOWN,
  SSM_OUTPUT_EXCERPT,
  type SsmFinalStatus,
} from '../../core/schemas/capabilities/ssm';
import type { SsmSettings } from '../../core/schemas/integrations-config';
import { awsClientConfig } from '../aws-client';
import { awsProblem } from '../aws-failures';
import { MAX_POLL_INTERVAL_MS, waitDeadline } from '../deploy/wait';
import { fitText } from '../fit';
import { vendorFailure } from '../http-failures';
import { keyDigest } from '../step-input';
import type { RunCommandCommand, SsmPort } from './port';

const VENDOR = 'SSM';
/** SSM keeps 100 characters of a command's comment. */
const COMMENT_MAX = 100;
/** ListCommands and ListCommandInvocations answer at most 50 a page. */
const PAGE_SIZE = 50;
/** Pages of ListCommands read looking for the step's command: 500 commands sent since the step began. */
const SEARCH_PAGES_MAX = 10;
/** How long before the step was first scheduled its command is looked for: clocks differ. */
const SEARCH_SLACK_MS = 15 * 60_000;
/** GetCommandInvocation calls at once. */
const INVOCATIONS_AT_ONCE = 5;
const FINAL: ReadonlySet<string> = new Set<SsmFinalStatus>(['Success', 'Failed', 'TimedOut', 'Cancelled']);

/** The official SSM client, set up as {@link awsClientConfig} says. */
export function createSsmClient(
  settings: Pick<SsmSettings, 'region' | 'endpoint'>,
  timeoutMs: number,
  credentials?: SSMClientConfig['credentials'],
): SSMClient {
  return new SSMClient(awsClientConfig(settings, timeoutMs, credentials));
}

/** The marker a step's command carries at the start of its comment. */
export const commandMarker = (idempotencyKey: string) => `firebreak:${keyDigest(idempotencyKey)}`;

/** Where a step's wait stands: in its heartbeat, read back by a retried attempt. */
interface Progress {
  idempotencyKey: string;
  commandId: string;
  /** When waiting began (ms since the epoch), so a resumed wait keeps the step's bound. */
  since: number;
}

export class SsmRunCommand implements SsmPort {
  constructor(
    private readonly ssm: SSMClient,
    private readonly wait: Pick<SsmSettings, 'pollIntervalMs'>,
  ) {}

  async runCommand(command: RunCommandCommand): Promise<RunCommandResult> {
    const attemptStartedAt = Date.now();
    const resumed = resumedProgress(command.idempotencyKey);
    let commandId = resumed?.commandId ?? (await this.findSent(command));
    const created = commandId === undefined;
    commandId ??= await this.send(command);
    const progress: Progress = { idempotencyKey: command.idempotencyKey, commandId, since: resumed?.since ?? attemptStartedAt };
    Context.current().heartbeat(progress);
    const final = await this.waitUntilFinal(progress, attemptStartedAt);
    const beat = () => Context.current().heartbeat({ ...progress, status: final.Status });
    const { instances, truncated } = await this.invocations(commandId, command, beat);
    const result: RunCommandResult = {
      commandId,
      status: final.Status as SsmFinalStatus,
      created,
      counts: { targets: final.TargetCount ?? 0, completed: final.CompletedCount ?? 0, errors: final.ErrorCount ?? 0 },
      instances,
      truncated,
    };
    if (result.status !== 'Success' && !command.allowFailure) throw commandFailed(result, command.documentName);
    return result;
  }

  /** The id of the step's command if an earlier attempt sent it: its marker, among the commands sent since the step was first scheduled. */
  private async findSent({ idempotencyKey }: RunCommandCommand): Promise<string | undefined> {
    const marker = commandMarker(idempotencyKey);
    const after = new Date(Context.current().info.scheduledTimestampMs - SEARCH_SLACK_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let token: string | undefined;
    for (let page = 0; page < SEARCH_PAGES_MAX; page += 1) {
      const answer = await this.call('list commands', () =>
        this.ssm.send(
          new ListCommandsCommand({ Filters: [{ key: 'InvokedAfter', value: after }], MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}) }),
        ),
      );
      const found = answer.Commands?.find((sent) => sent.Comment?.startsWith(marker));
      if (found?.CommandId) return found.CommandId;
      token = answer.NextToken;
      if (!token) return undefined;
    }
    return undefined;
  }

  private async send(command: RunCommandCommand): Promise<string> {
    const marker = commandMarker(command.idempotencyKey);
    const comment = command.comment?.trim() ? `${marker} ${fitText(command.comment.trim(), COMMENT_MAX - marker.length - 1)}` : marker;
    const answer = await this.call('send command', () =>
      this.ssm.send(
        new SendCommandCommand({
          DocumentName: command.documentName,
          ...(command.instanceIds ? { InstanceIds: command.instanceIds } : {}),
          ...(command.targets ? { Targets: command.targets.map(({ key, values }) => ({ Key: key, Values: values })) } : {}),
          Parameters: command.parameters,
          Comment: comment,
          TimeoutSeconds: command.timeoutSeconds,
        }),
      ),
    );
    const commandId = answer.Command?.CommandId;
    if (!commandId) throw vendorFailure({ vendor: VENDOR, operation: 'send command', status: 500, detail: 'SSM answered no command id' });
    return commandId;
  }

  /**
   * Looks at the command until SSM calls it final, heartbeating where it stands and pausing
   * between looks (from `SSM_POLL_INTERVAL_MS`, doubling up to 5 s); a cancelled step stops at
   * its next pause. Past the step's timeout it fails `OutOfBounds`, not retried.
   */
  private async waitUntilFinal(progress: Progress, attemptStartedAt: number): Promise<Command> {
    const context = Context.current();
    const until = waitDeadline(attemptStartedAt, progress.since);
    let interval = Math.max(1, this.wait.pollIntervalMs);
    const cap = Math.max(MAX_POLL_INTERVAL_MS, interval);
    for (;;) {
      const answer = await this.call('list commands', () => this.ssm.send(new ListCommandsCommand({ CommandId: progress.commandId })));
      const found = answer.Commands?.[0];
      if (!found) throw ApplicationFailure.nonRetryable(`SSM command ${progress.commandId} was not found`, CapabilityFailure.Rejected);
      const status = found.Status ?? 'Pending';
      context.heartbeat({ ...progress, status, completed: found.CompletedCount, targets: found.TargetCount });
      if (FINAL.has(status)) return found;
      const left = until - Date.now();
      if (left <= 0) {
        throw ApplicationFailure.create({
          message: `SSM command ${progress.commandId} did not finish within the step's timeout (waited ${Math.round((Date.now() - progress.since) / 1000)} s); its last status: ${status} (${found.CompletedCount ?? 0} of ${found.TargetCount ?? 0} instances done)`,
          type: CapabilityFailure.OutOfBounds,
          nonRetryable: true,
          details: [{ commandId: progress.commandId, status }],
        });
      }
      await context.sleep(Math.min(interval, left));
      interval = Math.min(interval * 2, cap);
    }
  }

  /** Each instance's outcome, at most {@link SSM_INSTANCES_SHOWN} of them, heartbeating (`beat`) after each batch. */
  private async invocations(
    commandId: string,
    command: RunCommandCommand,
    beat: () => void,
  ): Promise<{ instances: CommandInvocation[]; truncated: boolean }> {
    const ids = command.instanceIds ?? (await this.invokedInstances(commandId));
    const shown = ids.slice(0, SSM_INSTANCES_SHOWN);
    const instances: CommandInvocation[] = [];
    for (let start = 0; start < shown.length; start += INVOCATIONS_AT_ONCE) {
      const batch = shown.slice(start, start + INVOCATIONS_AT_ONCE);
      instances.push(...(await Promise.all(batch.map((instanceId) => this.invocation(commandId, instanceId, command.pluginName)))));
      beat();
    }
    return { instances, truncated: ids.length > shown.length };
  }

  /** The instances SSM ran a targeted command on, one more than are shown (so a cut is known). */
  private async invokedInstances(commandId: string): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const answer = await this.call('list command invocations', () =>
        this.ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}) })),
      );
      for (const invocation of answer.CommandInvocations ?? []) if (invocation.InstanceId) ids.push(invocation.InstanceId);
      token = answer.NextToken;
    } while (token && ids.length <= SSM_INSTANCES_SHOWN);
    return ids;
  }

  private async invocation(commandId: string, instanceId: string, pluginName: string | undefined): Promise<CommandInvocation> {
    const answer = await this.call('get command invocation', () =>
      this.ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId, ...(pluginName ? { PluginName: pluginName } : {}) })),
    );
    return {
      instanceId,
      status: answer.Status ?? 'Pending',
      ...(answer.StatusDetails && answer.StatusDetails !== answer.Status ? { statusDetails: fitText(answer.StatusDetails, 200) } : {}),
      responseCode: answer.ResponseCode ?? -1,
      stdout: lastOf(answer.StandardOutputContent ?? ''),
      stderr: lastOf(answer.StandardErrorContent ?? ''),
    };
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw vendorFailure(awsProblem(VENDOR, operation, error));
    }
  }
}

/** The progress an earlier attempt of this step recorded, if it had a command; undefined on a first attempt. */
function resumedProgress(idempotencyKey: string): Progress | undefined {
  const details: unknown = Context.current().info.heartbeatDetails;
  if (!details || typeof details !== 'object') return undefined;
  const { idempotencyKey: key, commandId, since } = details as Record<string, unknown>;
  if (key !== idempotencyKey || typeof commandId !== 'string' || typeof since !== 'number') return undefined;
  return { idempotencyKey, commandId, since };
}

/** The last {@link SSM_OUTPUT_EXCERPT} characters of `text`, after an ellipsis when cut; a cut never splits a surrogate pair. */
function lastOf(text: string): string {
  if (text.length <= SSM_OUTPUT_EXCERPT) return text;
  let start = text.length - (SSM_OUTPUT_EXCERPT - 1);
  const first = text.charCodeAt(start);
  if (first >= 0xdc00 && first <= 0xdfff) start += 1;
  return `…${text.slice(start)}`;
}

/** A command that ended other than Success: SSM has decided, so the step fails, not retried, naming the instances that failed. */
function commandFailed(result: RunCommandResult, documentName: string): ApplicationFailure {
  const failed = result.instances.filter((instance) => instance.status !== 'Success');
  const named = failed
    .slice(0, 5)
    .map(({ instanceId, status, statusDetails, responseCode, stderr }) => {
      const exit = responseCode >= 0 ? ` (exit ${responseCode})` : '';
      const detail = statusDetails ? `, ${statusDetails}` : '';
      const said = stderr.trim() ? `: ${fitText(stderr.trim().split('\n').slice(-3).join(' / '), 200)}` : '';
      return `${instanceId} ${status}${detail}${exit}${said}`;
    })
    .join('; ');
  const more = failed.length > 5 ? `; and ${failed.length - 5} more` : '';
  return ApplicationFailure.create({
    message: `SSM command ${result.commandId} (${documentName}) ended ${result.status}${named ? `: ${named}${more}` : ''}`,
    type: CapabilityFailure.Rejected,
    nonRetryable: true,
    details: [{ commandId: result.commandId, status: result.status, instances: result.instances.map(({ instanceId, status, responseCode }) => ({ instanceId, status, responseCode })) }],
  });
}
