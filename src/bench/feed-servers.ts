import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configSchema, type Config } from '../config/schema.js';
import { freshFeedState } from '../feeds/poll-feed.js';
import type { AsyncStore } from '../store/async-store.js';
import { syntheticNews } from './synthetic-news.js';

/**
 * The feeds of the poll benches (poll-bench.ts on SQLite, pg-poll-bench.ts on
 * PostgreSQL): one HTTP server per loopback address 127.0.0.2, 127.0.0.3, …
 * (Linux routes all of 127/8 to lo), so the per-host limit behaves as it would
 * with many outlets; each feed's body is built once. Half the feeds were seen
 * before (seedSeenFeeds) and answer 304 to the ETag they hold.
 */

export interface FeedServerOptions {
  hosts: number;
  feedsPerHost: number;
  itemsPerFeed: number;
  /** Server think time per request, ms (a real outlet takes 50–500 ms). */
  latencyMs: number;
}

export interface FeedServers {
  /** The feeds config, every feed on the servers (private network allowed: they are on loopback). */
  feeds: Config['feeds'];
  /** Requests answered so far, by User-Agent (so replicas that each send their own can be told apart). */
  requestsBy: Map<string, number>;
  /** Requests per feed path (a feed fetched twice shows as 2). */
  requestsPer: Map<string, number>;
  close(): Promise<void>;
}

export async function startFeedServers(options: FeedServerOptions, concurrency: number): Promise<FeedServers> {
  const { hosts, feedsPerHost, itemsPerFeed, latencyMs } = options;
  const bodies = new Map<string, string>();
  const requestsBy = new Map<string, number>();
  const requestsPer = new Map<string, number>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const agent = req.headers['user-agent'] ?? '';
    requestsBy.set(agent, (requestsBy.get(agent) ?? 0) + 1);
    requestsPer.set(pathname, (requestsPer.get(pathname) ?? 0) + 1);
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
  try {
    for (let h = 0; h < hosts; h++) {
      const address = `127.0.${Math.floor((h + 2) / 256)}.${(h + 2) % 256}`;
      const server = http.createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, address, resolve);
      });
      urls.push(`http://${address}:${(server.address() as AddressInfo).port}`);
    }
  } catch (err) {
    await closeAll(servers);
    throw err;
  }
  const list = urls.flatMap((base, h) =>
    Array.from({ length: feedsPerHost }, (_, f) => ({ id: `h${h}-f${f}`, url: `${base}/feed/${h}/${f}` })),
  );
  const feeds = configSchema.parse({ feeds: { defaults: { concurrency, allow_private_network: true }, list } }).feeds;
  return { feeds, requestsBy, requestsPer, close: () => closeAll(servers) };
}

/** Half the feeds (every other one) were polled before: they hold the server's ETag and get 304. */
export async function seedSeenFeeds(store: AsyncStore, feeds: Config['feeds']): Promise<void> {
  for (const [i, feed] of feeds.list.entries()) {
    if (i % 2) continue;
    await store.feeds.save({
      ...freshFeedState(feed, null),
      etag: `"${new URL(feed.url).pathname}"`,
      lastStatus: 200,
      lastSuccessAt: new Date().toISOString(),
      status: 'ok',
    });
  }
}

function closeAll(servers: http.Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  ).then(() => undefined);
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
