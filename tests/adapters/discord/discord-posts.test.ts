import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { nonceFor } from '../../../src/adapters/discord/channel-posts.js';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log/logger.js';
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

  beforeEach(async () => {
    fake = await startFakeDiscord();
    adapter = new DiscordAdapter({
      token: TOKEN,
      apiUrl: fake.api,
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
      commands: [],
      restRetries: 2,
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

  it('retries a passing 500 and throws when the server keeps failing, so the caller can record it', async () => {
    fake.respondOnce('POST', /\/messages$/, { status: 500, body: { message: 'Internal Server Error', code: 0 } });
    await expect(adapter.postToChannel(CHANNEL, digest)).resolves.toMatchObject({ channelId: CHANNEL });
    expect(fake.messages.get(CHANNEL)).toHaveLength(1);

    for (let i = 0; i < 3; i++)
      fake.respondOnce('POST', /\/messages$/, { status: 500, body: { message: 'Internal Server Error', code: 0 } });
    await expect(adapter.postToChannel(CHANNEL, digest)).rejects.toMatchObject({ status: 500 });
    expect(fake.messages.get(CHANNEL)).toHaveLength(1);
  });

  it('throws Discord errors (missing access) instead of pretending to have posted', async () => {
    fake.respondOnce('POST', /\/messages$/, { status: 403, body: { message: 'Missing Access', code: 50001 } });
    await expect(adapter.postToChannel(CHANNEL, digest)).rejects.toMatchObject({ status: 403, code: 50001 });
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

  it('surfaces a refused history read (no Read Message History) as an error, not as "not posted"', async () => {
    fake.respondOnce('GET', /\/messages$/, { status: 403, body: { message: 'Missing Access', code: 50001 } });
    await expect(adapter.findPosted(CHANNEL, 'k')).rejects.toMatchObject({ status: 403 });
  });
});
