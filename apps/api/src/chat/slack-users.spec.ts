import { testOperatorConfig } from '../../../../test/operator';
import { SlackUsers } from './slack-users';

describe('Slack users as principals', () => {
  const responder = (id: string, name: string, slack?: string) => ({
    id,
    name,
    timeZone: 'Europe/Berlin',
    contact: { email: `${id}@example.com`, ...(slack ? { slack } : {}) },
    rules: [{ method: 'email' as const, afterMinutes: 0 }],
  });
  const users = new SlackUsers(
    testOperatorConfig({
      responders: [responder('dana', 'Dana Ortiz', 'U01DANA0001'), responder('sam', 'Sam Achterberg', 'U01SAM00002'), responder('lee', 'Lee Morgan')],
      chatUsers: [
        { slack: 'U01SAM00002', name: 'sam', role: 'admin' },
        { slack: 'U01PRIYA003', name: 'priya', role: 'viewer' },
      ],
    }),
  );

  it('makes a responder with a Slack id a responder, by name', () => {
    expect(users.principalOf('U01DANA0001')).toEqual({ name: 'Dana Ortiz', role: 'responder' });
  });

  it('lets runbooks/chat-users.ts add people and override a responder', () => {
    expect(users.principalOf('U01SAM00002')).toEqual({ name: 'sam', role: 'admin' });
    expect(users.principalOf('U01PRIYA003')).toEqual({ name: 'priya', role: 'viewer' });
  });

  it('knows nobody else', () => {
    expect(users.principalOf('U0NOBODY00')).toBeUndefined();
  });
});
