import { loadOperatorConfig } from './operator-config';

const files = (chatUsers: unknown) => ({
  routes: { file: 'routes', value: { routes: [], default: {} } },
  escalationPolicies: { file: 'policies', value: {} },
  heartbeats: { file: 'heartbeats', value: [] },
  chatUsers: { file: 'runbooks/chat-users.ts', value: chatUsers },
});

describe('runbooks/chat-users.ts', () => {
  it('maps Slack user ids to a name and a role', () => {
    const { chatUsers } = loadOperatorConfig(files([{ slack: 'U01DANA0001', name: 'Dana Ortiz', role: 'admin' }]));
    expect(chatUsers.get('U01DANA0001')).toEqual({ slack: 'U01DANA0001', name: 'Dana Ortiz', role: 'admin' });
  });

  it('is empty when the file is absent', () => {
    const { routes, escalationPolicies, heartbeats } = files([]);
    expect(loadOperatorConfig({ routes, escalationPolicies, heartbeats }).chatUsers.size).toBe(0);
  });

  it('stops start-up naming the file and the field of each mistake', () => {
    expect(() =>
      loadOperatorConfig(
        files([
          { slack: 'dana', name: 'Dana', role: 'responder' },
          { slack: 'U01SAM00002', name: 'Sam\u0007', role: 'responder' },
          { slack: 'U01LEE00004', name: 'Lee', role: 'owner' },
          { slack: 'U01PRIYA003', name: 'Priya', role: 'viewer', team: 'sre' },
        ]),
      ),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'runbooks/chat-users.ts: 0.slack: a Slack user id: U or W, then capital letters and digits',
          expect.stringMatching(/^runbooks\/chat-users\.ts: 1\.name: no control/),
          expect.stringMatching(/^runbooks\/chat-users\.ts: 2\.role: /),
          expect.stringMatching(/^runbooks\/chat-users\.ts: 3: Unrecognized key: "team"/),
        ],
      }),
    );
    expect(() =>
      loadOperatorConfig(
        files([
          { slack: 'U01DANA0001', name: 'Dana', role: 'responder' },
          { slack: 'U01DANA0001', name: 'Dana again', role: 'admin' },
        ]),
      ),
    ).toThrow(expect.objectContaining({ problems: ['runbooks/chat-users.ts: 1.slack: "U01DANA0001" is listed twice'] }));
  });
});
