import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on loopback addresses serving feeds, for poller tests and the
 * poll benchmark. It answers conditional GETs with 304 when the route has an ETag,
 * and counts requests, and concurrent requests per Host header, so tests can check
 * the poller's politeness.
 */

export interface RouteResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** With an etag, a matching If-None-Match gets 304 and no body. */
  etag?: string;
  /** Milliseconds to wait before answering (to overlap requests). */
  delayMs?: number;
}

export type Route = RouteResponse | ((req: http.IncomingMessage) => RouteResponse);

export interface LocalFeedServer {
  /** Base URL per bound address, e.g. http://127.0.0.2:41234 */
  urls: string[];
  url(path: string, addressIndex?: number): string;
  routes: Map<string, Route>;
  /** Requests per path. */
  hits: Map<string, number>;
  /** Highest number of requests in flight at once, per Host header and overall. */
  maxConcurrentPerHost: Map<string, number>;
  maxConcurrent: number;
  /** Requests that carried If-None-Match. */
  conditional: number;
  close(): Promise<void>;
}

export async function startFeedServer(
  options: { addresses?: string[]; routes?: Record<string, Route> } = {},
): Promise<LocalFeedServer> {
  const addresses = options.addresses ?? ['127.0.0.1'];
  const routes = new Map(Object.entries(options.routes ?? {}));
  const hits = new Map<string, number>();
  const current = new Map<string, number>();
  const maxConcurrentPerHost = new Map<string, number>();
  let inFlight = 0;
  const state = { maxConcurrent: 0, conditional: 0 };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const host = req.headers.host ?? '?';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    current.set(host, (current.get(host) ?? 0) + 1);
    maxConcurrentPerHost.set(host, Math.max(maxConcurrentPerHost.get(host) ?? 0, current.get(host)!));
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    if (req.headers['if-none-match']) state.conditional++;
    const route = routes.get(path);
    const r: RouteResponse =
      route === undefined ? { status: 404, body: 'not found' } : typeof route === 'function' ? route(req) : route;
    const finish = () => {
      current.set(host, current.get(host)! - 1);
      inFlight--;
      const headers: Record<string, string> = { 'content-type': 'application/rss+xml; charset=utf-8', ...r.headers };
      if (r.etag) headers.etag = r.etag;
      if (r.etag && req.headers['if-none-match'] === r.etag) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(r.status ?? 200, headers).end(r.body ?? '');
    };
    if (r.delayMs) setTimeout(finish, r.delayMs);
    else finish();
  };

  const servers: http.Server[] = [];
  const urls: string[] = [];
  for (const address of addresses) {
    const server = http.createServer(handler);
    // Polls reuse connections; keep the default keep-alive but never hold tests open.
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, address, () => resolve());
    });
    servers.push(server);
    urls.push(`http://${address}:${(server.address() as AddressInfo).port}`);
  }

  return {
    urls,
    url: (path, i = 0) => `${urls[i]}${path}`,
    routes,
    hits,
    maxConcurrentPerHost,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    get conditional() {
      return state.conditional;
    },
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}

export interface RssItem {
  guid: string;
  title: string;
  link?: string;
  pubDate?: string | Date;
  description?: string;
}

/** A small RSS 2.0 document. */
export function rss(items: RssItem[], title = 'Test feed'): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map((i) => {
      const date = i.pubDate instanceof Date ? i.pubDate.toUTCString() : i.pubDate;
      return `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title>${i.link ? `<link>${esc(i.link)}</link>` : ''}${date ? `<pubDate>${date}</pubDate>` : ''}${i.description ? `<description>${esc(i.description)}</description>` : ''}</item>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.com/</link><description>t</description>${body}</channel></rss>`;
}
