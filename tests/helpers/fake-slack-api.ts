import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptWebSocket, type FakeWebSocket } from './fake-websocket.js';

/**
 * A local server that speaks enough of Slack's Web API for the adapter
 * (auth.test, chat.postMessage, conversations.history) and stands in for
 * slash-command response_urls, and plays Socket Mode (apps.connections.open, then a
 * WebSocket at /link). It keeps what a real workspace would: posted
 * messages with their metadata, so findPosted is tested against history, not a mock.
 * A message's ts is the time it arrived (seconds.microseconds, increasing), and
 * conversations.history pages as Slack does: newest first, `oldest`/`latest`
 * exclusive, `limit`, and an opaque `next_cursor` while `has_more`.
 * Listens on 127.0.0.1:0 only.
 */

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; for chat.postMessage the default is the normal success answer. */
  body?: unknown;
  /** Keep the message in history even though the reply is an error (Slack acted, the answer was lost). */
  postAnyway?: boolean;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
  status: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown;
  /** Who wrote it: the bot (bot_id BBOT) unless a user id is given. */
  user?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeSlack {
  /** Give as SLACK_API_URL / slackApiUrl. */
  apiUrl: string;
  /** A response_url on this server; answers posted to it are in `responses`. */
  responseUrl(id: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Messages that reached the channel, as a workspace would show them. */
  messages: StoredMessage[];
  responses: { id: string; body: Record<string, unknown>; at: number }[];
  /** Socket Mode connections opened by clients, in order. */
  sockets: FakeWebSocket[];
  /** Adds a message by a person, as if typed in the channel now. */
  addMessage(channel: string, text: string, user?: string): StoredMessage;
  /** Queues replies for the next calls to a method (or `respond:<id>` for a response_url). */
  queue(method: string, ...replies: FakeReply[]): void;
  /** Resolves when `check` holds, polling; rejects after timeoutMs. */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const messages: StoredMessage[] = [];
  const responses: FakeSlack['responses'] = [];
  const queues = new Map<string, FakeReply[]>();
  const sockets: FakeWebSocket[] = [];
  let base = '';
  let lastMicros = 0;
  /** The ts of a message arriving now, strictly increasing. */
  const newTs = () => {
    lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const respondMatch = /^\/respond\/([^/]+)$/.exec(url.pathname);
    const method = respondMatch ? `respond:${respondMatch[1]}` : url.pathname.replace(/^\/api\//, '');
    const body = parseBody(raw, req.headers['content-type']);
    const queued = queues.get(method)?.shift();
    const status = queued?.status ?? 200;
    // Recorded on arrival, so a request the client gave up on still counts.
    calls.push({ method, body, headers: req.headers, at: Date.now(), status });
    if (queued?.delayMs) await new Promise((r) => setTimeout(r, queued.delayMs));

    let answer: unknown = queued?.body;
    if (respondMatch) {
      if (status === 200) responses.push({ id: respondMatch[1]!, body, at: Date.now() });
      answer ??= status === 200 ? 'ok' : 'error';
    } else if (method === 'auth.test') {
      answer ??= {
        ok: true,
        url: 'https://example.slack.com/',
        team: 'Example',
        user: 'dealbot',
        team_id: 'T0001',
        user_id: 'UBOT',
        bot_id: 'BBOT',
      };
    } else if (method === 'chat.postMessage') {
      const ts = newTs();
      if ((status === 200 && answer === undefined) || queued?.postAnyway) {
        messages.push({
          channel: String(body.channel),
          ts,
          text: String(body.text ?? ''),
          blocks: body.blocks,
          ...(body.metadata ? { metadata: body.metadata as StoredMessage['metadata'] } : {}),
        });
      }
      answer ??= { ok: true, channel: body.channel, ts, message: { text: body.text } };
    } else if (method === 'apps.connections.open') {
      answer ??= { ok: true, url: `${base.replace(/^http/, 'ws')}/link` };
    } else if (method === 'conversations.history') {
      const withMeta = body.include_all_metadata === 'true' || body.include_all_metadata === true;
      const limit = Number(body.limit ?? 100);
      const oldest = body.oldest === undefined ? undefined : Number(body.oldest);
      const latest = body.latest === undefined ? undefined : Number(body.latest);
      const offset = typeof body.cursor === 'string' && body.cursor ? Number(body.cursor.replace(/^offset:/, '')) : 0;
      const window = messages
        .filter((m) => m.channel === body.channel)
        .filter(
          (m) => (oldest === undefined || Number(m.ts) > oldest) && (latest === undefined || Number(m.ts) < latest),
        )
        .reverse();
      const page = window.slice(offset, offset + limit);
      const hasMore = offset + limit < window.length;
      answer ??= {
        ok: true,
        messages: page.map((m) => ({
          type: 'message',
          ...(m.user ? { user: m.user } : { bot_id: 'BBOT' }),
          ts: m.ts,
          text: m.text,
          ...(withMeta && m.metadata ? { metadata: m.metadata } : {}),
        })),
        has_more: hasMore,
        ...(hasMore ? { response_metadata: { next_cursor: `offset:${offset + limit}` } } : {}),
      };
    } else {
      answer ??= { ok: false, error: 'unknown_method' };
    }
    res.writeHead(status, {
      'content-type': typeof answer === 'string' ? 'text/plain' : 'application/json',
      ...queued?.headers,
    });
    res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
  };
  // node:http ignores a listener's promise: a failure still surfaces as an unhandled rejection, as before.
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('upgrade', (req, socket) => {
    const ws = acceptWebSocket(req, socket);
    sockets.push(ws);
    // Slack greets every new connection; the client counts as connected from here.
    ws.sendJson({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'fake-slack' },
      connection_info: { app_id: 'A0FAKE' },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages,
    responses,
    sockets,
    addMessage(channel, text, user = 'U0PERSON') {
      const message: StoredMessage = { channel, ts: newTs(), text, blocks: undefined, user };
      messages.push(message);
      return message;
    },
    queue(method, ...replies) {
      queues.set(method, [...(queues.get(method) ?? []), ...replies]);
    },
    async waitFor(check, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value) return value;
        if (Date.now() > end) throw new Error('fake Slack: timed out waiting');
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The WebClient sends form fields, with objects (blocks, metadata) as JSON strings; response_urls get JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}
