import { afterEach, describe, expect, it } from 'vitest';
import { ChatPermissionError } from '../../../src/messages/chat-adapter.js';
import type { Message } from '../../../src/messages/message.js';
import { POST_EVENT_TYPE } from '../../../src/adapters/slack/slack-adapter.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-test-adapter.js';

const digest: Message = {
  title: 'Morning digest <!channel>',
  sections: [
    {
      items: [
        { text: 'Tokyo & Washington sign <@U123> deal', url: 'https://news.example/a', meta: 'Reuters · 2h ago' },
      ],
    },
  ],
};

describe('Slack channel posts through the WebClient', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('posts blocks with an escaped fallback, returns the ts, and tags the post with its idempotency key', async () => {
    h = await startSlackHarness();
    const receipt = await h.adapter.postToChannel('C0DIGEST', digest, { idempotencyKey: 'digest:C0DIGEST:2025-10-29' });
    const [call] = h.fake.callsTo('chat.postMessage');
    expect(receipt).toEqual({ channelId: 'C0DIGEST', messageId: h.fake.messages[0]!.ts });
    expect(call!.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(call!.body).toMatchObject({
      channel: 'C0DIGEST',
      text: expect.stringContaining('Morning digest &lt;!channel&gt;'),
      unfurl_links: 'false',
      metadata: { event_type: POST_EVENT_TYPE, event_payload: { idempotency_key: 'digest:C0DIGEST:2025-10-29' } },
    });
    const blocks = JSON.stringify(call!.body.blocks);
    expect(blocks).toContain('Tokyo &amp; Washington sign &lt;@U123&gt; deal');
    expect(blocks).not.toMatch(/<[!@]/);
  });

  it('sends no metadata without an idempotency key', async () => {
    h = await startSlackHarness();
    await h.adapter.postToChannel('C0DIGEST', digest);
    expect(h.fake.callsTo('chat.postMessage')[0]!.body.metadata).toBeUndefined();
  });

  it('ok, then 429 with Retry-After: 1, then 500: each post arrives once, the rate-limited one after waiting, the failed one is thrown', async () => {
    h = await startSlackHarness();
    h.fake.queue('chat.postMessage', {}, { status: 429, headers: { 'retry-after': '1' } }, {}, { status: 500 });

    const first = await h.adapter.postToChannel('C1', digest, { idempotencyKey: 'k1' });
    expect(first.messageId).toBe(h.fake.messages[0]!.ts);

    const start = Date.now();
    const second = await h.adapter.postToChannel('C1', digest, { idempotencyKey: 'k2' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(1000);
    expect(second.messageId).toBe(h.fake.messages[1]!.ts);

    await expect(h.adapter.postToChannel('C1', digest, { idempotencyKey: 'k3' })).rejects.toThrow(
      /Slack post to C1 failed: HTTP 500/,
    );
    // A 500 is not retried by the client: Slack may have acted on it.
    expect(h.fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 429, 200, 500]);
    expect(h.fake.messages.map((m) => m.metadata?.event_payload.idempotency_key)).toEqual(['k1', 'k2']);
  });

  it('lets the caller recover a post whose answer was lost: findPosted finds it, so a retry does not double it', async () => {
    h = await startSlackHarness();
    // Slack posted the message, but the reply was a 500.
    h.fake.queue('chat.postMessage', { status: 500, postAnyway: true });
    await expect(h.adapter.postToChannel('C1', digest, { idempotencyKey: 'digest:C1:2025-10-29' })).rejects.toThrow();

    const found = await h.adapter.findPosted('C1', 'digest:C1:2025-10-29');
    expect(found).toEqual({ channelId: 'C1', messageId: h.fake.messages[0]!.ts });
    expect(h.fake.callsTo('conversations.history')[0]!.body).toMatchObject({
      channel: 'C1',
      include_all_metadata: 'true',
    });
    expect(await h.adapter.findPosted('C1', 'digest:C1:2025-10-30')).toBeNull();
    expect(await h.adapter.findPosted('C2', 'digest:C1:2025-10-29')).toBeNull();
  });

  it('throws when the request times out, without retrying it', async () => {
    h = await startSlackHarness({ tuning: { timeoutMs: 200 } });
    h.fake.queue('chat.postMessage', { delayMs: 600 });
    await expect(h.adapter.postToChannel('C1', digest)).rejects.toThrow(/Slack post to C1 failed: request failed/);
    await new Promise((r) => setTimeout(r, 700));
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it("surfaces Slack's own refusal (not_in_channel) as a ChatPermissionError saying how to invite the bot", async () => {
    h = await startSlackHarness();
    h.fake.queue('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    const err = await h.adapter.postToChannel('C1', digest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatPermissionError);
    expect(err).toMatchObject({ platform: 'slack', permission: 'channel membership' });
    expect((err as Error).message).toMatch(/not_in_channel.*\/invite @dealbot/);
  });

  it('names the scope a post lacks (missing_scope, needed chat:write) and how to grant it', async () => {
    h = await startSlackHarness();
    h.fake.queue('chat.postMessage', {
      body: { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'commands' },
    });
    await expect(h.adapter.postToChannel('C1', digest)).rejects.toMatchObject({
      name: 'ChatPermissionError',
      permission: 'chat:write',
      message: expect.stringMatching(/OAuth & Permissions.*reinstall/),
    });
  });

  it('finds its copy behind 500 later messages by reading back to the first attempt, so it is not posted twice', async () => {
    h = await startSlackHarness();
    const since = new Date();
    const posted = await h.adapter.postToChannel('C1', digest, { idempotencyKey: 'digest:C1:2025-10-29' });
    for (let i = 0; i < 500; i++) h.fake.addMessage('C1', `chatter ${i}`);
    // The newest page alone (the old behaviour) cannot see it.
    expect(await h.adapter.findPosted('C1', 'digest:C1:2025-10-29')).toBeNull();

    const before = h.fake.callsTo('conversations.history').length;
    expect(await h.adapter.findPosted('C1', 'digest:C1:2025-10-29', { since })).toEqual(posted);
    const reads = h.fake.callsTo('conversations.history').slice(before);
    expect(reads.map((r) => r.body.limit)).toEqual(['200', '200', '200']);
    expect(reads[0]!.body.cursor).toBeUndefined();
    expect(reads[1]!.body.cursor).toBeTruthy();
    // From a minute before the first attempt (clock margin), on every page.
    for (const r of reads) expect(Number(r.body.oldest)).toBeCloseTo(since.getTime() / 1000 - 60, 3);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('stops at the look-back bound with a warning instead of reading a flooded channel for ever', async () => {
    h = await startSlackHarness({ maxLookbackMessages: 400 });
    const since = new Date();
    await h.adapter.postToChannel('C1', digest, { idempotencyKey: 'k-far' });
    for (let i = 0; i < 700; i++) h.fake.addMessage('C1', `flood ${i}`);
    expect(await h.adapter.findPosted('C1', 'k-far', { since })).toBeNull();
    expect(h.fake.callsTo('conversations.history')).toHaveLength(2);
    expect(h.logs).toContainEqual(expect.objectContaining({ level: 40, channel: 'C1', read: 400 }));
  });

  it('throws a refused history read as a ChatPermissionError naming the scope, not as "not posted"', async () => {
    h = await startSlackHarness();
    h.fake.queue('conversations.history', {
      body: { ok: false, error: 'missing_scope', needed: 'groups:history', provided: 'chat:write,commands' },
    });
    const err = await h.adapter.findPosted('G1', 'k', { since: new Date() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatPermissionError);
    expect(err).toMatchObject({ platform: 'slack', permission: 'groups:history' });
    expect((err as Error).message).toMatch(/read the history of G1 \(missing_scope\).*reinstall/);

    h.fake.queue('conversations.history', { body: { ok: false, error: 'not_in_channel' } });
    await expect(h.adapter.findPosted('C1', 'k')).rejects.toMatchObject({ permission: 'channel membership' });
  });

  it('retries a connection that never opened, then gives up with the error', async () => {
    h = await startSlackHarness({ start: false, tuning: { retries: 2, minRetryMs: 10 } });
    await h.fake.close();
    await expect(h.adapter.postToChannel('C1', digest)).rejects.toThrow(/ECONNREFUSED|fetch failed/);
  });
});
