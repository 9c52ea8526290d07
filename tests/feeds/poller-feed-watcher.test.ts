import { asyncFromSync } from '../../src/store/async-store.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatAdapter, PostReceipt } from '../../src/messages/chat-adapter.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createFeedWatcher } from '../../src/bot/feed-watcher.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Message } from '../../src/messages/message.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { startFeedServer } from '../helpers/local-feed-server.js';

/** An adapter that really records what it was asked to post. */
function recordingAdapter(platform: string): ChatAdapter & { posts: { channel: string; message: Message }[] } {
  const posts: { channel: string; message: Message }[] = [];
  return {
    platform,
    posts,
    start: async () => undefined,
    stop: async () => undefined,
    async postToChannel(channelId, message): Promise<PostReceipt> {
      posts.push({ channel: channelId, message });
      return { messageId: String(posts.length), channelId };
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('feed watcher (poller as the bot runs it)', () => {
  it('posts the dead-feed notice to admins.notices, waiting until a notices channel is configured', async () => {
    const server = await startFeedServer({ routes: { '/gone': { status: 410 } } });
    cleanups.push(() => server.close());
    const store = openSyncStore(':memory:');
    cleanups.push(() => store.close());
    const feeds = { defaults: { allow_private_network: true }, list: [{ id: 'gone', url: server.url('/gone') }] };
    let config: Config = configSchema.parse({ feeds });
    const slack = recordingAdapter('slack');
    const watcher = createFeedWatcher({
      store: asyncFromSync(store),
      getConfig: () => config,
      adapters: [slack],
      logger: silentLogger(),
    });
    cleanups.push(() => watcher.stop());
    expect(watcher.name).toBe('feed-poller');

    await watcher.pollOnce();
    expect(store.feeds.get('gone')).toMatchObject({ status: 'dead', notified: null });
    expect(slack.posts).toHaveLength(0);

    config = configSchema.parse({ feeds, admins: { notices: { platform: 'slack', channel: 'C0NOTICES' } } });
    await watcher.tick();
    await vi.waitFor(() => expect(store.feeds.get('gone')!.notified).toBe('dead'));
    expect(slack.posts.map((p) => [p.channel, p.message.title])).toEqual([
      ['C0NOTICES', 'Feed "gone" is dead and no longer polled'],
    ]);
    await watcher.tick();
    await watcher.stop();
    expect(slack.posts).toHaveLength(1);
    expect(server.hits.get('/gone')).toBe(1);
  });

  it('tells the terminal when the bot runs there and the config names no notices channel', async () => {
    const server = await startFeedServer({ routes: { '/gone': { status: 410 } } });
    cleanups.push(() => server.close());
    const store = openSyncStore(':memory:');
    cleanups.push(() => store.close());
    const config = configSchema.parse({
      feeds: { defaults: { allow_private_network: true }, list: [{ id: 'gone', url: server.url('/gone') }] },
    });
    const terminal = recordingAdapter('terminal');
    const watcher = createFeedWatcher({
      store: asyncFromSync(store),
      getConfig: () => config,
      adapters: [terminal],
      logger: silentLogger(),
      fallbackNotices: { platform: 'terminal', channel: 'notices' },
    });
    cleanups.push(() => watcher.stop());
    await watcher.pollOnce();
    await vi.waitFor(() => expect(store.feeds.get('gone')!.notified).toBe('dead'));
    expect(terminal.posts.map((p) => p.channel)).toEqual(['notices']);
  });
});
