/**
 * Who may act from Slack, as the operator writes it in `runbooks/chat-users.ts`: a Slack user
 * id, the name recorded on the timeline as the actor, and the role (the API's roles, with the
 * API's rules: reading needs `viewer`, acting `responder`). Responders with a Slack id in
 * `runbooks/responders.ts` are responders without being listed here; an entry here for the
 * same id says otherwise. Checked with the other operator files (see loadOperatorConfig).
 */
import { z } from 'zod';
import { ROLES, type Role } from './config';
import { plainLine } from './text-schemas';

/** A Slack member id: `U…`, or `W…` on Enterprise Grid. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

/** At most this many entries, so the lookup table stays small. */
export const CHAT_USERS_MAX = 10_000;

export const ChatUserSchema = z
  .object({
    slack: z.string().regex(SLACK_USER_ID, 'a Slack user id: U or W, then capital letters and digits'),
    /** The actor on the timeline for what this user does from Slack. */
    name: plainLine(100),
    role: z.enum(ROLES),
  })
  .strict();
export const ChatUsersFileSchema = z.array(ChatUserSchema).max(CHAT_USERS_MAX);
export type ChatUsersFile = z.input<typeof ChatUsersFileSchema>;

/** A Slack user as Firebreak knows them. */
export interface ChatUser {
  slack: string;
  name: string;
  role: Role;
}

/** Identity helper that gives authors type checking and completion in `runbooks/chat-users.ts`. */
export const defineChatUsers = (users: ChatUsersFile): ChatUsersFile => users;
