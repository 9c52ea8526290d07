import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real node:http server on 127.0.0.1 for the fetch fault tests. Each route is a
 * plain request handler, so a test can misbehave exactly as a bad server does:
 * stall mid-body, lie about encodings, redirect in circles. Every request is
 * recorded (path and headers) for assertions.
 */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface FaultServer {
  base: string;
  url(path: string): string;
  route(path: string, handler: Handler): void;
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const routes = new Map<string, Handler>();
  const requests: FaultServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path) => base + path,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a body with the given headers and status. */
export function send(status: number, headers: Record<string, string>, body?: string | Uint8Array): Handler {
  return (_req, res) => {
    res.writeHead(status, headers).end(body);
  };
}

export function redirect(status: number, location: string): Handler {
  return send(status, { location });
}

export const RSS_TYPE = { 'content-type': 'application/rss+xml; charset=utf-8' };

/** A small RSS 2.0 feed with one item per title. */
export function rssFeed(titles: string[], extra = ''): string {
  const items = titles
    .map(
      (t, i) =>
        `<item><title>${t}</title><link>https://news.example.com/${i + 1}</link><guid>https://news.example.com/${i + 1}</guid></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${extra}<rss version="2.0"><channel><title>Fault feed</title><link>https://news.example.com/</link>${items}</channel></rss>`;
}
