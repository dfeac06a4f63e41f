/**
 * AWS Systems Manager Run Command: a document (a shell script by default) run on instances,
 * waited for until every instance has a final answer.
 */
import { z } from 'zod';
import { StepInputBase, stepText } from './common';

/** SendCommand takes at most 50 instance ids, and 1 to 5 targets of up to 50 values each. */
export const SSM_INSTANCE_IDS_MAX = 50;
export const SSM_TARGETS_MAX = 5;
/** The most instances a result describes one by one (the counts cover the rest). */
export const SSM_INSTANCES_SHOWN = 25;
/** Characters of each instance's stdout and stderr a result keeps: the last ones, where a script says how it ended. */
export const SSM_OUTPUT_EXCERPT = 1000;

/** SSM's final states of a command and of each invocation. */
export const SsmFinalStatusSchema = z.enum(['Success', 'Failed', 'TimedOut', 'Cancelled']);
export type SsmFinalStatus = z.infer<typeof SsmFinalStatusSchema>;

export const RunCommandInputSchema = StepInputBase.extend({
  /** An SSM document's name or ARN. @default AWS-RunShellScript */
  documentName: z
    .string()
    .regex(/^[a-zA-Z0-9_\-.:/]{3,128}$/, 'must be an SSM document name or ARN: 3 to 128 letters, digits and _-.:/')
    .default('AWS-RunShellScript'),
  /** The instances (`i-…`, or `mi-…` for managed ones) to run it on; or give `targets`. */
  instanceIds: z
    .array(z.string().regex(/^(i|mi)-[0-9a-f]{8,17}$/, 'must be an instance id, e.g. i-0123456789abcdef0'))
    .min(1)
    .max(SSM_INSTANCE_IDS_MAX)
    .optional(),
  /** Instances chosen by SSM: `{ key: 'tag:Role', values: ['web'] }`, `resource-groups:Name`, …; or give `instanceIds`. */
  targets: z
    .array(
      z.object({
        key: z.string().min(1).max(163),
        values: z.array(z.string().min(1).max(256)).min(1).max(50),
      }),
    )
    .min(1)
    .max(SSM_TARGETS_MAX)
    .optional(),
  /**
   * The document's parameters: for AWS-RunShellScript `{ commands: ['systemctl restart app'] }`
   * (and `executionTimeout`, in seconds, default 3600). They are recorded with the step: pass
   * secrets as `{{ssm-secure:name}}` references, which the instance resolves.
   */
  parameters: z.record(z.string().min(1).max(128), z.array(stepText()).max(100)).default({}),
  /** A note for SSM's console; cut to fit beside the step's marker (SSM keeps 100 characters). */
  comment: stepText().optional(),
  /**
   * SSM's `TimeoutSeconds`: an instance that has not started the command in this time never
   * runs it (`Delivery Timed Out`). How long the step waits is the step's own timeout.
   * @default 600
   */
  timeoutSeconds: z.number().int().min(30).max(2_592_000).default(600),
  /**
   * The document's step whose output to read, for documents of several steps (SSM's
   * `PluginName`, e.g. `aws:runShellScript`). One-step documents need none.
   */
  pluginName: z.string().min(1).max(128).optional(),
  /** Answer when the command failed, timed out or was cancelled, instead of failing the step. @default false */
  allowFailure: z.boolean().default(false),
}).refine((input) => (input.instanceIds === undefined) !== (input.targets === undefined), {
  message: 'give instanceIds or targets, not both and not neither',
  path: ['instanceIds'],
});
export type RunCommandInput = z.input<typeof RunCommandInputSchema>;

export const CommandInvocationSchema = z.object({
  instanceId: z.string(),
  /** SSM's status of the command on this instance: a final one (Success, Failed, TimedOut, Cancelled) or another when the step timed out. */
  status: z.string(),
  /** SSM's detail, e.g. `Delivery Timed Out`, `Execution Timed Out`, `Undeliverable`. */
  statusDetails: z.string().optional(),
  /** The script's exit code; -1 when it did not run. */
  responseCode: z.number().int(),
  /** The last {@link SSM_OUTPUT_EXCERPT} characters of its standard output and error. */
  stdout: z.string(),
  stderr: z.string(),
});
export type CommandInvocation = z.infer<typeof CommandInvocationSchema>;

export const RunCommandResultSchema = z.object({
  commandId: z.string(),
  /** SSM's verdict on the whole command. */
  status: SsmFinalStatusSchema,
  /** False when an earlier attempt of the step had sent it already (it was not sent again). */
  created: z.boolean(),
  /** Instances the command was for, those done, and those where it failed (SSM's counts). */
  counts: z.object({ targets: z.number().int(), completed: z.number().int(), errors: z.number().int() }),
  /** At most {@link SSM_INSTANCES_SHOWN} instances, in SSM's order. */
  instances: z.array(CommandInvocationSchema),
  /** More instances ran it than are described. */
  truncated: z.boolean(),
  /** True from the built-in local adapter: the command was only recorded, nothing ran. */
  recordedOnly: z.boolean().optional(),
});
export type RunCommandResult = z.infer<typeof RunCommandResultSchema>;
