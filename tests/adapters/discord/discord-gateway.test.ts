import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIInteractionResponseChannelMessageWithSource } from 'discord.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { createCommandEngine } from '../../../src/commands/engine.js';
import { SUBCOMMANDS } from '../../../src/commands/subcommands/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { loadBotFiles } from '../../../src/bot/load-bot-files.js';
import { silentLogger } from '../../../src/log/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord-server.js';
import { shippedConfig } from '../../helpers/paths.js';

const APP = '1100000000000000001';
const TOKEN = `${Buffer.from(APP).toString('base64url')}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB`;
let counter = 0;

/** INTERACTION_CREATE's d for /deal <subcommand> in a guild channel. */
function interaction(subcommand: string) {
  counter += 1;
  return {
    id: String(1600000000000000000n + BigInt(counter)),
    application_id: APP,
    type: 2,
    token: `gateway-token-${counter}`,
    version: 1,
    guild_id: '1200000000000000001',
    channel_id: '1200000000000000002',
    member: {
      user: { id: '1200000000000000005', username: 'reader', discriminator: '0', global_name: null, avatar: null },
      roles: [],
      joined_at: '2025-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '0',
    },
    app_permissions: '0',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    data: { id: '1500000000000000001', name: 'deal', type: 1, options: [{ type: 1, name: subcommand, options: [] }] },
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const start = Date.now(); !check(); await new Promise((r) => setTimeout(r, 5)))
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${check.toString()}`);
}

describe('Discord adapter start() over a (local) gateway', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;

  beforeEach(async () => {
    fake = await startFakeDiscord({ botUserId: APP });
    const files = await loadBotFiles(shippedConfig, {});
    const config = configSchema.parse({});
    adapter = new DiscordAdapter({
      token: TOKEN,
      apiUrl: fake.api,
      logger: silentLogger(),
      getConfig: () => config,
      getBriefs: () => files.briefs,
      commands: SUBCOMMANDS,
    });
    await adapter.start(createCommandEngine({ getConfig: () => config, getBriefs: () => files.briefs, services: {} }));
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('logs in with the Guilds intent only, and answers a command dispatched by the gateway', async () => {
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.identifies[0]?.intents).toBe(1); // GatewayIntentBits.Guilds
    expect(fake.gateway.identifies[0]?.token).toBe(TOKEN);
    const raw = interaction('facts');
    fake.gateway.dispatch('INTERACTION_CREATE', raw);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    const { data } = callback.body as APIInteractionResponseChannelMessageWithSource;
    expect(data.flags).toBe(64);
    expect(data.embeds?.[0]?.title).toContain('Key facts');
  });

  it('lets discord.js resume after the connection drops, then keeps answering; dealbot health sees the drop', async () => {
    expect(adapter.isConnected()).toBe(true);
    fake.gateway.drop(4000);
    await until(() => !adapter.isConnected());
    await fake.gateway.waitForSessions(2);
    await until(() => adapter.isConnected());
    expect(fake.gateway.resumes).toHaveLength(1);
    expect(fake.gateway.resumes[0]?.session_id).toBe('session-1');
    const raw = interaction('timeline');
    fake.gateway.dispatch('INTERACTION_CREATE', raw);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    const { data } = callback.body as APIInteractionResponseChannelMessageWithSource;
    expect(data.embeds?.[0]?.title).toContain('Timeline');
  });
});
