import {
  SnsEnvelopeSchema,
  type SnsEnvelope,
  type SnsSubscriptionConfirmation,
  snsStringToSign,
} from '../../../../../core/schemas/alert-sources/sns';
import {
  cloudWatchAlarm,
  notification,
  SIGNING_CERT_URL,
  subscriptionConfirmation,
  unsubscribeConfirmation,
} from '../../../../../test/fixtures/sns/messages';
import { createSigningCertificate, type SigningCertificate, snsSign } from '../../../../../test/fixtures/sns/signing-certificate';
import {
  confirmSubscription,
  fetchSnsCertificate,
  SnsCertificateUnavailableError,
  SnsSignatureVerifier,
  snsTimestampRefusal,
  snsTopicName,
  SnsUrlRefusedError,
} from './sns-signature';

let sns: SigningCertificate;
let impostor: SigningCertificate;

beforeAll(() => {
  sns = createSigningCertificate();
  impostor = createSigningCertificate();
});

/** The envelope as SNS would send it: signed with `signer`'s key, pointing at `certUrl`. */
function signed(
  body: Record<string, string>,
  version: '1' | '2',
  { signer = sns, certUrl = SIGNING_CERT_URL }: { signer?: SigningCertificate; certUrl?: string } = {},
): SnsEnvelope {
  const unsigned = SnsEnvelopeSchema.parse({ ...body, SignatureVersion: version, SigningCertURL: certUrl });
  return { ...unsigned, Signature: snsSign(snsStringToSign(unsigned), signer.privateKey, version) };
}

/** Serves SNS's test certificate at `urls` and nothing else, recording each request. */
function certificateServer(urls: string[] = [SIGNING_CERT_URL]) {
  return jest.fn(async (url: string) => {
    if (!urls.includes(url)) throw new Error(`no certificate at ${url}`);
    return sns.certificatePem;
  });
}

const alarmMessage = JSON.stringify(cloudWatchAlarm());

describe('SnsSignatureVerifier', () => {
  it.each(['1', '2'] as const)('accepts messages SNS signed with SignatureVersion %s', async (version) => {
    const verifier = new SnsSignatureVerifier({ fetchCertificate: certificateServer() });
    const withSubject = notification(alarmMessage, 'ALARM: "checkout-p99-latency"');
    await expect(verifier.verify(signed(withSubject, version))).resolves.toBe(true);
    await expect(verifier.verify(signed(notification(alarmMessage), version))).resolves.toBe(true);
    await expect(verifier.verify(signed(subscriptionConfirmation(), version))).resolves.toBe(true);
    await expect(verifier.verify(signed(unsubscribeConfirmation(), version))).resolves.toBe(true);
  });

  it('refuses a message whose Message was changed after signing', async () => {
    const verifier = new SnsSignatureVerifier({ fetchCertificate: certificateServer() });
    const genuine = signed(notification(alarmMessage), '2');
    const tampered = { ...genuine, Message: alarmMessage.replace('"ALARM"', '"OK"') };
    await expect(verifier.verify(genuine)).resolves.toBe(true);
    await expect(verifier.verify(tampered)).resolves.toBe(false);
  });

  it('refuses other changes to signed fields: a Subject added, a SubscribeURL swapped, a downgraded version', async () => {
    const verifier = new SnsSignatureVerifier({ fetchCertificate: certificateServer() });
    const plain = signed(notification(alarmMessage), '2');
    await expect(verifier.verify({ ...plain, Subject: 'added' } as SnsEnvelope)).resolves.toBe(false);
    const confirmation = signed(subscriptionConfirmation(), '2') as SnsSubscriptionConfirmation;
    const otherUrl = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=other';
    await expect(verifier.verify({ ...confirmation, SubscribeURL: otherUrl })).resolves.toBe(false);
    await expect(verifier.verify({ ...plain, SignatureVersion: '1' })).resolves.toBe(false);
    await expect(verifier.verify({ ...plain, Signature: 'bm90IGEgc2lnbmF0dXJl' })).resolves.toBe(false);
  });

  it('refuses a signature made with a key other than the certificate\'s', async () => {
    const verifier = new SnsSignatureVerifier({ fetchCertificate: certificateServer() });
    await expect(verifier.verify(signed(notification(alarmMessage), '2', { signer: impostor }))).resolves.toBe(false);
  });

  it('refuses a certificate URL off the SNS host without fetching it', async () => {
    const fetchCertificate = jest.fn(async () => impostor.certificatePem);
    const verifier = new SnsSignatureVerifier({ fetchCertificate });
    for (const certUrl of [
      'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-test.pem',
      'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem',
      'https://attacker.example/SimpleNotificationService-test.pem',
    ]) {
      // Signed by the impostor, whose certificate the impostor's server would happily serve.
      await expect(verifier.verify(signed(notification(alarmMessage), '2', { signer: impostor, certUrl }))).resolves.toBe(false);
    }
    expect(fetchCertificate).not.toHaveBeenCalled();
  });

  it('fetches each certificate once, even for messages that arrive together', async () => {
    const fetchCertificate = certificateServer();
    const verifier = new SnsSignatureVerifier({ fetchCertificate });
    const results = await Promise.all([1, 2, 3].map(() => verifier.verify(signed(notification(alarmMessage), '2'))));
    await verifier.verify(signed(subscriptionConfirmation(), '1'));
    expect(results).toEqual([true, true, true]);
    expect(fetchCertificate).toHaveBeenCalledTimes(1);
  });

  it('remembers a bounded number of certificates, forgetting the least recently used', async () => {
    const urls = ['a', 'b', 'c'].map((name) => `https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-${name}.pem`);
    const fetchCertificate = certificateServer(urls);
    const verifier = new SnsSignatureVerifier({ fetchCertificate, cacheSize: 2 });
    const verifyWith = (certUrl: string) => verifier.verify(signed(notification(alarmMessage), '2', { certUrl }));
    await verifyWith(urls[0]);
    await verifyWith(urls[1]);
    await verifyWith(urls[0]); // a is now the most recently used
    await verifyWith(urls[2]); // evicts b
    expect(fetchCertificate.mock.calls.map(([url]) => url)).toEqual([urls[0], urls[1], urls[2]]);
    await verifyWith(urls[0]);
    await verifyWith(urls[1]);
    expect(fetchCertificate.mock.calls.map(([url]) => url)).toEqual([urls[0], urls[1], urls[2], urls[1]]);
  });

  it('throws, rather than refusing the message, when the certificate cannot be had, and tries again next time', async () => {
    const fetchCertificate = jest
      .fn<Promise<string>, [string]>()
      .mockRejectedValueOnce(new Error('connect ETIMEDOUT'))
      .mockResolvedValueOnce('not a certificate')
      .mockResolvedValue(sns.certificatePem);
    const verifier = new SnsSignatureVerifier({ fetchCertificate });
    const envelope = signed(notification(alarmMessage), '2');
    await expect(verifier.verify(envelope)).rejects.toBeInstanceOf(SnsCertificateUnavailableError);
    await expect(verifier.verify(envelope)).rejects.toBeInstanceOf(SnsCertificateUnavailableError);
    await expect(verifier.verify(envelope)).resolves.toBe(true);
    expect(fetchCertificate).toHaveBeenCalledTimes(3);
  });
});

describe('fetchSnsCertificate', () => {
  afterEach(() => jest.restoreAllMocks());

  it('refuses a URL off the SNS host before making any request', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    await expect(fetchSnsCertificate('https://sns.us-east-1.amazonaws.com.evil.example/cert.pem')).rejects.toBeInstanceOf(
      SnsUrlRefusedError,
    );
    await expect(fetchSnsCertificate('http://sns.us-east-1.amazonaws.com/cert.pem')).rejects.toBeInstanceOf(SnsUrlRefusedError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('fetches an SNS URL without following redirects, and fails on a non-2xx answer', async () => {
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(new Response(sns.certificatePem))
      .mockResolvedValueOnce(new Response('gone', { status: 404 }));
    await expect(fetchSnsCertificate(SIGNING_CERT_URL)).resolves.toBe(sns.certificatePem);
    await expect(fetchSnsCertificate(SIGNING_CERT_URL)).rejects.toThrow('404');
    expect(fetchSpy).toHaveBeenCalledWith(SIGNING_CERT_URL, expect.objectContaining({ redirect: 'error' }));
  });
});

describe('confirmSubscription', () => {
  const confirmation = () => SnsEnvelopeSchema.parse(subscriptionConfirmation()) as SnsSubscriptionConfirmation;

  it('visits an SNS SubscribeURL once', async () => {
    const get = jest.fn(async () => new Response('<ConfirmSubscriptionResponse/>'));
    await confirmSubscription(confirmation(), get);
    expect(get).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledWith(confirmation().SubscribeURL, expect.objectContaining({ method: 'GET', redirect: 'error' }));
  });

  it('never requests a SubscribeURL off the SNS host', async () => {
    const get = jest.fn(async () => new Response(''));
    for (const SubscribeURL of [
      'https://sns.us-east-1.amazonaws.com.evil.example/?Action=ConfirmSubscription',
      'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
      'https://169.254.169.254/latest/meta-data/',
      'https://internal.example/admin/delete',
    ]) {
      await expect(confirmSubscription({ ...confirmation(), SubscribeURL }, get)).rejects.toBeInstanceOf(SnsUrlRefusedError);
    }
    expect(get).not.toHaveBeenCalled();
  });

  it('does not resubscribe on an UnsubscribeConfirmation, and reports a refusal from SNS', async () => {
    const get = jest.fn(async () => new Response('<Error/>', { status: 403 }));
    const unsubscribe = SnsEnvelopeSchema.parse(unsubscribeConfirmation()) as unknown as SnsSubscriptionConfirmation;
    await expect(confirmSubscription(unsubscribe, get)).rejects.toThrow('SubscriptionConfirmation');
    expect(get).not.toHaveBeenCalled();
    await expect(confirmSubscription(confirmation(), get)).rejects.toThrow('403');
    expect(get).toHaveBeenCalledTimes(1);
  });
});

describe('snsTimestampRefusal', () => {
  const nowMs = Date.UTC(2026, 10, 21, 7, 0, 0);
  const at = (offsetMs: number) => new Date(nowMs + offsetMs).toISOString();

  it('accepts a message published within the hour, and one a little ahead of this clock', () => {
    expect(snsTimestampRefusal(at(-60 * 60 * 1000), nowMs)).toBeUndefined();
    expect(snsTimestampRefusal(at(0), nowMs)).toBeUndefined();
    expect(snsTimestampRefusal(at(5 * 60 * 1000), nowMs)).toBeUndefined();
  });

  it('refuses a message published more than an hour ago, or far in the future', () => {
    expect(snsTimestampRefusal(at(-60 * 60 * 1000 - 1), nowMs)).toMatch(/published more than an hour ago/);
    expect(snsTimestampRefusal(at(5 * 60 * 1000 + 1), nowMs)).toMatch(/in the future: check this host's clock/);
    expect(snsTimestampRefusal('yesterday', nowMs)).toMatch(/not a date-time/);
  });
});

describe('snsTopicName', () => {
  it("is the ARN's last part", () => {
    expect(snsTopicName('arn:aws:sns:us-east-1:123456789012:firebreak-alarms')).toBe('firebreak-alarms');
    expect(snsTopicName('arn:aws-cn:sns:cn-north-1:123456789012:orders.fifo')).toBe('orders.fifo');
  });
});
