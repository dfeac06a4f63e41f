import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnsEnvelopeSchema, snsStringToSign } from '../../../core/schemas/alert-sources/sns';
import { SnsSignatureVerifier } from '../src/alerts/signatures/sns-signature';
import { TestFirebreak, TEST_KEYS } from '../../../test/firebreak';
import { cloudWatchAlarm, notification, SIGNING_CERT_URL, subscriptionConfirmation, TOPIC_ARN } from '../../../test/fixtures/sns/messages';
import { createSigningCertificate, snsSign } from '../../../test/fixtures/sns/signing-certificate';
import { testOperatorConfig } from '../../../test/operator';

const fixture = (n: number) =>
  JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alertmanager', `alertmanager-0.25-webhook-${n}.json`), 'utf8'))
    .body as Record<string, any>;

/** Makes a delivery unique to one test run, so incidents from other tests never interfere. */
const uniqueGroup = (body: Record<string, any>, tag: string) => ({ ...body, groupKey: `${body.groupKey}/${tag}` });

describe('alert sources end to end', () => {
  const signer = createSigningCertificate();
  const confirmations: string[] = [];
  const certificateRequests: string[] = [];
  let firebreak: TestFirebreak;
  const grafanaSecret = 'grafana-shared-secret-123';

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({
      operator: testOperatorConfig(),
      env: { GRAFANA_WEBHOOK_SECRET: grafanaSecret, SNS_TOPIC_ARNS: TOPIC_ARN },
      sns: {
        verifier: new SnsSignatureVerifier({
          fetchCertificate: async (url) => {
            certificateRequests.push(url);
            if (url !== SIGNING_CERT_URL) throw new Error(`no certificate at ${url}`);
            return signer.certificatePem;
          },
        }),
        get: async (url) => {
          confirmations.push(url);
          return new Response('<ConfirmSubscriptionResponse/>', { status: 200 });
        },
      },
    });
  });
  afterAll(() => firebreak.stop());

  describe('Alertmanager', () => {
    it('groups a captured delivery into one incident, and records each alert state once', async () => {
      const tag = firebreak.taskQueue;
      const first = await firebreak.as('responder').post('/v1/alerts/alertmanager', uniqueGroup(fixture(1), tag));
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ recorded: 3, ignored: 0, incidentIds: [first.body.incidentId] });

      const other = await firebreak.as('responder').post('/v1/alerts/alertmanager', uniqueGroup(fixture(2), tag));
      expect(other.body.incidentId).not.toBe(first.body.incidentId);

      const third = await firebreak.as('responder').post('/v1/alerts/alertmanager', uniqueGroup(fixture(3), tag));
      expect(third.body.incidentIds).toEqual([first.body.incidentId]);

      const incident = (await firebreak.as('viewer').get(`/v1/incidents/${first.body.incidentId}`)).body;
      // Delivery 3 repeats b and c in the same firing state (recorded once) and resolves a.
      expect(incident).toMatchObject({ alertCount: 4, firingAlerts: 2, service: 'payments', severity: 'SEV1' });
      const resolved = incident.alerts.filter((alert: { status: string }) => alert.status === 'resolved');
      expect(resolved).toEqual([expect.objectContaining({ fingerprint: '91a8b05b95f3a561', labels: expect.objectContaining({ instance: 'a' }) })]);
    });

    it('gives one incident for the same delivery three times at once, and records it once', async () => {
      const body = uniqueGroup(fixture(2), `${firebreak.taskQueue}-dup`);
      const answers = await Promise.all([1, 2, 3].map(() => firebreak.as('responder').post('/v1/alerts/alertmanager', body)));
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
      expect(new Set(answers.map((answer) => answer.body.incidentId)).size).toBe(1);
      const incident = (await firebreak.as('viewer').get(`/v1/incidents/${answers[0].body.incidentId}`)).body;
      expect(incident.alertCount).toBe(1);
    });

    it('refuses basic auth even with a right key, saying to send Bearer, and names the broken field of a bad payload', async () => {
      const basic = Buffer.from(`alertmanager:${TEST_KEYS.responder}`).toString('base64');
      const refused = await firebreak.http.post('/v1/alerts/alertmanager', uniqueGroup(fixture(2), `${firebreak.taskQueue}-basic`), {
        authorization: `Basic ${basic}`,
      });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toMatch(/HTTP Basic authentication is not accepted: send "Authorization: Bearer <api key>"/);
      expect(refused.text).not.toContain(TEST_KEYS.responder);

      const broken = fixture(1);
      broken.alerts[0].labels = 'not a map';
      const bad = await firebreak.as('responder').post('/v1/alerts/alertmanager', broken);
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toBe('alerts.0.labels');
    });
  });

  describe('Grafana', () => {
    const payload = (status: 'firing' | 'resolved', groupKey: string) => ({
      receiver: 'firebreak',
      status,
      orgId: 1,
      alerts: [
        {
          status,
          labels: { alertname: 'HighLoad', service: 'search', severity: 'warning' },
          annotations: { summary: 'CPU above 90% on search' },
          startsAt: '2026-11-21T06:00:00Z',
          endsAt: status === 'resolved' ? '2026-11-21T06:10:00Z' : '0001-01-01T00:00:00Z',
          generatorURL: 'https://grafana.example/alerting/grafana/abc/view',
          fingerprint: 'c6eadffa33fcdf37',
          silenceURL: 'https://grafana.example/alerting/silence/new',
          dashboardURL: '',
          panelURL: '',
          values: { B: 93.5 },
          valueString: "[ var='B' labels={} value=93.5 ]",
        },
      ],
      groupLabels: { alertname: 'HighLoad' },
      commonLabels: { alertname: 'HighLoad', service: 'search', severity: 'warning' },
      commonAnnotations: { summary: 'CPU above 90% on search' },
      externalURL: 'https://grafana.example/',
      version: '1',
      groupKey,
      truncatedAlerts: 0,
      title: `[${status.toUpperCase()}:1] HighLoad (search warning)`,
      state: status === 'firing' ? 'alerting' : 'ok',
      message: '**Firing**',
    });
    const send = (body: object, sign = true, signedAtMs = Date.now()) => {
      const raw = JSON.stringify(body);
      const timestamp = String(Math.floor(signedAtMs / 1000));
      const signature = createHmac('sha256', grafanaSecret).update(`${timestamp}:`).update(raw).digest('hex');
      return firebreak.as('sender').post('/v1/alerts/grafana', raw, {
        'content-type': 'application/json',
        ...(sign ? { 'x-grafana-alerting-signature': signature, 'x-grafana-alerting-timestamp': timestamp } : {}),
      });
    };

    it('checks the HMAC signature on the raw body, then records firing and resolved notifications', async () => {
      const groupKey = `{}/{alertname="HighLoad"}:${firebreak.taskQueue}`;
      const unsigned = await send(payload('firing', groupKey), false);
      expect(unsigned.status).toBe(401);
      const firing = await send(payload('firing', groupKey));
      expect(firing.status).toBe(202);
      const resolved = await send(payload('resolved', groupKey));
      expect(resolved.body.incidentId).toBe(firing.body.incidentId);
      const incident = (await firebreak.as('viewer').get(`/v1/incidents/${firing.body.incidentId}`)).body;
      expect(incident).toMatchObject({ alertCount: 2, firingAlerts: 0, severity: 'SEV3', service: 'search' });
    });

    it('refuses a delivery signed without a timestamp, or signed more than five minutes ago', async () => {
      const raw = JSON.stringify(payload('firing', `{}/{alertname="Untimed"}:${firebreak.taskQueue}`));
      const bodyOnly = createHmac('sha256', grafanaSecret).update(raw).digest('hex');
      const untimed = await firebreak.as('sender').post('/v1/alerts/grafana', raw, { 'content-type': 'application/json', 'x-grafana-alerting-signature': bodyOnly });
      expect(untimed.status).toBe(401);
      expect(untimed.body.message).toMatch(/x-grafana-alerting-timestamp header is missing/);

      const stale = await send(payload('firing', `{}/{alertname="Stale"}:${firebreak.taskQueue}`), true, Date.now() - 6 * 60 * 1000);
      expect(stale.status).toBe(401);
      expect(stale.body.message).toMatch(/more than 5 minutes from now/);
    });
  });

  describe('AWS SNS', () => {
    /** Signed as SNS signs, published now unless `publishedAtMs` says otherwise. */
    const signed = (body: Record<string, string>, { version = '2', publishedAtMs = Date.now() }: { version?: '1' | '2'; publishedAtMs?: number } = {}) => {
      const envelope = SnsEnvelopeSchema.parse({
        ...body,
        Timestamp: new Date(publishedAtMs).toISOString(),
        SignatureVersion: version,
        SigningCertURL: SIGNING_CERT_URL,
      });
      return { ...envelope, Signature: snsSign(snsStringToSign(envelope), signer.privateKey, version) };
    };
    // SNS sends no Authorization header: what it proves is the signature.
    const post = (body: object) =>
      firebreak.http.post('/v1/alerts/sns', JSON.stringify(body), {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': (body as { Type: string }).Type,
      });

    it('confirms a subscription only at the SNS host', async () => {
      const confirmation = signed(subscriptionConfirmation());
      const answer = await post(confirmation);
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ subscription: 'confirmed' });
      expect(confirmations).toEqual([subscriptionConfirmation().SubscribeURL]);

      const elsewhere = signed({ ...subscriptionConfirmation(), SubscribeURL: 'https://attacker.example/confirm' });
      const refused = await post(elsewhere);
      expect(refused.status).toBe(502);
      expect(confirmations).toHaveLength(1);
    });

    it('records a CloudWatch ALARM and its OK on one incident, and refuses a tampered message', async () => {
      const alarm = { ...cloudWatchAlarm('ALARM'), AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${firebreak.taskQueue}` };
      const firing = await post(signed(notification(JSON.stringify(alarm))));
      expect(firing.status).toBe(202);
      expect(firing.body.recorded).toBe(1);
      const ok = await post(signed(notification(JSON.stringify({ ...alarm, NewStateValue: 'OK', OldStateValue: 'ALARM' }))));
      expect(ok.body.incidentId).toBe(firing.body.incidentId);
      const incident = (await firebreak.as('viewer').get(`/v1/incidents/${firing.body.incidentId}`)).body;
      expect(incident).toMatchObject({ alertCount: 2, firingAlerts: 0 });
      const timeline = (await firebreak.as('viewer').get(`/v1/incidents/${firing.body.incidentId}/timeline`)).body;
      expect(JSON.stringify(timeline)).toContain('sns:firebreak-alarms');

      const tampered = { ...signed(notification(JSON.stringify(alarm))), Message: JSON.stringify({ ...alarm, AlarmName: 'forged' }) };
      expect((await post(tampered)).status).toBe(403);
      const foreignCert = { ...signed(notification(JSON.stringify(alarm))), SigningCertURL: 'https://evil.example/cert.pem' };
      expect((await post(foreignCert)).status).toBe(403);
      expect(certificateRequests.every((url) => url === SIGNING_CERT_URL)).toBe(true);
    });

    it('refuses a message published more than an hour ago, one signed with SHA1, and one from a topic not listed', async () => {
      const alarm = JSON.stringify({ ...cloudWatchAlarm('ALARM'), AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${firebreak.taskQueue}-refused` });
      const stale = await post(signed(notification(alarm), { publishedAtMs: Date.now() - 61 * 60 * 1000 }));
      expect(stale.status).toBe(403);
      expect(stale.body.message).toMatch(/published more than an hour ago/);

      const sha1 = await post(signed(notification(alarm), { version: '1' }));
      expect(sha1.status).toBe(403);
      expect(sha1.body.message).toMatch(/SignatureVersion 1 \(SHA1\): set the topic's SignatureVersion attribute to 2.*SNS_ALLOW_SIGNATURE_V1=true/);

      const otherTopic = await post(signed({ ...notification(alarm), TopicArn: 'arn:aws:sns:us-east-1:123456789012:someone-else' }));
      expect(otherTopic.status).toBe(403);
      expect(otherTopic.body.message).toMatch(/not in SNS_TOPIC_ARNS/);
    });
  });
});
