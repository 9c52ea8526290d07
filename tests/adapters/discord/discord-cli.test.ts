import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';
import type { CliCommand } from '../../../src/cli/cli-command.js';
import { loadCliCommand } from '../../../src/cli/registry.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord-server.js';
import { shippedConfig } from '../../helpers/paths.js';
import { runCli } from '../../helpers/run-cli.js';
import { captureIO } from '../../helpers/capture-io.js';

/** Runs a registered CLI command in-process with captured output (the entry point is tested once below). */
async function run(name: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const command: CliCommand = (await loadCliCommand(name))!;
  const io = captureIO(options.env);
  const withConfig = name === 'register-commands' ? ['--config', shippedConfig, ...args] : args;
  const code = await command.run(withConfig, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

const APP = '1100000000000000001';
const GUILD = '1200000000000000001';
const TOKEN = `${Buffer.from(APP).toString('base64url')}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB`;

describe('dealbot register-commands', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(() => fake.close());

  it('--print shows the JSON body and sends nothing (no token needed)', async () => {
    const { code, stdout, stderr } = await runCli(['register-commands', '--print'], {
      env: { DISCORD_API_URL: fake.api },
    }); // through the real entry point
    expect(code).toBe(0);
    expect(stderr).toContain('nothing sent');
    const body = JSON.parse(stdout);
    expect(body).toHaveLength(1);
    expect(body[0].name).toBe('deal');
    expect(body[0].options.map((o: { name: string }) => o.name)).toEqual(
      expect.arrayContaining(['facts', 'reactions', 'sources', 'briefs', 'help']),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('PUTs the command to one guild with the bot token', async () => {
    const { code, stdout, stderr } = await run('register-commands', ['--guild', GUILD], {
      env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.api },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Registered \/deal with \d+ subcommands guild 1200000000000000001/);
    const put = await fake.waitFor('PUT', new RegExp(`^/applications/${APP}/guilds/${GUILD}/commands$`));
    expect(put.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect((put.body as RESTPutAPIApplicationCommandsJSONBody)[0]?.name).toBe('deal');
  });

  it('registers globally without --guild, and says why Discord refused', async () => {
    const global = await run('register-commands', ['--app', '1100000000000000009'], {
      env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.api },
    });
    expect(global.code).toBe(0);
    await fake.waitFor('PUT', /^\/applications\/1100000000000000009\/commands$/);

    fake.respondOnce('PUT', /commands$/, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
    const refused = await run('register-commands', [], { env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.api } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Discord refused: 401: Unauthorized\nThe token was not accepted/);
  });

  it('--clear PUTs an empty set (removes a guild copy left from testing)', async () => {
    const { code, stdout } = await run('register-commands', ['--guild', '1200000000000000008', '--clear'], {
      env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.api },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Removed');
    const put = await fake.waitFor('PUT', /^\/applications\/\d+\/guilds\/1200000000000000008\/commands$/);
    expect(put.body).toEqual([]);
  });

  it('needs a token unless printing, and a valid guild id', async () => {
    const noToken = await run('register-commands', []);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('set DISCORD_TOKEN');
    const badGuild = await run('register-commands', ['--guild', 'general', '--print']);
    expect(badGuild.code).toBe(2);
    expect(badGuild.stderr).toContain('--guild expects a server id');
  });
});

describe('dealbot discord-invite', () => {
  it('prints the invite URL with bot + applications.commands and View Channel, Send Messages, Embed Links', async () => {
    const { code, stdout } = await run('discord-invite', ['--app', APP]);
    expect(code).toBe(0);
    const url = new URL(stdout.trim());
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('client_id')).toBe(APP);
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    // 1024 (View Channel) + 2048 (Send Messages) + 16384 (Embed Links)
    expect(url.searchParams.get('permissions')).toBe(String(1024 + 2048 + 16384 + 65536));
  });

  it('--help lists exactly the permissions the URL asks for', async () => {
    const help = await runCli(['discord-invite', '--help']); // through the real entry point
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dealbot discord-invite [--config FILE] [--app ID]');
    const count = Number(/for (\d+) permissions:/.exec(help.stdout)?.[1]);
    const listed = help.stdout
      .split('\n')
      .filter((line) => /^ {2}\S/.test(line))
      .map((line) => line.trim().split(/\s{2,}/)[0]!);
    expect(listed).toHaveLength(count);
    // Each name as discord.js spells the flag ("View Channel" → ViewChannel), OR-ed together.
    const bits = listed.reduce((sum, name) => {
      const flag = PermissionFlagsBits[name.replace(/ /g, '') as keyof typeof PermissionFlagsBits];
      expect(flag, name).toBeDefined();
      return sum | flag;
    }, 0n);
    const { stdout } = await run('discord-invite', ['--app', APP]);
    expect(new URL(stdout.trim()).searchParams.get('permissions')).toBe(bits.toString());
  });

  it('takes --config like every command, and names its slash command in the next step', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-invite-'));
    writeFileSync(path.join(dir, 'dealbot.yaml'), 'bot: { command: news }\n');
    const named = await run('discord-invite', ['--config', path.join(dir, 'dealbot.yaml'), '--app', APP]);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain(`client_id=${APP}`);
    expect(named.stderr).toContain('npx dealbot register-commands` adds /news');
    const missing = await run('discord-invite', ['--config', path.join(dir, 'nope.yaml'), '--app', APP]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.yaml: file not found');
  });

  it('takes the id from DISCORD_APPLICATION_ID or the token, and says how to find it otherwise', async () => {
    expect(
      (await run('discord-invite', [], { env: { DISCORD_APPLICATION_ID: '1100000000000000009' } })).stdout,
    ).toContain('client_id=1100000000000000009');
    expect((await run('discord-invite', [], { env: { DISCORD_TOKEN: TOKEN } })).stdout).toContain(`client_id=${APP}`);
    const missing = await run('discord-invite', []);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--app ID or set DISCORD_APPLICATION_ID');
  });
});

describe('dealbot ask --render discord', () => {
  it('prints the exact payload: content, embeds, allowed_mentions, and the ephemeral flag', async () => {
    const { code, stdout } = await runCli(['ask', '--render', 'discord', '/deal facts']);
    expect(code).toBe(0);
    const payload = JSON.parse(stdout);
    expect(payload).toMatchObject({ content: '', allowed_mentions: { parse: [], replied_user: false }, flags: 64 });
    expect(payload.embeds[0].title).toContain('Key facts');
    const shared = JSON.parse(
      (await run('ask', ['--config', shippedConfig, '--render', 'discord', '/deal facts share'])).stdout,
    );
    expect(shared.flags).toBeUndefined();
  });
});
