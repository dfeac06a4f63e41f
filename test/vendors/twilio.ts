/**
 * Twilio's Programmable Messaging and Voice REST API as the notification adapters use it
 * (twilio.com/docs/usage/api): `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` and
 * `.../Calls.json` with form-encoded parameters (`To`, `From`, `Body` / `Twiml`), HTTP
 * Basic auth with the account SID and auth token, answered 201 with the new resource's
 * `sid` and `status: queued`. Refusals are Twilio's JSON errors (`code`, `message`,
 * `more_info`, `status`), e.g. 21211 for a `To` that is not a phone number. Every message
 * sent counts as `sms.send`, every call placed as `call.create`.
 */
import { basicAuth, type StubAnswer, StubRejection, StubServer } from './stub-server';

export const TWILIO_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TWILIO_AUTH_TOKEN = 'twilio-stub-auth-token-s3cr3t';
export const TWILIO_FROM = '+15005550006';

/** The settings that point the SMS and voice adapters at a stub at `url`. */
export const twilioSettings = (url: string) => ({
  SMS_PROVIDER: 'twilio',
  VOICE_PROVIDER: 'twilio',
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  TWILIO_FROM,
  TWILIO_API_URL: url,
});

/** Twilio's error answer (also a fault to queue with `stub.fail`). */
export function twilioError(status: number, code: number, message: string): StubAnswer & { status: number } {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

export interface TwilioMessageRecord {
  sid: string;
  to: string;
  from: string;
  body: string;
}

export interface TwilioCallRecord {
  sid: string;
  to: string;
  from: string;
  twiml: string;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const refuse = (status: number, code: number, message: string) => new StubRejection(twilioError(status, code, message));

export async function startTwilioStub() {
  const messages: TwilioMessageRecord[] = [];
  const calls: TwilioCallRecord[] = [];
  const stub = new StubServer({
    vendor: 'Twilio',
    authorize: ({ headers, params }) => headers.authorization === basicAuth(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) && params.accountSid === TWILIO_ACCOUNT_SID,
    unauthorized: twilioError(401, 20003, 'Authenticate'),
    notFound: twilioError(404, 20404, 'The requested resource was not found'),
  });
  const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;
  const resource = (accountSid: string, kind: string, id: string) => ({
    account_sid: accountSid,
    api_version: '2010-04-01',
    date_created: new Date().toUTCString(),
    direction: 'outbound-api',
    status: 'queued',
    uri: `/2010-04-01/Accounts/${accountSid}/${kind}/${id}.json`,
  });

  stub.route('messages.create', 'POST', '/2010-04-01/Accounts/:accountSid/Messages.json', ({ body, params, headers }) => {
    if (!headers['content-type']?.includes('application/x-www-form-urlencoded')) throw refuse(400, 20001, 'Parameters must be form-encoded');
    const { To: to, From: from, Body: text } = body ?? {};
    if (!E164.test(String(to ?? ''))) throw refuse(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from !== TWILIO_FROM) throw refuse(400, 21606, `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination.`);
    if (typeof text !== 'string' || text.length === 0) throw refuse(400, 21602, 'Message body is required.');
    if (text.length > 1600) throw refuse(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const record = { sid: sid('SM', messages.length + 1), to, from, body: text };
    messages.push(record);
    stub.effect('sms.send');
    return { status: 201, body: { ...resource(params.accountSid, 'Messages', record.sid), sid: record.sid, to, from, body: text, num_segments: '1' } };
  });

  stub.route('calls.create', 'POST', '/2010-04-01/Accounts/:accountSid/Calls.json', ({ body, params }) => {
    const { To: to, From: from, Twiml: twiml } = body ?? {};
    if (!E164.test(String(to ?? ''))) throw refuse(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from !== TWILIO_FROM) throw refuse(400, 21210, `The source phone number provided, ${from}, is not yet verified for your account.`);
    if (typeof twiml !== 'string' || !/^(<\?xml[^>]*\?>)?\s*<Response>[\s\S]*<\/Response>\s*$/.test(twiml)) {
      throw refuse(400, 21205, 'Twiml must be a TwiML document (<Response>…</Response>), or Url is required.');
    }
    if (twiml.length > 4000) throw refuse(400, 21205, 'Twiml must be at most 4000 characters.');
    const record = { sid: sid('CA', calls.length + 1), to, from, twiml };
    calls.push(record);
    stub.effect('call.create');
    return { status: 201, body: { ...resource(params.accountSid, 'Calls', record.sid), sid: record.sid, to, from } };
  });

  await stub.start();
  return { stub, messages, calls };
}
