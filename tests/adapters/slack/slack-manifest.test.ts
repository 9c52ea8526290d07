import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_BOT_SCOPES, slackManifest } from '../../../src/adapters/slack/slack-manifest.js';
import { slackManifestCommand } from '../../../src/cli/commands/slack-manifest.js';
import { shippedConfig } from '../../helpers/paths.js';
import { captureIO } from '../../helpers/capture-io.js';

async function run(args: string[]) {
  const io = captureIO();
  const code = await slackManifestCommand.run(['--config', shippedConfig, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** The parts of the manifest these tests read. */
interface Manifest {
  display_information: { name: string; description: string };
  features: {
    slash_commands: {
      command: string;
      description: string;
      usage_hint: string;
      should_escape: boolean;
      url?: string;
    }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean };
}

describe('Slack app manifest', () => {
  it('has the configured slash command, unescaped, with a usage hint, and only the scopes the bot uses', () => {
    const m = slackManifest({
      command: 'news',
      subcommands: ['facts', 'sources'],
      about: 'A story',
    }) as unknown as Manifest;
    expect(m.features.slash_commands).toEqual([
      {
        command: '/news',
        description: 'Briefing: A story',
        usage_hint: '[facts | sources | help] [share]',
        should_escape: false,
      },
    ]);
    expect(m.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'channels:history', 'groups:history']);
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.display_information.name).toBe('dealbot');
    expect(m.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('switches to HTTP mode with a public URL pointing at /slack/events', () => {
    const m = slackManifest({
      command: 'deal',
      subcommands: [],
      publicUrl: 'https://bot.example.com/',
    }) as unknown as Manifest;
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.features.slash_commands[0]?.url).toBe('https://bot.example.com/slack/events');
  });

  it('`dealbot slack-manifest` prints YAML for the shipped config, or JSON', async () => {
    const yaml = await run([]);
    expect(yaml.code).toBe(0);
    const m = parse(yaml.out);
    expect(m.features.slash_commands[0].command).toBe('/deal');
    expect(m.features.slash_commands[0].usage_hint).toContain('facts');
    expect(m.oauth_config.scopes.bot).toEqual([...SLACK_BOT_SCOPES]);
    const json = await run(['--format', 'json', '--name', 'newsbot']);
    expect(JSON.parse(json.out).display_information.name).toBe('newsbot');
  });

  it('refuses a non-https public URL', async () => {
    const r = await run(['--public-url', 'http://bot.example.com']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/https/);
  });
});
