import { defineChatUsers } from '../core/schemas/chat-users';

/**
 * Who may act from Slack (slash commands, buttons), and as whom. Responders in
 * `responders.ts` with a Slack id act as themselves with the `responder` role already; list
 * here anyone else, or a responder who needs another role (approvals often ask for `admin`).
 * An unlisted Slack user is refused, and nothing changes.
 */
export default defineChatUsers([
  { slack: 'U01DANA0001', name: 'Dana Ortiz', role: 'admin' },
  { slack: 'U01LEE00004', name: 'Lee Morgan', role: 'viewer' },
]);
