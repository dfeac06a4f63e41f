/**
 * Amazon SNS deliveries to an HTTP(S) endpoint, and the CloudWatch alarm a notification
 * carries. What is pure lives here: the envelope schemas, the text SNS signs, which URLs
 * belong to SNS itself, and the alarm's normalization. Fetching certificates and checking
 * signatures happen in the API (apps/api/src/alerts/signatures/sns-signature.ts).
 *
 * References: https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
import { z } from 'zod';
import type { Alert } from '../../model/alert';
import { boundAlert } from '../../model/alert-bounds';
import { dateTimeField, nonEmptyField, numberField, oneOfField, stringField } from './fields';

export const SnsMessageType = {
  SubscriptionConfirmation: 'SubscriptionConfirmation',
  Notification: 'Notification',
  UnsubscribeConfirmation: 'UnsubscribeConfirmation',
} as const;
export type SnsMessageType = (typeof SnsMessageType)[keyof typeof SnsMessageType];

/** Fields every SNS HTTP message has. */
const snsCommonFields = {
  MessageId: nonEmptyField('MessageId'),
  TopicArn: nonEmptyField('TopicArn'),
  Message: stringField('Message'),
  Timestamp: dateTimeField('Timestamp'),
  /** 1: SHA1withRSA, 2: SHA256withRSA. */
  SignatureVersion: oneOfField('SignatureVersion', ['1', '2']),
  /** Base64 RSA signature over {@link snsStringToSign}. */
  Signature: nonEmptyField('Signature'),
  SigningCertURL: nonEmptyField('SigningCertURL'),
};

/** Fields of the two confirmation messages: visiting `SubscribeURL` (re)confirms the subscription. */
const snsConfirmationFields = {
  ...snsCommonFields,
  Token: nonEmptyField('Token'),
  SubscribeURL: nonEmptyField('SubscribeURL'),
};

export const SnsSubscriptionConfirmationSchema = z.object({
  Type: z.literal(SnsMessageType.SubscriptionConfirmation),
  ...snsConfirmationFields,
});
export type SnsSubscriptionConfirmation = z.infer<typeof SnsSubscriptionConfirmationSchema>;

export const SnsNotificationSchema = z.object({
  Type: z.literal(SnsMessageType.Notification),
  ...snsCommonFields,
  /** Present only when the publisher set one; null is read as absent. */
  Subject: stringField('Subject').nullish(),
  UnsubscribeURL: stringField('UnsubscribeURL').optional(),
});
export type SnsNotification = z.infer<typeof SnsNotificationSchema>;

export const SnsUnsubscribeConfirmationSchema = z.object({
  Type: z.literal(SnsMessageType.UnsubscribeConfirmation),
  ...snsConfirmationFields,
});
export type SnsUnsubscribeConfirmation = z.infer<typeof SnsUnsubscribeConfirmationSchema>;

/** The JSON body SNS POSTs to an HTTP(S) subscriber. Unknown fields (MessageAttributes, …) are allowed. */
export const SnsEnvelopeSchema = z.discriminatedUnion(
  'Type',
  [SnsSubscriptionConfirmationSchema, SnsNotificationSchema, SnsUnsubscribeConfirmationSchema],
  {
    error: (issue) => {
      // Typed as a union issue, but a body that is not an object fails with invalid_type.
      if ((issue.code as string) === 'invalid_type') return 'the body must be an SNS message (a JSON object)';
      return (issue.input as { Type?: unknown } | undefined)?.Type === undefined
        ? 'Type is required'
        : `Type must be one of ${Object.values(SnsMessageType).join(', ')}`;
    },
  },
);
export type SnsEnvelope = z.infer<typeof SnsEnvelopeSchema>;

/**
 * The text SNS signs: `Key\nValue\n` for each field, in byte order of the names, from a list
 * that depends on the message type (`Subject` only when the notification has one).
 */
export function snsStringToSign(envelope: SnsEnvelope): string {
  const pairs: [string, string][] =
    envelope.Type === SnsMessageType.Notification
      ? [
          ['Message', envelope.Message],
          ['MessageId', envelope.MessageId],
          ...(typeof envelope.Subject === 'string' ? [['Subject', envelope.Subject] as [string, string]] : []),
          ['Timestamp', envelope.Timestamp],
          ['TopicArn', envelope.TopicArn],
          ['Type', envelope.Type],
        ]
      : [
          ['Message', envelope.Message],
          ['MessageId', envelope.MessageId],
          ['SubscribeURL', envelope.SubscribeURL],
          ['Timestamp', envelope.Timestamp],
          ['Token', envelope.Token],
          ['TopicArn', envelope.TopicArn],
          ['Type', envelope.Type],
        ];
  return pairs.map(([key, value]) => `${key}\n${value}\n`).join('');
}

/** `sns.<region>.amazonaws.com`, or `sns.cn-<…>.amazonaws.com.cn` in the China partition. */
const SNS_HOST = /^sns\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(\.cn)?$/;

/**
 * True only for an `https:` URL on the SNS service's own host, on the default port and with
 * no user info. A signing certificate or a subscribe link anywhere else is an attacker's:
 * fetching it would let anyone sign messages, or make Firebreak request URLs for them.
 */
export function isSnsServiceUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // The WHATWG parser drops the default port, so an explicit `:443` reads as no port.
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') {
    return false;
  }
  const host = SNS_HOST.exec(parsed.hostname);
  if (!host) return false;
  const [, region, china] = host;
  // China regions live only under .amazonaws.com.cn, and only they do.
  return (china !== undefined) === region.startsWith('cn-');
}

export const CLOUDWATCH_SOURCE = 'cloudwatch';

const CloudWatchStateField = (field: string) => oneOfField(field, ['ALARM', 'OK', 'INSUFFICIENT_DATA']);

/** A metric alarm's trigger. Metric-math and anomaly-detection alarms leave out some fields. */
export const CloudWatchTriggerSchema = z.object({
  MetricName: stringField('Trigger.MetricName').optional(),
  Namespace: stringField('Trigger.Namespace').optional(),
  StatisticType: stringField('Trigger.StatisticType').optional(),
  Statistic: stringField('Trigger.Statistic').optional(),
  Unit: stringField('Trigger.Unit').nullish(),
  Dimensions: z
    .array(
      z.object({ name: stringField('Trigger.Dimensions[].name'), value: stringField('Trigger.Dimensions[].value') }),
    )
    .nullish(),
  Period: numberField('Trigger.Period').optional(),
  EvaluationPeriods: numberField('Trigger.EvaluationPeriods').optional(),
  DatapointsToAlarm: numberField('Trigger.DatapointsToAlarm').optional(),
  ComparisonOperator: stringField('Trigger.ComparisonOperator').optional(),
  Threshold: numberField('Trigger.Threshold').optional(),
  TreatMissingData: stringField('Trigger.TreatMissingData').optional(),
  EvaluateLowSampleCountPercentile: stringField('Trigger.EvaluateLowSampleCountPercentile').optional(),
});

/** CloudWatch writes times as `2015-06-03T17:43:27.123+0000`: RFC 3339 but for the offset's colon. */
const CLOUDWATCH_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** The JSON CloudWatch puts in an SNS notification's `Message` when an alarm changes state. */
export const CloudWatchAlarmSchema = z.object({
  AlarmName: nonEmptyField('AlarmName'),
  AlarmDescription: stringField('AlarmDescription').nullish(),
  AWSAccountId: nonEmptyField('AWSAccountId'),
  NewStateValue: CloudWatchStateField('NewStateValue'),
  NewStateReason: stringField('NewStateReason'),
  StateChangeTime: stringField('StateChangeTime').regex(CLOUDWATCH_TIME, {
    error: 'StateChangeTime must be a date-time such as 2015-06-03T17:43:27.123+0000',
  }),
  /** The region's display name, e.g. "US East (N. Virginia)"; the code is in `AlarmArn`. */
  Region: stringField('Region'),
  AlarmArn: nonEmptyField('AlarmArn').optional(),
  OldStateValue: CloudWatchStateField('OldStateValue').optional(),
  /** Absent for composite alarms. */
  Trigger: CloudWatchTriggerSchema.optional(),
});
export type CloudWatchAlarm = z.infer<typeof CloudWatchAlarmSchema>;

/**
 * Reads a notification's `Message` as a CloudWatch alarm. Issues name the field under
 * `Message`, e.g. `Message.NewStateValue`, like any other field of the body.
 */
export function parseCloudWatchAlarm(
  message: string,
): { success: true; data: CloudWatchAlarm } | { success: false; error: z.ZodError } {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return {
      success: false,
      error: new z.ZodError([
        {
          code: 'custom',
          path: ['Message'],
          message: 'Message must be the JSON of a CloudWatch alarm',
          input: message,
        },
      ]),
    };
  }
  const parsed = CloudWatchAlarmSchema.safeParse(json);
  if (parsed.success) return parsed;
  return {
    success: false,
    error: new z.ZodError(parsed.error.issues.map((issue) => ({ ...issue, path: ['Message', ...issue.path] }))),
  };
}

/**
 * The alert an alarm's state change means: ALARM fires, OK resolves. INSUFFICIENT_DATA gives
 * null: it says the alarm cannot evaluate its metric (too few datapoints), not that the
 * problem started or ended. Counting it as resolved would mitigate a live incident whenever
 * a metric stops reporting; counting it as firing would page for gaps that alarm authors
 * handle with TreatMissingData. The caller records nothing and answers 2xx.
 */
export function normalizeCloudWatchAlarm(message: CloudWatchAlarm, envelope: SnsNotification): Alert | null {
  if (message.NewStateValue === 'INSUFFICIENT_DATA') return null;
  const trigger = message.Trigger;
  const dimensions = trigger?.Dimensions ?? [];
  const description = message.AlarmDescription?.trim();
  const labels: Record<string, string> = {
    alarm_name: message.AlarmName,
    aws_account_id: message.AWSAccountId,
    region: regionOf(message.AlarmArn) ?? message.Region,
    sns_topic_arn: envelope.TopicArn,
  };
  if (trigger?.Namespace) labels.namespace = trigger.Namespace;
  if (trigger?.MetricName) labels.metric_name = trigger.MetricName;
  // Prefixed, a dimension's name cannot be `__proto__` or another inherited name.
  for (const { name, value } of dimensions) labels[`dimension_${name}`] = value;
  const annotations: Record<string, string> = {
    reason: message.NewStateReason,
    state_change_time: message.StateChangeTime,
    region_name: message.Region,
    sns_message_id: envelope.MessageId,
  };
  if (description) annotations.description = description;
  if (message.AlarmArn) annotations.alarm_arn = message.AlarmArn;
  if (message.OldStateValue) annotations.old_state = message.OldStateValue;
  // Within the alert limits like every alert: a long description or many dimensions are cut, with a note.
  return boundAlert({
    source: CLOUDWATCH_SOURCE,
    status: message.NewStateValue === 'ALARM' ? 'firing' : 'resolved',
    summary: description ? `${message.AlarmName}: ${description}` : message.AlarmName,
    dedupKey: `sns:${message.AlarmArn ?? message.AlarmName}`,
    service: dimensions.find(({ name }) => name.toLowerCase() === 'service')?.value,
    labels,
    annotations,
    startsAt: toIsoTime(message.StateChangeTime) ?? envelope.Timestamp,
  });
}

/** `arn:aws:cloudwatch:us-east-1:123456789012:alarm:name` → `us-east-1`. */
function regionOf(arn: string | undefined): string | undefined {
  const region = arn?.split(':')[3];
  return region ? region : undefined;
}

function toIsoTime(cloudWatchTime: string): string | undefined {
  const withColon = cloudWatchTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = new Date(withColon);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
