import { asyncFromSync } from '../../src/store/async-store.js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFeedHealth } from '../../src/feeds/feed-health.js';
import { Poller } from '../../src/feeds/poller.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { rss, startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { feedsConfig, noticeBox } from './poller-fixtures.js';

/** The real fetch → parse → store pipeline against a real HTTP server on loopback addresses. */

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function server(routes: Parameters<typeof startFeedServer>[0] = {}): Promise<LocalFeedServer> {
  const s = await startFeedServer(routes);
  open.push(s);
  return s;
}
function memoryStore(): Store {
  const s = openSyncStore(':memory:');
  open.push(s);
  return s;
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
const items = [
  { guid: 'g1', title: 'Japan and US sign rare earths framework', link: 'https://news.example/a', pubDate: daysAgo(0) },
  { guid: 'g2', title: 'レアアース供給で日米合意', link: 'https://news.example/b', pubDate: daysAgo(1) },
  { guid: 'g3', title: 'Old analysis of magnet supply', link: 'https://news.example/c', pubDate: daysAgo(10) },
];

describe('poller over HTTP', () => {
  it('stores a feed, then gets 304 for the same ETag and stores nothing new', async () => {
    const s = await server({ routes: { '/feed': { body: rss(items), etag: '"v1"' } } });
    const store = memoryStore();
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'metals', url: s.url('/feed') }]),
    });
    const [first] = await poller.pollOnce();
    expect(first).toMatchObject({ kind: 'ok', status: 200, inserted: 3, backlog: 1 });
    expect(store.stories.get('https://news.example/c')!.backlog).toBe(true);
    const [second] = await poller.pollOnce();
    expect(second).toMatchObject({ kind: 'not-modified', status: 304, inserted: 0, updated: 0 });
    expect(s.conditional).toBe(1);
    expect(store.stories.count()).toBe(3);
    expect(store.feeds.get('metals')).toMatchObject({ status: 'ok', etag: '"v1"', lastStatus: 304, storyCount: 3 });
    expect(store.stories.search('レアアース', 5)).toHaveLength(1);
  });

  it('updates a changed title, ignores re-dating, and treats unseen old items as new (not backlog) after the first poll', async () => {
    const s = await server({ routes: { '/feed': { body: rss(items) } } });
    const store = memoryStore();
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'metals', url: s.url('/feed') }]),
    });
    await poller.pollOnce();
    s.routes.set('/feed', {
      body: rss([
        { ...items[0]!, title: 'Japan and US sign $8.5bn rare earths framework' },
        { ...items[1]!, pubDate: daysAgo(0) }, // re-dated by the publisher
        items[2]!,
        { guid: 'g4', title: 'Late-found story from last month', link: 'https://news.example/d', pubDate: daysAgo(30) },
      ]),
    });
    const [second] = await poller.pollOnce();
    expect(second).toMatchObject({ kind: 'ok', inserted: 1, updated: 1, backlog: 0 });
    expect(store.stories.get('https://news.example/a')!.title).toBe('Japan and US sign $8.5bn rare earths framework');
    expect(store.stories.get('https://news.example/d')!.backlog).toBe(false);
  });

  it('one story for one canonical URL, whichever feeds carry it', async () => {
    const s = await server({
      routes: {
        '/a': { body: rss([{ guid: 'a-1', title: 'Deal signed', link: 'https://news.example/deal?utm_source=rss' }]) },
        '/b': { body: rss([{ guid: 'b-9', title: 'Deal signed - Outlet', link: 'https://news.example/deal' }]) },
      },
    });
    const store = memoryStore();
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () =>
        feedsConfig(
          [
            { id: 'a', url: s.url('/a') },
            { id: 'b', url: s.url('/b') },
          ],
          { concurrency: 1 },
        ),
    });
    await poller.pollOnce();
    expect(store.stories.count()).toBe(1);
    expect(store.stories.recent({ limit: 5 })[0]!.feedIds.sort()).toEqual(['a', 'b']);
  });

  it('honours Retry-After on 503', async () => {
    const s = await server({ routes: { '/busy': { status: 503, headers: { 'retry-after': '600' } } } });
    const store = memoryStore();
    const poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([{ id: 'busy', url: s.url('/busy'), poll_interval: '1m' }]),
    });
    const before = Date.now();
    const [o] = await poller.pollOnce();
    expect(o).toMatchObject({ kind: 'error', status: 503 });
    expect(Date.parse(store.feeds.get('busy')!.nextDueAt!) - before).toBeGreaterThanOrEqual(600_000);
    expect(await poller.tick()).toEqual([]); // not due
  });

  it('410 makes the feed dead with one notice; a later recovery of another feed is announced once', async () => {
    let flaky = 0;
    const s = await server({
      routes: {
        '/gone': { status: 410 },
        '/flaky': () => (++flaky <= 3 ? { status: 500 } : { body: rss(items.slice(0, 1)) }),
      },
    });
    const store = memoryStore();
    const box = noticeBox();
    const poller = new Poller({
      store: asyncFromSync(store),
      notify: box.notify,
      getFeeds: () =>
        feedsConfig([
          { id: 'gone', url: s.url('/gone') },
          { id: 'flaky', url: s.url('/flaky') },
        ]),
    });
    for (let i = 0; i < 5; i++) await poller.pollOnce();
    expect(s.hits.get('/gone')).toBe(1);
    expect(box.titles().sort()).toEqual([
      'Feed "flaky" keeps failing',
      'Feed "flaky" works again',
      'Feed "gone" is dead and no longer polled',
    ]);
    expect(store.feeds.get('gone')!.lastError).toMatch(/removed for good.*URL changes in the config/);
  });

  it('records a permanent redirect and shows it in feed health', async () => {
    const s = await server({
      routes: { '/old': { status: 301, headers: { location: '/new' } }, '/new': { body: rss(items.slice(0, 1)) } },
    });
    const store = memoryStore();
    const feeds = feedsConfig([{ id: 'moved', url: s.url('/old') }]);
    const [o] = await new Poller({ store: asyncFromSync(store), getFeeds: () => feeds }).pollOnce();
    expect(o).toMatchObject({ kind: 'ok', movedTo: s.url('/new') });
    expect(buildFeedHealth(feeds.list, store.feeds.list())[0]).toMatchObject({
      state: 'ok',
      movedTo: s.url('/new'),
      stories: 1,
    });
  });

  it('never sends two requests at once to one host, and keeps within the concurrency bound', async () => {
    const addresses = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
    const routes: Record<string, { body: string; delayMs: number }> = {};
    for (let i = 0; i < 5; i++) routes[`/f${i}`] = { body: rss(items.slice(0, 1)), delayMs: 40 };
    const s = await server({ addresses, routes });
    const store = memoryStore();
    const list = addresses.flatMap((_, a) =>
      Object.keys(routes).map((p, i) => ({ id: `h${a}-f${i}`, url: s.url(p, a) })),
    );
    const poller = new Poller({ store: asyncFromSync(store), getFeeds: () => feedsConfig(list, { concurrency: 3 }) });
    const outcomes = await poller.pollOnce();
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(20);
    expect([...s.maxConcurrentPerHost.values()]).toEqual([1, 1, 1, 1]);
    expect(s.maxConcurrent).toBe(3);
  });
});
