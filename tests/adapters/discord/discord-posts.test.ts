import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { nonceFor, snowflakeAt } from '../../../src/adapters/discord/channel-posts.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { configSchema } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/log/logger.js';
import { ChatPermissionError } from '../../../src/messages/chat-adapter.js';
import type { Message } from '../../../src/messages/message.js';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../../helpers/fake-discord-server.js';

const CHANNEL = '1200000000000000002';
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.token';
const digest: Message = {
  title: 'Morning digest',
  sections: [{ items: [{ text: 'Japan and the US sign a rare-earths deal @everyone' }] }],
  footer: 'Daily at 9:00',
};

describe('Discord channel posts through discord.js REST', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let logs: Record<string, unknown>[];

  beforeEach(async () => {
    fake = await startFakeDiscord();
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    adapter = new DiscordAdapter({
      token: TOKEN,
      apiUrl: fake.api,
      logger: createLogger({ level: 'warn', destination: sink }),
      getConfig: () => configSchema.parse({}),
      commands: [],
      maxLookbackMessages: 300,
    });
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  const posts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`);
  const sent = (r: RecordedRequest | undefined) => r!.body as RESTPostAPIChannelMessageJSONBody;

  it('posts embeds with the bot token, mentions off, and returns the message id', async () => {
    const receipt = await adapter.postToChannel(CHANNEL, digest);
    const [post] = posts();
    expect(post!.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(sent(post).allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(sent(post).flags).toBeUndefined();
    expect(sent(post).embeds?.[0]?.title).toBe('Morning digest');
    expect(sent(post).embeds?.[0]?.description).toContain('@\u200beveryone');
    expect(receipt).toEqual({ channelId: CHANNEL, messageId: fake.messages.get(CHANNEL)![0]!.id });
  });

  it('waits out a 429 (Retry-After, X-RateLimit headers) and the post arrives once', async () => {
    fake.respondOnce('POST', /\/messages$/, {
      status: 429,
      headers: {
        'retry-after': '1',
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': '1',
        'x-ratelimit-bucket': 'fake-bucket',
        'x-ratelimit-scope': 'user',
      },
      body: { message: 'You are being rate limited.', retry_after: 1, global: false },
    });
    const started = Date.now();
    const receipt = await adapter.postToChannel(CHANNEL, digest);
    const [limited, accepted] = posts();
    expect(posts()).toHaveLength(2);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.messages.get(CHANNEL)).toHaveLength(1);
    expect(receipt.messageId).toBe(fake.messages.get(CHANNEL)![0]!.id);
  });

  it('sends one POST per attempt against a 500: the delivery schedule is the only retry, not discord.js stacked under it', async () => {
    for (let i = 0; i < 4; i++)
      fake.respondOnce('POST', /\/messages$/, { status: 500, body: { message: 'Internal Server Error', code: 0 } });
    await expect(adapter.postToChannel(CHANNEL, digest)).rejects.toMatchObject({ status: 500 });
    expect(posts()).toHaveLength(1);
    // The caller's next attempt is one more POST.
    await expect(adapter.postToChannel(CHANNEL, digest)).rejects.toMatchObject({ status: 500 });
    expect(posts()).toHaveLength(2);
    expect(fake.messages.get(CHANNEL)).toBeUndefined();
  });

  it('throws a refused post (Missing Access) as a ChatPermissionError naming View Channel', async () => {
    fake.deny(CHANNEL, 'ViewChannel');
    const err = await adapter.postToChannel(CHANNEL, digest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatPermissionError);
    expect(err).toMatchObject({ platform: 'discord', permission: 'View Channel', cause: { status: 403, code: 50001 } });
    expect((err as Error).message).toMatch(/channel's settings → Permissions.*allow View Channel/);
  });

  it('names the exact permission behind Missing Permissions (50013): Embed Links', async () => {
    fake.deny(CHANNEL, 'EmbedLinks');
    await expect(adapter.postToChannel(CHANNEL, digest)).rejects.toMatchObject({
      name: 'ChatPermissionError',
      permission: 'Embed Links',
      cause: { code: 50013 },
    });
  });

  it('sends a deterministic nonce (≤ 25 chars) with enforce_nonce, so a retry returns the first message', async () => {
    const first = await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'digest:general:2025-10-28' });
    const retry = await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'digest:general:2025-10-28' });
    const other = await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'digest:general:2025-10-29' });
    const [a, b, c] = posts().map(sent);
    expect(a!.nonce).toBe(nonceFor('digest:general:2025-10-28'));
    expect(String(a!.nonce).length).toBeLessThanOrEqual(25);
    expect(a!.enforce_nonce).toBe(true);
    expect(b!.nonce).toBe(a!.nonce);
    expect(c!.nonce).not.toBe(a!.nonce);
    expect(retry.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(fake.messages.get(CHANNEL)).toHaveLength(2);
  });

  it('finds a keyed post later by its footer reference (fetched messages carry no nonce)', async () => {
    await adapter.postToChannel(CHANNEL, digest);
    const posted = await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'digest:general:2025-10-28' });
    await adapter.postToChannel(CHANNEL, { title: 'Alert', sections: [] });
    expect(await adapter.findPosted(CHANNEL, 'digest:general:2025-10-28')).toEqual(posted);
    expect(await adapter.findPosted(CHANNEL, 'digest:general:2025-10-29')).toBeNull();
    const get = fake.requests.find((r) => r.method === 'GET');
    expect(get!.query.get('limit')).toBe('50');
  });

  it('finds its copy behind 500 later messages by reading forward from the first attempt, so it is not posted twice', async () => {
    const since = new Date();
    const posted = await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'digest:general:2025-10-28' });
    for (let i = 0; i < 500; i++) fake.addMessage(CHANNEL, `chatter ${i}`);
    // The newest page alone (the old behaviour) cannot see it.
    expect(await adapter.findPosted(CHANNEL, 'digest:general:2025-10-28')).toBeNull();

    expect(await adapter.findPosted(CHANNEL, 'digest:general:2025-10-28', { since })).toEqual(posted);
    const reads = fake.requests.filter((r) => r.method === 'GET' && r.query.has('after'));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.query.get('limit')).toBe('100');
    // From a minute before the first attempt (clock margin).
    expect(BigInt(reads[0]!.query.get('after')!)).toBeLessThanOrEqual(BigInt(snowflakeAt(since.getTime() - 60_000)));
    expect(posts()).toHaveLength(1);
  });

  it('pages forward through a busy channel when the copy came after many messages', async () => {
    const since = new Date();
    for (let i = 0; i < 250; i++) fake.addMessage(CHANNEL, `before ${i}`);
    const posted = await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'k-late' });
    for (let i = 0; i < 20; i++) fake.addMessage(CHANNEL, `after ${i}`);
    expect(await adapter.findPosted(CHANNEL, 'k-late', { since })).toEqual(posted);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.query.has('after'))).toHaveLength(3);
  });

  it('stops at the look-back bound with a warning instead of reading a flooded channel for ever', async () => {
    const since = new Date();
    for (let i = 0; i < 450; i++) fake.addMessage(CHANNEL, `flood ${i}`);
    await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'k-far' });
    expect(await adapter.findPosted(CHANNEL, 'k-far', { since })).toBeNull();
    // 300 is the bound here: three pages of 100, then it stops.
    expect(fake.requests.filter((r) => r.method === 'GET' && r.query.has('after'))).toHaveLength(3);
    expect(logs).toContainEqual(expect.objectContaining({ read: 300, channel: CHANNEL }));
  });

  it('throws a refused history read (403 Missing Access) as a ChatPermissionError, not as "not posted"', async () => {
    fake.deny(CHANNEL, 'ViewChannel');
    await expect(adapter.findPosted(CHANNEL, 'k', { since: new Date() })).rejects.toMatchObject({
      name: 'ChatPermissionError',
      permission: 'View Channel',
    });
  });

  it('reads an empty history as a missing Read Message History when that is why (Discord answers [] not 403)', async () => {
    await adapter.postToChannel(CHANNEL, digest, { idempotencyKey: 'k' });
    fake.deny(CHANNEL, 'ReadMessageHistory');
    const err = await adapter.findPosted(CHANNEL, 'k', { since: new Date(Date.now() - 1000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatPermissionError);
    expect(err).toMatchObject({ permission: 'Read Message History' });
    expect((err as Error).message).toMatch(/read the history of channel \d+.*allow Read Message History/);
    // Without the look-back too.
    await expect(adapter.findPosted(CHANNEL, 'k')).rejects.toMatchObject({ permission: 'Read Message History' });
  });

  it('answers "not posted" for an empty window when the bot may read the history', async () => {
    expect(await adapter.findPosted(CHANNEL, 'k', { since: new Date() })).toBeNull();
    expect(fake.requests.some((r) => r.path === `/guilds/${fake.guildId}/roles`)).toBe(true);
  });
});
