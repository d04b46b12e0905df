import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// manifest.json (repository root) against what the adapter listens for, and the limits of Slack's
// manifest schema v1 (slackapi/manifest-schema) for the fields it uses.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string; long_description: string };
  features: { bot_user: { display_name: string }; app_home: { messages_tab_enabled: boolean }; slash_commands: { command: string; description: string; url?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[]; request_url?: string }; socket_mode_enabled: boolean; interactivity?: unknown };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Manifest;

describe('manifest.json', () => {
  it('declares the bot user, /tls, Socket Mode and the events the adapter handles', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.features.bot_user.display_name).toBe('tls-triage');
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/tls']);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'file_shared', 'message.channels', 'message.groups', 'message.im']);
    // Direct messages to the bot need the Messages tab.
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    // Socket Mode: no URLs anywhere (HTTP mode adds them, docs/slack.md).
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.features.slash_commands[0]?.url).toBeUndefined();
  });

  it('asks for the least scopes: one per event family, posting, the command, reading files', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:read', 'groups:history', 'im:history']);
    // The buttons of a reply (Details, Probe, Right / Wrong cause) need interactivity; it asks for no scope.
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true });
  });

  it("fits the manifest schema's limits", () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description.length).toBeLessThanOrEqual(140);
    expect(d.long_description.length).toBeGreaterThanOrEqual(175);
    expect(d.long_description.length).toBeLessThanOrEqual(4000);
    for (const c of manifest.features.slash_commands) {
      expect(c.command).toMatch(/^\/.{1,31}$/);
      expect(c.description.length).toBeLessThanOrEqual(2000);
    }
    expect(new Set(manifest.settings.event_subscriptions.bot_events).size).toBe(manifest.settings.event_subscriptions.bot_events.length);
  });
});
