import {
  cloudWatchAlarm,
  notification,
  subscriptionConfirmation,
  TOPIC_ARN,
  unsubscribeConfirmation,
} from '../../../test/fixtures/sns/messages';
import {
  CloudWatchAlarmSchema,
  isSnsServiceUrl,
  normalizeCloudWatchAlarm,
  parseCloudWatchAlarm,
  SnsEnvelopeSchema,
  type SnsNotification,
  snsStringToSign,
} from './sns';

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  if (result.success) throw new Error('expected the input to be refused');
  return result.error!.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
}

/** A copy of `record` without `keys`. */
function without(record: Record<string, any>, ...keys: string[]): Record<string, any> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

function alarmNotification(state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA' = 'ALARM'): SnsNotification {
  const subject = `${state}: "checkout-p99-latency" in US East (N. Virginia)`;
  const envelope = SnsEnvelopeSchema.parse(notification(JSON.stringify(cloudWatchAlarm(state)), subject));
  if (envelope.Type !== 'Notification') throw new Error('expected a notification');
  return envelope;
}

describe('SNS envelopes', () => {
  it('reads the three message types SNS sends an HTTP endpoint', () => {
    expect(SnsEnvelopeSchema.parse(subscriptionConfirmation()).Type).toBe('SubscriptionConfirmation');
    expect(SnsEnvelopeSchema.parse(notification('hello')).Type).toBe('Notification');
    expect(SnsEnvelopeSchema.parse(unsubscribeConfirmation()).Type).toBe('UnsubscribeConfirmation');
    // Fields SNS may add (MessageAttributes on raw-disabled notifications, say) are allowed.
    const withAttributes = { ...notification('hello'), MessageAttributes: { a: { Type: 'String', Value: 'b' } } };
    expect(SnsEnvelopeSchema.safeParse(withAttributes).success).toBe(true);
  });

  it('refuses malformed envelopes, naming the field', () => {
    expect(issuesOf(SnsEnvelopeSchema.safeParse({ ...notification('x'), Type: 'Telegram' }))).toEqual([
      'Type: Type must be one of SubscriptionConfirmation, Notification, UnsubscribeConfirmation',
    ]);
    expect(issuesOf(SnsEnvelopeSchema.safeParse(without(notification('x'), 'Type')))).toEqual(['Type: Type is required']);
    const unsigned = { ...without(notification('x'), 'Signature'), SignatureVersion: '3' };
    expect(issuesOf(SnsEnvelopeSchema.safeParse(unsigned))).toEqual([
      'SignatureVersion: SignatureVersion must be one of "1", "2"',
      'Signature: Signature is required',
    ]);
    const tokenless = without(subscriptionConfirmation(), 'Token');
    expect(issuesOf(SnsEnvelopeSchema.safeParse(tokenless))).toEqual(['Token: Token is required']);
    expect(issuesOf(SnsEnvelopeSchema.safeParse([]))).toEqual([': the body must be an SNS message (a JSON object)']);
  });
});

describe('snsStringToSign', () => {
  it('signs a notification\'s Message, MessageId, Subject, Timestamp, TopicArn and Type, in that order', () => {
    const envelope = SnsEnvelopeSchema.parse(notification('{"a":1}\nline two', 'ALARM: "x"'));
    expect(snsStringToSign(envelope)).toBe(
      'Message\n{"a":1}\nline two\n' +
        'MessageId\nda41e39f-ea4d-435a-b922-c6aae3915ebe\n' +
        'Subject\nALARM: "x"\n' +
        'Timestamp\n2026-11-21T06:41:07.112Z\n' +
        `TopicArn\n${TOPIC_ARN}\n` +
        'Type\nNotification\n',
    );
  });

  it('leaves Subject out when the notification has none', () => {
    const text = snsStringToSign(SnsEnvelopeSchema.parse(notification('hello')));
    expect(text).toBe(
      'Message\nhello\nMessageId\nda41e39f-ea4d-435a-b922-c6aae3915ebe\nTimestamp\n2026-11-21T06:41:07.112Z\n' +
        `TopicArn\n${TOPIC_ARN}\nType\nNotification\n`,
    );
    // Fields that are not signed (UnsubscribeURL, SigningCertURL, Signature) never appear.
    expect(text).not.toMatch(/UnsubscribeURL|SigningCertURL|Signature/);
    expect(snsStringToSign(SnsEnvelopeSchema.parse({ ...notification('hello'), Subject: null }))).toBe(text);
  });

  it('signs a confirmation\'s Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn and Type', () => {
    for (const body of [subscriptionConfirmation(), unsubscribeConfirmation()]) {
      expect(snsStringToSign(SnsEnvelopeSchema.parse(body))).toBe(
        `Message\n${body.Message}\nMessageId\n${body.MessageId}\nSubscribeURL\n${body.SubscribeURL}\n` +
          `Timestamp\n${body.Timestamp}\nToken\n${body.Token}\nTopicArn\n${TOPIC_ARN}\nType\n${body.Type}\n`,
      );
    }
  });
});

describe('isSnsServiceUrl', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem',
    'https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-central-1:1:t&Token=abc',
    'https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-1.pem',
    'https://sns.ap-southeast-5.amazonaws.com/x.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-1.pem',
    'https://SNS.US-EAST-1.AMAZONAWS.COM/x.pem',
    'https://sns.us-east-1.amazonaws.com:443/x.pem',
  ])('accepts %s', (url) => {
    expect(isSnsServiceUrl(url)).toBe(true);
  });

  it.each([
    ['a lookalike host', 'https://sns.us-east-1.amazonaws.com.evil.example/x.pem'],
    ['a lookalike suffix', 'https://evilsns.us-east-1.amazonaws.com/x.pem'],
    ['another AWS service', 'https://s3.us-east-1.amazonaws.com/x.pem'],
    ['a bucket under amazonaws.com', 'https://sns.us-east-1.amazonaws.com.s3.amazonaws.com/x.pem'],
    ['no region', 'https://sns.amazonaws.com/x.pem'],
    ['a China region outside .com.cn', 'https://sns.cn-north-1.amazonaws.com/x.pem'],
    ['a global region under .com.cn', 'https://sns.us-east-1.amazonaws.com.cn/x.pem'],
    ['a trailing dot', 'https://sns.us-east-1.amazonaws.com./x.pem'],
    ['plain http', 'http://sns.us-east-1.amazonaws.com/x.pem'],
    ['another port', 'https://sns.us-east-1.amazonaws.com:8443/x.pem'],
    ['user info', 'https://attacker@sns.us-east-1.amazonaws.com/x.pem'],
    ['user info hiding the real host', 'https://sns.us-east-1.amazonaws.com:pw@evil.example/x.pem'],
    ['an IPv4 address', 'https://54.239.28.85/x.pem'],
    ['an IPv6 address', 'https://[2600:1f18::1]/x.pem'],
    ['a file URL', 'file:///etc/passwd'],
    ['not a URL', 'sns.us-east-1.amazonaws.com/x.pem'],
    ['an empty string', ''],
  ])('refuses %s', (_why, url) => {
    expect(isSnsServiceUrl(url)).toBe(false);
  });
});

describe('CloudWatch alarms over SNS', () => {
  it('turns ALARM into a firing alert keyed by the alarm ARN', () => {
    const envelope = alarmNotification('ALARM');
    const parsed = parseCloudWatchAlarm(envelope.Message);
    if (!parsed.success) throw parsed.error;
    expect(normalizeCloudWatchAlarm(parsed.data, envelope)).toEqual({
      source: 'cloudwatch',
      status: 'firing',
      summary: 'checkout-p99-latency: Checkout p99 latency above 2s for 5 minutes.',
      dedupKey: 'sns:arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-p99-latency',
      service: 'checkout',
      labels: {
        alarm_name: 'checkout-p99-latency',
        aws_account_id: '123456789012',
        region: 'us-east-1',
        sns_topic_arn: TOPIC_ARN,
        namespace: 'AWS/ApplicationELB',
        metric_name: 'TargetResponseTime',
        dimension_LoadBalancer: 'app/checkout/50dc6c495c0c9188',
        dimension_Service: 'checkout',
      },
      annotations: {
        description: 'Checkout p99 latency above 2s for 5 minutes.',
        reason: expect.stringContaining('Threshold Crossed') as string,
        state_change_time: '2026-11-21T06:41:06.991+0000',
        region_name: 'US East (N. Virginia)',
        sns_message_id: envelope.MessageId,
        alarm_arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-p99-latency',
        old_state: 'OK',
      },
      startsAt: '2026-11-21T06:41:06.991Z',
    });
  });

  it('turns OK into a resolved alert on the same key', () => {
    const firing = alarmNotification('ALARM');
    const resolved = alarmNotification('OK');
    const firingAlert = normalizeCloudWatchAlarm(CloudWatchAlarmSchema.parse(JSON.parse(firing.Message)), firing);
    const resolvedAlert = normalizeCloudWatchAlarm(CloudWatchAlarmSchema.parse(JSON.parse(resolved.Message)), resolved);
    expect(resolvedAlert).toMatchObject({ status: 'resolved', dedupKey: firingAlert?.dedupKey });
  });

  it('records nothing for INSUFFICIENT_DATA: missing datapoints neither start nor end a problem', () => {
    const envelope = alarmNotification('INSUFFICIENT_DATA');
    expect(normalizeCloudWatchAlarm(CloudWatchAlarmSchema.parse(JSON.parse(envelope.Message)), envelope)).toBeNull();
  });

  it('reads an older or composite alarm: no ARN, no trigger, null description', () => {
    const envelope = alarmNotification();
    const older = { ...without(cloudWatchAlarm(), 'AlarmArn', 'Trigger'), AlarmDescription: null };
    const alert = normalizeCloudWatchAlarm(CloudWatchAlarmSchema.parse(older), envelope);
    expect(alert).toMatchObject({
      summary: 'checkout-p99-latency',
      dedupKey: 'sns:checkout-p99-latency',
      service: undefined,
      labels: { alarm_name: 'checkout-p99-latency', region: 'US East (N. Virginia)', aws_account_id: '123456789012' },
    });
    expect(alert?.labels).not.toHaveProperty('namespace');
    expect(alert?.annotations).not.toHaveProperty('description');
  });

  it('names the field of a malformed alarm under Message', () => {
    const alarm = cloudWatchAlarm();
    alarm.NewStateValue = 'BROKEN';
    alarm.Trigger.Dimensions = [{ name: 'Service', value: 42 }];
    delete alarm.AlarmName;
    alarm.StateChangeTime = 'last Tuesday';
    expect(issuesOf(parseCloudWatchAlarm(JSON.stringify(alarm)))).toEqual([
      'Message.AlarmName: AlarmName is required',
      'Message.NewStateValue: NewStateValue must be one of "ALARM", "OK", "INSUFFICIENT_DATA"',
      'Message.StateChangeTime: StateChangeTime must be a date-time such as 2015-06-03T17:43:27.123+0000',
      'Message.Trigger.Dimensions.0.value: Trigger.Dimensions[].value must be a string',
    ]);
  });

  it('says so when Message is not JSON at all', () => {
    expect(issuesOf(parseCloudWatchAlarm('Hello from a topic that is not CloudWatch'))).toEqual([
      'Message: Message must be the JSON of a CloudWatch alarm',
    ]);
  });
});
