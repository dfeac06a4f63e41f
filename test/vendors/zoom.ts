/**
 * Zoom as the Zoom adapter uses it (developers.zoom.us): server-to-server OAuth
 * (`POST /oauth/token?grant_type=account_credentials&account_id=…` with Basic client
 * credentials) and meetings (`GET`/`POST /v2/users/{userId}/meetings`) with the Bearer token.
 */
import { basicAuth, StubRejection, StubServer } from './stub-server';

export const ZOOM_CREDENTIALS = { accountId: 'acct-123', clientId: 'client-abc', clientSecret: 'zoom-secret-0123456789' } as const;

/** The settings that point the Zoom adapter (API and OAuth) at a stub at `url`. */
export const zoomSettings = (url: string) => ({
  VIDEO_PROVIDER: 'zoom',
  ZOOM_ACCOUNT_ID: ZOOM_CREDENTIALS.accountId,
  ZOOM_CLIENT_ID: ZOOM_CREDENTIALS.clientId,
  ZOOM_CLIENT_SECRET: ZOOM_CREDENTIALS.clientSecret,
  ZOOM_API_URL: `${url}/v2`,
  ZOOM_OAUTH_URL: url,
});

export interface ZoomMeetingRecord {
  id: number;
  topic: string;
  type: number;
  agenda: string;
  start_time: string;
  duration: number;
  join_url: string;
  password?: string;
  settings: Record<string, unknown>;
}

export async function startZoomStub({ pageSize = 2 } = {}) {
  const meetings: ZoomMeetingRecord[] = [];
  const tokens = new Set<string>();
  const stub = new StubServer({
    vendor: 'Zoom',
    authorize: (request) =>
      request.route === 'token'
        ? request.headers.authorization === basicAuth(ZOOM_CREDENTIALS.clientId, ZOOM_CREDENTIALS.clientSecret)
        : tokens.has(String(request.headers.authorization).replace(/^Bearer /, '')),
    unauthorized: { status: 401, body: { code: 124, message: 'Invalid access token.' } },
  });
  stub
    .route('token', 'POST', '/oauth/token', ({ query }) => {
      if (query.get('grant_type') !== 'account_credentials') throw new StubRejection({ status: 400, body: { reason: 'unsupported grant type', error: 'unsupported_grant_type' } });
      if (query.get('account_id') !== ZOOM_CREDENTIALS.accountId) throw new StubRejection({ status: 400, body: { reason: 'Invalid account_id', error: 'invalid_request' } });
      const token = `zoom-access-${tokens.size + 1}`;
      tokens.add(token);
      return { body: { access_token: token, token_type: 'bearer', expires_in: 3599, scope: 'meeting:write:meeting:admin meeting:read:list_meetings:admin' } };
    })
    .route('listMeetings', 'GET', '/v2/users/:userId/meetings', ({ query }) => {
      const start = Number(query.get('next_page_token') || 0);
      const size = Math.min(pageSize, Number(query.get('page_size') ?? 30));
      const page = meetings.slice(start, start + size);
      const next = start + size < meetings.length ? String(start + size) : '';
      return { body: { page_size: size, total_records: meetings.length, next_page_token: next, meetings: page.map(({ settings: _, password: __, ...rest }) => rest) } };
    })
    .route('createMeeting', 'POST', '/v2/users/:userId/meetings', ({ body }) => {
      if (typeof body?.topic !== 'string' || ![1, 2, 3, 8].includes(body?.type)) throw new StubRejection({ status: 400, body: { code: 300, message: 'Invalid meeting type or topic.' } });
      if (body.topic.length > 200) throw new StubRejection({ status: 400, body: { code: 300, message: 'Topic is too long (max 200 characters).' } });
      if (body.password !== undefined && !/^[A-Za-z0-9@_*-]{1,10}$/.test(body.password)) {
        throw new StubRejection({ status: 400, body: { code: 300, message: 'Invalid passcode.' } });
      }
      if (body.agenda !== undefined && String(body.agenda).length > 2000) throw new StubRejection({ status: 400, body: { code: 300, message: 'Agenda too long.' } });
      const id = 85_000_000_000 + meetings.length + 1;
      const meeting = { id, topic: body.topic, type: body.type, agenda: body.agenda ?? '', start_time: body.start_time, duration: body.duration, join_url: `https://zoom.example/j/${id}${body.password ? `?pwd=${body.password}` : ''}`, password: body.password, settings: body.settings ?? {} };
      meetings.push(meeting);
      stub.effect('meeting.create');
      return { status: 201, body: meeting };
    });
  await stub.start();
  return { stub, meetings };
}
