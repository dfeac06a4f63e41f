import { z } from 'zod';
import { CloudEventSchema } from '../../../../core/schemas/alert-sources/cloudevents';
import { OpsgenieCloseAlertSchema, OpsgenieCreateAlertSchema } from '../../../../core/schemas/alert-sources/opsgenie';
import { PagerDutyEventSchema } from '../../../../core/schemas/alert-sources/pagerduty';
import { createApiDto } from '../http/api-dto';

/** A trigger, acknowledge or resolve event, as one OpenAPI schema (a union, keyed by `event_action`). */
export const PAGERDUTY_EVENT_OPENAPI = z.toJSONSchema(PagerDutyEventSchema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });

/** One CloudEvent in the JSON format (structured mode; a batch is an array of them). */
export const CLOUDEVENT_OPENAPI = z.toJSONSchema(CloudEventSchema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });

export const PagerDutyAcceptedSchema = z.object({
  status: z.literal('success'),
  message: z.string().describe('`Event processed`; for an acknowledge or resolve with nothing to do, it says why.'),
  dedup_key: z.string().describe('The event\'s dedup key: the one sent, or the one derived from a trigger without one (the same event gives the same key).'),
  incidentId: z.string().nullable().describe('The incident the event acted on; null when queued during a storm, or when there was nothing to do.'),
});
export type PagerDutyAccepted = z.infer<typeof PagerDutyAcceptedSchema>;
export class PagerDutyAcceptedDto extends createApiDto(PagerDutyAcceptedSchema) {}

export const PagerDutyInvalidSchema = z.object({
  status: z.string().describe('`invalid event` for a 400, as PagerDuty answers; otherwise the error\'s name.'),
  message: z.string(),
  errors: z.array(z.string()).describe('Each broken rule, naming its field.'),
});
export class PagerDutyInvalidDto extends createApiDto(PagerDutyInvalidSchema) {}

export class OpsgenieCreateAlertDto extends createApiDto(OpsgenieCreateAlertSchema) {}
export class OpsgenieCloseAlertDto extends createApiDto(OpsgenieCloseAlertSchema) {}

export const OpsgenieAcceptedSchema = z.object({
  result: z.literal('Request will be processed'),
  took: z.number().describe('Seconds the request took.'),
  requestId: z.string(),
  incidentId: z.string().nullable().describe('The incident the request acted on; null when queued during a storm, or when there was nothing to do.'),
  reason: z.string().optional().describe('For a close with nothing to do: why.'),
});
export type OpsgenieAccepted = z.infer<typeof OpsgenieAcceptedSchema>;
export class OpsgenieAcceptedDto extends createApiDto(OpsgenieAcceptedSchema) {}

export const OpsgenieErrorSchema = z.object({
  message: z.string().describe('What is wrong, naming each field.'),
  errors: z.record(z.string(), z.string()).optional().describe('For a 422: each broken rule by field, as Opsgenie answers.'),
  took: z.number(),
  requestId: z.string(),
});
export class OpsgenieErrorDto extends createApiDto(OpsgenieErrorSchema) {}
