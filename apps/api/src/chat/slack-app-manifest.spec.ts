import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * docs/slack-app-manifest.yaml is what operators paste into Slack: it must name the routes
 * this module serves, the commands it reads, and the scopes the Slack adapters call with.
 */
describe('the Slack app manifest', () => {
  const manifest = parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'slack-app-manifest.yaml'), 'utf8'));
  const base = 'https://firebreak.example.com';

  it('sends slash commands and button presses to the two request URLs', () => {
    expect(manifest.features.slash_commands.map((command: { command: string; url: string }) => [command.command, command.url])).toEqual([
      ['/incident', `${base}/v1/chat/slack/commands`],
      ['/runbook', `${base}/v1/chat/slack/commands`],
    ]);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: `${base}/v1/chat/slack/interactions` });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks for the scopes of the chat and direct-message adapters and for commands', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['channels:history', 'channels:manage', 'channels:read', 'chat:write', 'commands', 'groups:history', 'groups:read', 'groups:write', 'im:history', 'im:write', 'pins:write'].sort(),
    );
  });
});
