import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIInteractionResponseChannelMessageWithSource } from 'discord.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { GATEWAY_LEASE_NAME } from '../../../src/adapters/discord/gateway-lease.js';
import { createCommandEngine } from '../../../src/commands/engine.js';
import { SUBCOMMANDS } from '../../../src/commands/subcommands/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { loadBotFiles } from '../../../src/bot/load-bot-files.js';
import { createLogger, silentLogger, type Logger } from '../../../src/log/logger.js';
import type { NamedLeases } from '../../../src/adapters/adapter-module.js';
import { Writable } from 'node:stream';
import { chatInputPayload } from '../../helpers/discord-interaction.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord-server.js';
import { LeaseTable } from '../../helpers/memory-leases.js';
import { shippedConfig } from '../../helpers/paths.js';
import { interactionKeys, sendInteraction } from '../../helpers/signed-interaction.js';

/**
 * The gateway lease: replicas each serve HTTP interactions, and only the one holding
 * the lease opens the gateway (real logins to the local gateway, counted there).
 * Expiry is the lease table's, set by the test, so nothing waits on a clock; the
 * adapters retry every 20 ms and the test waits for what it expects.
 */

const APP = '1100000000000000001';
const TOKEN = `${Buffer.from(APP).toString('base64url')}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB`;

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const start = Date.now(); !check(); await new Promise((r) => setTimeout(r, 5)))
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
}

describe('Discord gateway lease (replicas behind a load balancer)', () => {
  let fake: FakeDiscord;
  let table: LeaseTable;
  const adapters: DiscordAdapter[] = [];
  const keys = interactionKeys();

  beforeEach(async () => {
    fake = await startFakeDiscord({ botUserId: APP });
    table = new LeaseTable();
  });

  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.stop()));
    await fake.close();
  });

  async function startReplica(name: string, options: { lease?: NamedLeases; logger?: Logger } = {}) {
    const files = await loadBotFiles(shippedConfig, {});
    const config = configSchema.parse({});
    const adapter = new DiscordAdapter({
      token: TOKEN,
      apiUrl: fake.api,
      logger: options.logger ?? silentLogger(),
      getConfig: () => config,
      getBriefs: () => files.briefs,
      commands: SUBCOMMANDS,
      interactions: { publicKey: keys.publicKeyHex, port: 0, host: '127.0.0.1' },
      gatewayLease: options.lease ?? table.holder(name),
      leaseTimes: { ttlMs: 60_000, everyMs: 20 },
    });
    adapters.push(adapter);
    await adapter.start(createCommandEngine({ getConfig: () => config, getBriefs: () => files.briefs, services: {} }));
    return adapter;
  }

  it('does not open the gateway while another replica holds the lease, and takes over when it is released', async () => {
    table.takeAs(GATEWAY_LEASE_NAME, 'elsewhere');
    const adapter = await startReplica('replica-a');
    // Several retries go by, none of them connects.
    await until(() => table.calls.filter((c) => c.startsWith('replica-a acquire')).length >= 3, 'three tries');
    expect(fake.gateway.identifies).toHaveLength(0);
    expect(fake.requests.filter((r) => r.path === '/gateway/bot')).toEqual([]);
    expect(adapter.holdsGateway()).toBe(false);
    // Without the gateway it still answers over HTTP, and says it is healthy.
    expect(adapter.isConnected()).toBe(true);
    const base = `http://127.0.0.1:${adapter.interactionsAddress()!.port}`;
    const answer = await sendInteraction(base, keys, chatInputPayload({ subcommand: 'facts' }));
    expect((answer.body as APIInteractionResponseChannelMessageWithSource).data.embeds?.[0]?.title).toContain(
      'Key facts',
    );

    table.expire(GATEWAY_LEASE_NAME); // the holder died: its lease ran out
    await fake.gateway.waitForSessions(1);
    await until(() => adapter.holdsGateway(), 'replica-a holds the gateway');
    expect(table.held.get(GATEWAY_LEASE_NAME)).toBe('replica-a');
    expect(fake.gateway.identifies).toHaveLength(1);
    // It renews what it holds.
    await until(() => table.calls.includes(`replica-a renew ${GATEWAY_LEASE_NAME} → true`), 'a renewal');
  });

  it('two replicas: one gateway connection; stopping the holder releases the lease and the other connects', async () => {
    const first = await startReplica('replica-a');
    const second = await startReplica('replica-b');
    expect(first.holdsGateway()).toBe(true);
    await until(() => table.calls.some((c) => c.startsWith('replica-b acquire')), 'replica-b tries');
    expect(second.holdsGateway()).toBe(false);
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.openConnections()).toBe(1);

    await first.stop();
    adapters.splice(adapters.indexOf(first), 1);
    expect(table.calls).toContain(`replica-a release ${GATEWAY_LEASE_NAME} → undefined`);
    await until(() => second.holdsGateway(), 'replica-b holds the gateway');
    await fake.gateway.waitForSessions(2);
    await until(() => fake.gateway.openConnections() === 1, 'one open connection');
    expect(fake.gateway.identifies).toHaveLength(2);
  });

  it('closes its gateway connection when the lease is lost, and connects again when it gets it back', async () => {
    const adapter = await startReplica('replica-a');
    expect(adapter.holdsGateway()).toBe(true);
    await fake.gateway.waitForSessions(1);
    table.takeAs(GATEWAY_LEASE_NAME, 'elsewhere'); // expired and taken while replica-a hung
    await until(() => !adapter.holdsGateway(), 'replica-a gives up the gateway');
    await until(() => fake.gateway.openConnections() === 0, 'its connection closed');
    // Channel posts (digests) do not need the gateway, and still carry the bot token.
    await adapter.postToChannel('1200000000000000002', { title: 'Digest', sections: [] });
    const post = await fake.waitFor('POST', /^\/channels\/1200000000000000002\/messages$/);
    expect(post.headers.authorization).toBe(`Bot ${TOKEN}`);

    table.expire(GATEWAY_LEASE_NAME);
    await until(() => adapter.holdsGateway(), 'replica-a holds the gateway again');
    await fake.gateway.waitForSessions(2);
    expect(fake.gateway.identifies).toHaveLength(2); // a fresh login
    // And the new connection answers commands.
    const raw = chatInputPayload({ subcommand: 'facts' });
    fake.gateway.dispatch('INTERACTION_CREATE', raw);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
    expect((callback.body as APIInteractionResponseChannelMessageWithSource).data.embeds?.[0]?.title).toContain(
      'Key facts',
    );
  });

  it('while the lease store is away (the database is down) warns once, not at every attempt, and connects once it answers', async () => {
    const lines: { level: number; msg: string }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const real = table.holder('replica-a');
    let failures = 0;
    let away = true;
    const lease: NamedLeases = {
      ...real,
      acquire: async (name, ttlMs) => {
        if (!away) return real.acquire(name, ttlMs);
        failures++;
        throw new Error('the database at db:5432/dealbot is not answering');
      },
    };
    const adapter = await startReplica('replica-a', { lease, logger: createLogger({ level: 'info', destination }) });
    await until(() => failures >= 5, 'five failed attempts');
    away = false;
    await until(() => adapter.holdsGateway(), 'replica-a holds the gateway');
    const about = lines.filter((l) => l.msg.includes('gateway lease'));
    expect(about.filter((l) => l.msg.startsWith('discord: could not ask for the gateway lease'))).toHaveLength(1);
    expect(about.some((l) => l.msg === 'discord: the gateway lease can be asked for again')).toBe(true);
  });
});
