/**
 * Microsoft Graph as the Teams adapters use it (learn.microsoft.com/graph): app-only tokens
 * from Entra ID (`POST /{tenant}/oauth2/v2.0/token`, form-encoded client credentials, for
 * Graph's scope or the Bot Framework's), then, with the Bearer token, a team's channels (list
 * with `$filter=displayName eq '…'`, create, read, patch), channel and team members, channel
 * messages (list, read) and `onlineMeetings/createOrGet`. Refuses what Graph refuses (Teams'
 * channel naming rule, a private channel without an owner, members added to a standard
 * channel, a meeting organizer no access policy covers, and app-only posts and edits of
 * messages, which Graph allows only for importing history) and answers errors in Graph's
 * shape, `{ "error": { "code", "message" } }`. Messages are posted through the Bot Framework
 * Connector on the same server (`./bot-connector.ts`, under `/bot/`).
 */
import { addBotConnector, type BotMessageRecord, TEAMS_MESSAGE_LIMIT_BYTES } from './bot-connector';
import { StubRejection, StubServer, type StubRequest } from './stub-server';

export { TEAMS_MESSAGE_LIMIT_BYTES };

export const GRAPH_CREDENTIALS = {
  tenantId: '11111111-2222-3333-4444-555555555555',
  clientId: '66666666-7777-8888-9999-000000000000',
  clientSecret: 'graph-client-secret~0123456789abcdef',
  teamId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  /** The tenant's domain, which the identity platform takes in place of its id. */
  tenantDomain: 'contoso.example',
} as const;

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com/.default';

/** People in the stub's directory: object id and user principal name. */
export const GRAPH_USERS = {
  owner: { id: '0a0a0a0a-0000-4000-8000-000000000001', upn: 'owner@contoso.example' },
  organizer: { id: '0a0a0a0a-0000-4000-8000-000000000002', upn: 'bridge@contoso.example' },
  dana: { id: '0a0a0a0a-0000-4000-8000-000000000003', upn: 'dana@contoso.example' },
  lee: { id: '0a0a0a0a-0000-4000-8000-000000000004', upn: 'lee@contoso.example' },
  sam: { id: '0a0a0a0a-0000-4000-8000-000000000005', upn: 'sam@contoso.example' },
} as const;

/** The settings that point both Teams adapters at a stub at `url`. */
export const teamsSettings = (url: string): Record<string, string> => ({
  CHAT_PROVIDER: 'teams',
  VIDEO_PROVIDER: 'teams',
  TEAMS_TENANT_ID: GRAPH_CREDENTIALS.tenantId,
  TEAMS_CLIENT_ID: GRAPH_CREDENTIALS.clientId,
  TEAMS_CLIENT_SECRET: GRAPH_CREDENTIALS.clientSecret,
  TEAMS_TEAM_ID: GRAPH_CREDENTIALS.teamId,
  // Private channels unless a test asks for standard ones (the default, where the bot posts).
  TEAMS_PUBLIC_CHANNELS: 'false',
  TEAMS_CHANNEL_OWNER_ID: GRAPH_USERS.owner.id,
  TEAMS_MEETING_ORGANIZER_ID: GRAPH_USERS.organizer.id,
  TEAMS_GRAPH_URL: `${url}/v1.0/`,
  TEAMS_LOGIN_URL: `${url}/login/`,
  TEAMS_BOT_SERVICE_URL: `${url}/bot/`,
});

const NAME_FORBIDDEN = /[~#%&*{}+/\\:<>?|'",]/;

export interface GraphChannelRecord {
  id: string;
  displayName: string;
  description: string;
  membershipType: 'standard' | 'private';
  webUrl: string;
  members: string[];
  messages: GraphMessageRecord[];
  deleted?: boolean;
}

export type GraphMessageRecord = BotMessageRecord;

export interface GraphMeetingRecord {
  id: string;
  externalId: string;
  subject: string;
  joinWebUrl: string;
  organizer: string;
}

const graphError = (status: number, code: string, message: string) => new StubRejection({ status, body: { error: { code, message, innerError: { 'request-id': 'stub', date: '2026-01-01T00:00:00' } } } });

/** Why Teams would refuse `name` as a channel's display name, or undefined. */
export function channelNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'displayName is required';
  if (name.length > 50) return 'displayName is longer than 50 characters';
  if (NAME_FORBIDDEN.test(name) || name.includes('..')) return 'displayName contains a character Teams does not allow';
  if (/^[_.]/.test(name) || name.endsWith('.')) return 'displayName may not start with _ or . or end with .';
  if (/\p{Cc}/u.test(name)) return 'displayName contains a control character';
  return undefined;
}

/** Options: Graph's paging size for channels. */
export async function startGraphStub({ channelPageSize = 100 } = {}) {
  const channels: GraphChannelRecord[] = [{ id: '19:general@thread.tacv2', displayName: 'General', description: '', membershipType: 'standard', webUrl: 'https://teams.example/l/channel/general', members: [], messages: [] }];
  const teamMembers: string[] = [GRAPH_USERS.owner.id, GRAPH_USERS.dana.id];
  const meetings: GraphMeetingRecord[] = [];
  /** Users an application access policy lets the app make meetings for. */
  const meetingPolicy = new Set<string>([GRAPH_USERS.organizer.id]);
  const tokens = new Set<string>();
  const botTokens = new Set<string>();
  /** Whether the Firebreak app (its bot) is installed in the team. */
  const botInstalled = { value: true };
  let sequence = 0;
  const stub = new StubServer({
    vendor: 'Microsoft Graph',
    // The connector's routes check their own tokens.
    authorize: (request) => request.route === 'token' || request.route.startsWith('bot.') || tokens.has(String(request.headers.authorization).replace(/^Bearer /, '')),
    unauthorized: { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' } } },
    notFound: { status: 400, body: { error: { code: 'BadRequest', message: 'Resource not found for the segment.' } } },
  });

  const team = ({ params }: StubRequest) => {
    if (params.team !== GRAPH_CREDENTIALS.teamId) throw graphError(404, 'NotFound', 'No team found with Group Id');
  };
  const channel = (request: StubRequest) => {
    team(request);
    const found = channels.find((c) => c.id === request.params.channel && !c.deleted);
    if (!found) throw graphError(404, 'NotFound', 'Channel not found');
    return found;
  };
  const view = ({ messages: _, members: __, deleted: ___, ...rest }: GraphChannelRecord) => ({ ...rest, tenantId: GRAPH_CREDENTIALS.tenantId });
  const withoutText = ({ text: _, conversationId: __, ...rest }: GraphMessageRecord) => rest;
  /** A user from `user@odata.bind`: `<graph>/users('<id or upn>')`. */
  const boundUser = (bind: unknown): string => {
    const match = typeof bind === 'string' ? /\/users\('((?:[^']|'')+)'\)$/.exec(bind) : null;
    if (!match) throw graphError(400, 'BadRequest', 'Invalid user@odata.bind: expected .../users(\'id\')');
    const key = match[1].replace(/''/g, "'").toLowerCase();
    const user = Object.values(GRAPH_USERS).find((u) => u.id === key || u.upn === key);
    if (!user) throw graphError(404, 'NotFound', `User '${key}' not found`);
    return user.id;
  };
  const memberView = (id: string) => {
    const user = Object.values(GRAPH_USERS).find((u) => u.id === id)!;
    return { '@odata.type': '#microsoft.graph.aadUserConversationMember', id: `member-${id}`, roles: [], userId: id, email: user.upn, displayName: user.upn };
  };
  const checkMember = (body: any) => {
    if (body?.['@odata.type'] !== '#microsoft.graph.aadUserConversationMember') throw graphError(400, 'BadRequest', '@odata.type must be #microsoft.graph.aadUserConversationMember');
    if (!Array.isArray(body.roles) || body.roles.some((role: unknown) => role !== 'owner')) throw graphError(400, 'BadRequest', 'roles must be empty or ["owner"]');
    return boundUser(body['user@odata.bind']);
  };
  stub
    .route('token', 'POST', '/login/:tenant/oauth2/v2.0/token', ({ params, body, headers }) => {
      if (!String(headers['content-type']).includes('application/x-www-form-urlencoded')) throw new StubRejection({ status: 400, body: { error: 'invalid_request', error_description: 'AADSTS900144: The request body must be form-encoded.' } });
      if (params.tenant !== GRAPH_CREDENTIALS.tenantId && params.tenant !== GRAPH_CREDENTIALS.tenantDomain) throw new StubRejection({ status: 400, body: { error: 'invalid_tenant', error_description: 'AADSTS90002: Tenant not found.' } });
      if (body?.grant_type !== 'client_credentials') throw new StubRejection({ status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant type' } });
      if (body.scope !== GRAPH_SCOPE && body.scope !== BOT_FRAMEWORK_SCOPE) throw new StubRejection({ status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS1002012: The provided value for scope is not valid.' } });
      if (body.client_id !== GRAPH_CREDENTIALS.clientId || body.client_secret !== GRAPH_CREDENTIALS.clientSecret) {
        throw new StubRejection({ status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } });
      }
      const bot = body.scope === BOT_FRAMEWORK_SCOPE;
      const token = bot ? `bot-access-${botTokens.size + 1}` : `graph-access-${tokens.size + 1}`;
      (bot ? botTokens : tokens).add(token);
      return { body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
    })
    .route('channels.list', 'GET', '/v1.0/teams/:team/channels', (request) => {
      team(request);
      const filter = request.query.get('$filter');
      let found = channels.filter((c) => !c.deleted);
      if (filter !== null) {
        const match = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
        if (!match) throw graphError(400, 'BadRequest', `Invalid filter clause: ${filter}`);
        const wanted = match[1].replace(/''/g, "'").toLowerCase();
        found = found.filter((c) => c.displayName.toLowerCase() === wanted);
      }
      return { body: { '@odata.count': found.length, value: found.slice(0, channelPageSize).map(view) } };
    })
    .route('channels.create', 'POST', '/v1.0/teams/:team/channels', (request) => {
      team(request);
      const { body } = request;
      const problem = channelNameProblem(body?.displayName);
      if (problem) throw graphError(400, 'BadRequest', problem);
      if (body.description !== undefined && String(body.description).length > 1024) throw graphError(400, 'BadRequest', 'description is longer than 1024 characters');
      const membershipType = body.membershipType ?? 'standard';
      if (!['standard', 'private'].includes(membershipType)) throw graphError(400, 'BadRequest', 'Unsupported membershipType');
      // Deleted channels keep their names too.
      if (channels.some((c) => c.displayName.toLowerCase() === String(body.displayName).toLowerCase())) {
        throw graphError(409, 'NameAlreadyExists', 'Channel name already existed, please use other name.');
      }
      const members: string[] = [];
      if (membershipType === 'private') {
        const given = Array.isArray(body.members) ? body.members : [];
        for (const member of given) members.push(checkMember(member));
        if (!given.some((member: any) => member.roles?.includes('owner'))) throw graphError(400, 'BadRequest', 'A private channel created by an application must have an owner in members.');
      }
      const id = `19:stub${++sequence}@thread.tacv2`;
      const record: GraphChannelRecord = { id, displayName: body.displayName, description: body.description ?? '', membershipType, webUrl: `https://teams.example/l/channel/${encodeURIComponent(id)}`, members, messages: [] };
      channels.push(record);
      stub.effect('channel.create');
      return { status: 201, body: view(record) };
    })
    .route('channel.get', 'GET', '/v1.0/teams/:team/channels/:channel', (request) => ({ body: view(channel(request)) }))
    .route('channel.patch', 'PATCH', '/v1.0/teams/:team/channels/:channel', (request) => {
      const found = channel(request);
      const keys = Object.keys(request.body ?? {});
      if (keys.some((key) => key !== 'description' && key !== 'displayName')) throw graphError(400, 'BadRequest', `Cannot update ${keys.join(', ')}`);
      if (request.body.description !== undefined) {
        if (String(request.body.description).length > 1024) throw graphError(400, 'BadRequest', 'description is longer than 1024 characters');
        found.description = request.body.description;
        stub.effect('channel.description');
      }
      return { status: 204 };
    })
    .route('channel.members.list', 'GET', '/v1.0/teams/:team/channels/:channel/members', (request) => {
      const found = channel(request);
      if (found.membershipType === 'standard') return { body: { value: teamMembers.map(memberView) } };
      return { body: { '@odata.count': found.members.length, value: found.members.map(memberView) } };
    })
    .route('channel.members.add', 'POST', '/v1.0/teams/:team/channels/:channel/members', (request) => {
      const found = channel(request);
      if (found.membershipType === 'standard') throw graphError(400, 'BadRequest', 'Members can only be added to private or shared channels.');
      const user = checkMember(request.body);
      if (found.members.includes(user)) throw graphError(409, 'Conflict', 'The user is already a member of the channel.');
      found.members.push(user);
      stub.effect('member.add');
      return { status: 201, body: memberView(user) };
    })
    .route('team.members.list', 'GET', '/v1.0/teams/:team/members', (request) => {
      team(request);
      return { body: { value: teamMembers.map(memberView) } };
    })
    .route('team.members.add', 'POST', '/v1.0/teams/:team/members', (request) => {
      team(request);
      const user = checkMember(request.body);
      if (teamMembers.includes(user)) throw graphError(409, 'Conflict', 'The user is already a member of the team.');
      teamMembers.push(user);
      stub.effect('team.member.add');
      return { status: 201, body: memberView(user) };
    })
    .route('messages.list', 'GET', '/v1.0/teams/:team/channels/:channel/messages', (request) => {
      const found = channel(request);
      const top = Number(request.query.get('$top') ?? 20);
      if (!Number.isInteger(top) || top < 1 || top > 50) throw graphError(400, 'BadRequest', '$top must be between 1 and 50');
      const skip = Number(request.query.get('$skiptoken') ?? 0);
      // Newest first.
      const newest = [...found.messages].reverse();
      const page = newest.slice(skip, skip + top);
      const nextLink = skip + top < newest.length ? `${stub.url}/v1.0/teams/${request.params.team}/channels/${encodeURIComponent(found.id)}/messages?$top=${top}&$skiptoken=${skip + top}` : undefined;
      return { body: { value: page.map(withoutText), ...(nextLink ? { '@odata.nextLink': nextLink } : {}) } };
    })
    .route('messages.post', 'POST', '/v1.0/teams/:team/channels/:channel/messages', (request) => {
      channel(request);
      throw graphError(401, 'Unauthorized', 'Message POST is allowed in application-only context only for import purposes. Refer to https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details.');
    })
    .route('message.get', 'GET', '/v1.0/teams/:team/channels/:channel/messages/:message', (request) => {
      const message = channel(request).messages.find((m) => m.id === request.params.message);
      if (!message) throw graphError(404, 'NotFound', 'Message not found');
      return { body: withoutText(message) };
    })
    .route('message.patch', 'PATCH', '/v1.0/teams/:team/channels/:channel/messages/:message', (request) => {
      const message = channel(request).messages.find((m) => m.id === request.params.message);
      if (!message) throw graphError(404, 'NotFound', 'Message not found');
      // App-only, only a message's policy violation can be changed.
      throw graphError(403, 'Forbidden', 'Application-only context can update only the policyViolation of a message.');
    })
    .route('meetings.createOrGet', 'POST', '/v1.0/users/:user/onlineMeetings/createOrGet', ({ params, body }) => {
      if (!meetingPolicy.has(params.user)) {
        throw graphError(403, 'Forbidden', 'Application is not allowed to perform operations on the user, check if an application access policy is granted.');
      }
      if (typeof body?.externalId !== 'string' || body.externalId === '') throw graphError(400, 'BadRequest', 'externalId is required');
      if (body.subject !== undefined && typeof body.subject !== 'string') throw graphError(400, 'BadRequest', 'subject must be a string');
      const existing = meetings.find((m) => m.organizer === params.user && m.externalId === body.externalId);
      if (existing) return { status: 200, body: existing };
      const id = `MSo${++sequence}_stub_meeting`;
      const meeting = { id, externalId: body.externalId, subject: body.subject ?? '', joinWebUrl: `https://teams.example/l/meetup-join/${id}`, organizer: params.user };
      meetings.push(meeting);
      stub.effect('meeting.create');
      return { status: 201, body: meeting };
    });
  addBotConnector(stub, { tenantId: GRAPH_CREDENTIALS.tenantId, botId: GRAPH_CREDENTIALS.clientId, channels, tokens: botTokens, installed: botInstalled, nextId: () => ++sequence });
  await stub.start();
  return { stub, channels, teamMembers, meetings, meetingPolicy, botInstalled };
}
