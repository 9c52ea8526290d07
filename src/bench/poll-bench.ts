import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadBotFiles } from '../bot/load-bot-files.js';
import { MatchService } from '../bot/match-service.js';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.js';
import { configSchema } from '../config/schema.js';
import { freshFeedState } from '../feeds/poll-feed.js';
import { Poller } from '../feeds/poller.js';
import { openStore } from '../store/open-store.js';
import { syntheticNews } from './synthetic-news.js';

/**
 * One poll cycle over many feeds, as the running bot does it: real HTTP on
 * loopback, the real fetch → parse → store pipeline, a SQLite file in WAL mode,
 * and matching on (every new story decided, relevant ones filed into events by
 * the shipped briefs and config, as the bot's match step does).
 * Feeds are spread over many loopback addresses (Linux routes all of 127/8 to
 * lo), one server bound per address, so the per-host limit behaves as it would
 * with many outlets. Half the feeds were seen before and answer 304.
 * Targets: 1,000 feeds in < 30 s wall time, < 200 MB peak RSS (the whole
 * process, servers included, so the poller's own share is smaller).
 */

export interface PollBenchOptions {
  hosts?: number;
  feedsPerHost?: number;
  itemsPerFeed?: number;
  concurrency?: number;
  /** Server think time per request, ms (a real outlet takes 50–500 ms). */
  latencyMs?: number;
}

export async function benchPoll(options: PollBenchOptions = {}): Promise<string> {
  const { hosts = 50, feedsPerHost = 20, itemsPerFeed = 20, concurrency = 16, latencyMs = 20 } = options;
  const total = hosts * feedsPerHost;
  const servers = await startServers(hosts, itemsPerFeed, latencyMs);
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-poll-bench-'));
  const store = await openStore(path.join(dir, 'bench.db'));
  const files = await loadBotFiles(DEFAULT_CONFIG_FILE, {});
  const matching = new MatchService({ store, getBriefs: () => files.briefs, getConfig: () => files.loaded.config });
  try {
    const list = servers.flatMap((base, h) =>
      Array.from({ length: feedsPerHost }, (_, f) => ({ id: `h${h}-f${f}`, url: `${base}/feed/${h}/${f}` })),
    );
    const feeds = configSchema.parse({ feeds: { defaults: { concurrency, allow_private_network: true }, list } }).feeds;
    // Half the feeds were polled before: they hold the server's ETag and get 304.
    for (const [i, feed] of list.entries()) {
      if (i % 2) continue;
      await store.feeds.save({
        ...freshFeedState(feed, null),
        etag: etagOf(feed.url),
        lastStatus: 200,
        lastSuccessAt: new Date().toISOString(),
        status: 'ok',
      });
    }

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const start = performance.now();
    const poller = new Poller({
      store,
      getFeeds: () => feeds,
      filter: matching.filter,
      onNewStories: matching.onNewStories,
    });
    const outcomes = await poller.pollOnce();
    const wall = performance.now() - start;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const count = (k: string) => outcomes.filter((o) => o.kind === k).length;
    const inserted = outcomes.reduce((n, o) => n + o.inserted, 0);
    const timedOut = outcomes.filter((o) => o.kind === 'error' && /time/i.test(o.error ?? '')).length;
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    const verdict = wall < 30_000 && peakRss < 200 * 1024 * 1024 && timedOut === 0 ? 'within targets' : 'OVER TARGET';
    return (
      `poll: ${total} feeds on ${hosts} hosts, concurrency ${concurrency}, ${latencyMs} ms server latency: ` +
      `${(wall / 1000).toFixed(1)} s wall (target < 30 s), peak RSS ${mb(peakRss)} (target < 200 MB; process max ${mb(process.resourceUsage().maxRSS * 1024)}); ` +
      `${count('ok')} × 200, ${count('not-modified')} × 304, ${count('error')} errors (${timedOut} timed out), ${inserted} stories stored and matched — ${verdict}`
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(servers.close());
  }
}

const etagOf = (url: string) => `"${new URL(url).pathname}"`;

/** One HTTP server per loopback address 127.0.0.2, 127.0.0.3, …; each feed's body is built once. */
async function startServers(
  hosts: number,
  itemsPerFeed: number,
  latencyMs: number,
): Promise<string[] & { close(): Promise<void>[] }> {
  const bodies = new Map<string, string>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const etag = `"${pathname}"`;
    setTimeout(() => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      let body = bodies.get(pathname);
      if (!body) bodies.set(pathname, (body = feedBody(pathname, itemsPerFeed)));
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
    }, latencyMs);
  };
  const servers: http.Server[] = [];
  const urls: string[] = [];
  for (let h = 0; h < hosts; h++) {
    const address = `127.0.${Math.floor((h + 2) / 256)}.${(h + 2) % 256}`;
    const server = http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, address, resolve);
    });
    servers.push(server);
    urls.push(`http://${address}:${(server.address() as AddressInfo).port}`);
  }
  return Object.assign(urls, {
    close: () =>
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
  });
}

/** A feed of varied headlines (synthetic-news.ts: many happenings, several wordings each, some off topic). */
function feedBody(pathname: string, items: number): string {
  const day = 86_400_000;
  const seed = [...pathname].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const news = syntheticNews(items, seed);
  const entries = news
    .map((story, i) => {
      const link = `https://news.example${pathname}/story-${i}`;
      const title = story.title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      return (
        `<item><title>${title}</title><link>${link}</link>` +
        `<guid>${link}</guid><pubDate>${new Date(Date.now() - (i * day) / 24).toUTCString()}</pubDate>` +
        `<description>${story.summary}</description></item>`
      );
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench ${pathname}</title><link>https://news.example/</link><description>bench</description>${entries}</channel></rss>`;
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchPoll());
}
