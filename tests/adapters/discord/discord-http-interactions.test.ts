import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  APIApplicationCommandAutocompleteResponse,
  APIInteractionResponseChannelMessageWithSource,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { BriefRegistry } from '../../../src/briefs/brief-registry.js';
import { createCommandEngine } from '../../../src/commands/engine.js';
import { SUBCOMMANDS } from '../../../src/commands/subcommands/index.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { loadBotFiles } from '../../../src/bot/load-bot-files.js';
import { silentLogger } from '../../../src/log/logger.js';
import type { CommandHandler, CommandInvocation } from '../../../src/messages/chat-adapter.js';
import {
  chatInputPayload,
  deliverInteraction,
  INTERACTION_DEFAULTS,
  OPTION_TYPE,
} from '../../helpers/discord-interaction.js';
import { startFakeDiscord, type FakeDiscord } from '../../helpers/fake-discord-server.js';
import { shippedConfig } from '../../helpers/paths.js';
import { interactionKeys, sendInteraction, type InteractionKeys } from '../../helpers/signed-interaction.js';

/**
 * Discord's HTTP interactions: real signed requests over HTTP on 127.0.0.1 to the
 * adapter's endpoint; deferred answers reach the local Discord REST server through
 * discord.js's REST client.
 */

const APP = INTERACTION_DEFAULTS.applicationId;
const { string: STRING, integer: INTEGER, boolean: BOOLEAN } = OPTION_TYPE;

describe('Discord HTTP interactions endpoint', () => {
  let fake: FakeDiscord;
  let keys: InteractionKeys;
  let config: Config;
  let briefs: BriefRegistry;
  const adapters: DiscordAdapter[] = [];

  beforeEach(async () => {
    fake = await startFakeDiscord({ botUserId: APP });
    keys = interactionKeys();
    briefs = (await loadBotFiles(shippedConfig, {})).briefs;
    config = configSchema.parse({});
  });

  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.stop()));
    await fake.close();
  });

  const engine = () => createCommandEngine({ getConfig: () => config, getBriefs: () => briefs, services: {} });

  /** An adapter with the endpoint on (a free port on 127.0.0.1) and no gateway; returns its base URL. */
  async function startReceiver(handler: CommandHandler, extra: { deferAfterMs?: number } = {}) {
    const adapter = new DiscordAdapter({
      token: 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token',
      apiUrl: fake.api,
      logger: silentLogger(),
      getConfig: () => config,
      getBriefs: () => briefs,
      connect: async () => undefined,
      commands: SUBCOMMANDS,
      interactions: { publicKey: keys.publicKeyHex, port: 0, host: '127.0.0.1' },
      health: () => ({ healthy: true, line: 'healthy: test' }),
      ...extra,
    });
    adapters.push(adapter);
    await adapter.start(handler);
    const base = `http://127.0.0.1:${adapter.interactionsAddress()!.port}`;
    return { adapter, base };
  }

  /** A handler that records what it was asked and answers with the real engine. */
  function recording() {
    const seen: CommandInvocation[] = [];
    const core = engine();
    const handler: CommandHandler = async (inv) => (seen.push(inv), core(inv));
    return { seen, handler };
  }

  it('answers a signed PING with PONG', async () => {
    const { base } = await startReceiver(engine());
    expect(await sendInteraction(base, keys, { type: 1, id: '1', application_id: APP, token: 't' })).toEqual({
      status: 200,
      body: { type: 1 },
    });
  });

  it('refuses unsigned, wrongly signed, tampered and stale requests with 401, and runs nothing', async () => {
    const { seen, handler } = recording();
    const { base } = await startReceiver(handler);
    const payload = chatInputPayload({ subcommand: 'facts' });
    const now = Math.floor(Date.now() / 1000);
    const answers = [
      await sendInteraction(base, keys, payload, { unsigned: true }),
      await sendInteraction(base, keys, payload, { signWith: interactionKeys().privateKey }),
      await sendInteraction(base, keys, payload, { signedBody: JSON.stringify({ ...payload, token: 'other' }) }),
      await sendInteraction(base, keys, payload, { timestamp: now - 6 * 60 }),
      await sendInteraction(base, keys, payload, { timestamp: now + 6 * 60 }),
      await sendInteraction(base, keys, { type: 1 }, { unsigned: true }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(seen).toEqual([]);
    expect(fake.requests).toEqual([]);
    // Within the window it is answered: the refusals above were about the stamp, not the payload.
    expect((await sendInteraction(base, keys, payload, { timestamp: now - 4 * 60 })).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('answers a signed /deal facts in the HTTP response: type 4, ephemeral embeds, no mentions', async () => {
    const { seen, handler } = recording();
    const { base } = await startReceiver(handler);
    const payload = chatInputPayload({ subcommand: 'facts' });
    const { status, body } = await sendInteraction(base, keys, payload);
    expect(status).toBe(200);
    const answer = body as APIInteractionResponseChannelMessageWithSource;
    expect(answer.type).toBe(4);
    expect(answer.data.flags).toBe(64);
    expect(answer.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(answer.data.embeds?.[0]?.title).toContain('Key facts');
    expect(seen[0]).toMatchObject({
      platform: 'discord',
      command: 'deal',
      text: 'facts',
      channel: { id: INTERACTION_DEFAULTS.channelId },
      user: { id: INTERACTION_DEFAULTS.userId },
    });
    // Answered in the response itself: nothing went to Discord's REST API.
    expect(fake.requests).toEqual([]);
  });

  it('maps options as the gateway path does (brief, share, n, query, role ids without @everyone)', async () => {
    const { seen, handler } = recording();
    const { base } = await startReceiver(handler);
    const facts = chatInputPayload({
      subcommand: 'facts',
      options: [
        { name: 'brief', type: STRING, value: 'us-japan-rare-earths-2025' },
        { name: 'share', type: BOOLEAN, value: true },
      ],
      roles: [INTERACTION_DEFAULTS.guildId, '1200000000000000099'],
    });
    const shared = (await sendInteraction(base, keys, facts)).body as APIInteractionResponseChannelMessageWithSource;
    expect(shared.type).toBe(4);
    expect(shared.data.flags ?? 0).toBe(0);
    expect(shared.data.embeds?.[0]?.description).toContain('Takaichi');
    await sendInteraction(
      base,
      keys,
      chatInputPayload({ subcommand: 'latest', options: [{ name: 'n', type: INTEGER, value: 3 }] }),
    );
    await sendInteraction(
      base,
      keys,
      chatInputPayload({ subcommand: 'search', options: [{ name: 'query', type: STRING, value: 'rare\nearth' }] }),
    );
    expect(seen.map((s) => s.text)).toEqual(['facts us-japan-rare-earths-2025 share', 'latest 3', 'search rare earth']);
    expect(seen[0]?.user.roleIds).toEqual(['1200000000000000099']);
  });

  it('answers autocomplete with type 8 and the matching briefs', async () => {
    const { base } = await startReceiver(engine());
    const payload = { ...chatInputPayload({ subcommand: 'facts' }), type: 4 };
    payload.data.options[0]!.options = [{ name: 'brief', type: STRING, value: 'rare', focused: true } as never];
    const { status, body } = await sendInteraction(base, keys, payload);
    expect(status).toBe(200);
    const answer = body as APIApplicationCommandAutocompleteResponse;
    expect(answer.type).toBe(8);
    expect(answer.data.choices).toEqual([
      { name: expect.stringContaining('us-japan-rare-earths-2025 — '), value: 'us-japan-rare-earths-2025' },
    ]);
  });

  it('defers a slow answer (type 5) and edits the original through the webhook, with the interaction token only', async () => {
    const core = engine();
    const { base } = await startReceiver(
      async (inv) => {
        await new Promise((r) => setTimeout(r, 200));
        return core(inv);
      },
      { deferAfterMs: 20 },
    );
    const payload = chatInputPayload({ subcommand: 'timeline' });
    const response = await sendInteraction(base, keys, payload);
    expect(response).toEqual({ status: 200, body: { type: 5, data: { flags: 64 } } });
    const edit = await fake.waitFor('PATCH', new RegExp(`^/webhooks/${APP}/${payload.token}/messages/@original$`));
    const edited = edit.body as RESTPatchAPIWebhookWithTokenMessageJSONBody;
    expect(edited.embeds?.[0]?.title).toContain('Timeline');
    expect(edited.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(edit.headers.authorization).toBeUndefined();
    expect(fake.requests.filter((r) => r.path.startsWith('/interactions/'))).toEqual([]);
  });

  it('keeps a private answer private after a public deferral: deletes the original, follows up ephemerally', async () => {
    const { base } = await startReceiver(
      async () => {
        await new Promise((r) => setTimeout(r, 200));
        return { message: { title: 'Sorry, that failed', sections: [], tone: 'error' }, visibility: 'private' };
      },
      { deferAfterMs: 20 },
    );
    const payload = chatInputPayload({ subcommand: 'facts', options: [{ name: 'share', type: BOOLEAN, value: true }] });
    expect(await sendInteraction(base, keys, payload)).toEqual({ status: 200, body: { type: 5, data: {} } });
    await fake.waitFor('DELETE', new RegExp(`^/webhooks/${APP}/${payload.token}/messages/@original$`));
    const followUp = await fake.waitFor('POST', new RegExp(`^/webhooks/${APP}/${payload.token}$`));
    const body = followUp.body as RESTPostAPIWebhookWithTokenJSONBody;
    expect(body.flags).toBe(64);
    expect(body.embeds?.[0]?.title).toBe('Sorry, that failed');
  });

  it('apologises privately when the core fails', async () => {
    const { base } = await startReceiver(async () => {
      throw new Error('boom');
    });
    const { status, body } = await sendInteraction(base, keys, chatInputPayload({ subcommand: 'facts' }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 4, data: { content: expect.stringContaining('Sorry'), flags: 64 } });
  });

  it('two receivers (two replicas, no balancer) each answer what they get', async () => {
    const a = recording();
    const b = recording();
    const first = await startReceiver(a.handler);
    const second = await startReceiver(b.handler);
    expect(first.base).not.toBe(second.base);
    const toA = chatInputPayload({ subcommand: 'facts' });
    const toB = chatInputPayload({ subcommand: 'timeline' });
    const [answerA, answerB] = await Promise.all([
      sendInteraction(first.base, keys, toA),
      sendInteraction(second.base, keys, toB),
    ]);
    expect((answerA.body as APIInteractionResponseChannelMessageWithSource).data.embeds?.[0]?.title).toContain(
      'Key facts',
    );
    expect((answerB.body as APIInteractionResponseChannelMessageWithSource).data.embeds?.[0]?.title).toContain(
      'Timeline',
    );
    expect(a.seen.map((s) => s.text)).toEqual(['facts']);
    expect(b.seen.map((s) => s.text)).toEqual(['timeline']);
  });

  it('answers an interaction that arrives both ways (gateway and HTTP) once', async () => {
    const { seen, handler } = recording();
    const { adapter, base } = await startReceiver(handler);
    const payload = chatInputPayload({ subcommand: 'facts' });
    deliverInteraction(adapter, payload);
    await fake.waitFor('POST', new RegExp(`^/interactions/${payload.id}/`));
    const again = await sendInteraction(base, keys, payload);
    expect(again.status).toBe(500);
    expect(seen).toHaveLength(1);
  });

  it('refuses what it cannot read (400), tells a stale command name privately, and serves /healthz', async () => {
    const { seen, handler } = recording();
    const { base } = await startReceiver(handler);
    expect((await sendInteraction(base, keys, 'not json')).status).toBe(400);
    const component = await sendInteraction(base, keys, { type: 3, id: '1', application_id: APP, token: 't' });
    expect(component.status).toBe(400);
    expect(String(component.body)).toContain('type');
    const other = { ...chatInputPayload({ subcommand: 'facts' }) };
    other.data.name = 'oldname';
    const { body } = await sendInteraction(base, keys, other);
    expect(body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('/oldname') } });
    expect(seen).toEqual([]);
    expect((await sendInteraction(base, keys, { type: 1 }, { path: '/elsewhere' })).status).toBe(404);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('healthy: test\n');
  });
});
