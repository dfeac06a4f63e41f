/**
 * The schema that validates each operation's input at the activity boundary, for the
 * declarations in core/model/capabilities/operations.ts. Every declared operation needs one
 * (a missing entry is a compile error), and each schema must accept exactly the declared
 * input.
 */
import type { z } from 'zod';
import { CreateChannelInputSchema, InviteToChannelInputSchema, PostMessageInputSchema, SetTopicInputSchema, UpdateMessageInputSchema } from './chat';
import { FindReleasesInputSchema, RollbackInputSchema } from './deploy';
import { HttpRequestInputSchema } from './http';
import type { Capability, OperationInput, OperationName, OperationOutput } from '../../model/capabilities/operations';
import { DescribeDeploymentInputSchema, RestartDeploymentInputSchema, RollbackDeploymentInputSchema, ScaleDeploymentInputSchema } from './kubernetes';
import { ListAlarmsInputSchema } from './monitoring';
import { SendNotificationInputSchema } from './notification';
import { PageInputSchema } from './paging';
import { DescribeServiceInputSchema, ScaleServiceInputSchema } from './scaling';
import { RunCommandInputSchema } from './ssm';
import { OpenStatusIncidentInputSchema, SetComponentStatusInputSchema, UpdateStatusIncidentInputSchema } from './status-page';
import { CommentOnTicketInputSchema, CreateTicketInputSchema, TransitionTicketInputSchema } from './ticketing';
import { CreateMeetingInputSchema } from './video';

type SchemaTable = { [C in Capability]: { [O in OperationName<C>]: z.ZodType<unknown, OperationInput<C, O>> } };

export const OPERATION_SCHEMAS = {
  ticketing: { createTicket: CreateTicketInputSchema, comment: CommentOnTicketInputSchema, transition: TransitionTicketInputSchema },
  chat: {
    createChannel: CreateChannelInputSchema,
    invite: InviteToChannelInputSchema,
    postMessage: PostMessageInputSchema,
    updateMessage: UpdateMessageInputSchema,
    setTopic: SetTopicInputSchema,
  },
  video: { createMeeting: CreateMeetingInputSchema },
  statusPage: {
    openIncident: OpenStatusIncidentInputSchema,
    updateIncident: UpdateStatusIncidentInputSchema,
    setComponentStatus: SetComponentStatusInputSchema,
  },
  deploy: { findReleases: FindReleasesInputSchema, rollback: RollbackInputSchema },
  scaling: { describeService: DescribeServiceInputSchema, scaleService: ScaleServiceInputSchema },
  paging: { page: PageInputSchema },
  monitoring: { listAlarms: ListAlarmsInputSchema },
  kubernetes: {
    describeDeployment: DescribeDeploymentInputSchema,
    scaleDeployment: ScaleDeploymentInputSchema,
    restartDeployment: RestartDeploymentInputSchema,
    rollbackDeployment: RollbackDeploymentInputSchema,
  },
  notification: { send: SendNotificationInputSchema },
  http: { request: HttpRequestInputSchema },
  ssm: { runCommand: RunCommandInputSchema },
} as const satisfies SchemaTable;

/** What an adapter receives for operation `O`: its input, validated, with the schema's defaults applied. */
export type OperationCommand<C extends Capability, O extends OperationName<C>> = SchemaOf<C, O> extends z.ZodType ? z.output<SchemaOf<C, O>> : never;

/** The schema of operation `O` of capability `C`. */
export type SchemaOf<C extends Capability, O extends OperationName<C>> = O extends keyof (typeof OPERATION_SCHEMAS)[C]
  ? (typeof OPERATION_SCHEMAS)[C][O]
  : never;

/** The schema of operation `name` of `capability`. */
export function schemaOf<C extends Capability, O extends OperationName<C>>(capability: C, name: O): z.ZodType {
  return (OPERATION_SCHEMAS[capability] as Record<string, z.ZodType>)[name];
}

/**
 * The port of a capability: one method per declared operation, named as declared. Each
 * adapter `implements` it, so an operation an adapter lacks is a compile error there.
 */
export type CapabilityPort<C extends Capability> = {
  [O in OperationName<C>]: (command: OperationCommand<C, O>) => Promise<OperationOutput<C, O>>;
};
