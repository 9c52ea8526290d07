import {
  PermissionFlagsBits,
  type APIEmbed,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIWebhookWithTokenJSONBody,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachFakeGateway, type FakeGateway } from './fake-discord-gateway.js';

/**
 * A local stand-in for Discord's REST API on 127.0.0.1, enough for discord.js's
 * REST client: channel messages (with nonce/enforce_nonce as Discord documents),
 * interaction callbacks and webhook edits, command registration, and a gateway
 * (see fake-discord-gateway.ts) for login. Every request is recorded; scripted
 * responses (429, 500, 403) are served before the defaults.
 *
 * Message ids are snowflakes of the time they were created, and reading a channel
 * honours `after`/`before` and `limit` as Discord does (newest first). The bot's
 * permissions per channel come from a guild with an @everyone role and channel
 * overwrites (`deny`), and are enforced as Discord does: no View Channel → 403
 * 50001; no Send Messages or Embed Links → 403 50013 on a post; no Read Message
 * History → an empty list.
 */

export type PermissionName = keyof typeof PermissionFlagsBits;

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, e.g. /channels/123/messages. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON (the text if it is not JSON), unchecked: read it as the Discord type of its route. */
  body: unknown;
  at: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  author: { id: string; username: string; bot: boolean };
  content: string;
  embeds: APIEmbed[];
  nonce?: string | number;
  flags?: number;
}

export interface FakeDiscord {
  /** REST base URL to give discord.js (it appends /v10). */
  api: string;
  botUserId: string;
  gateway: FakeGateway;
  requests: RecordedRequest[];
  /** Messages created per channel, oldest first. */
  messages: Map<string, StoredMessage[]>;
  /** The guild every channel belongs to. */
  guildId: string;
  /** Adds a message by someone else (default: a person), as if typed in the channel now. */
  addMessage(channelId: string, content: string, author?: { id: string; bot?: boolean }): StoredMessage;
  /** Takes these permissions from the bot in one channel (a member overwrite, as an admin would set). */
  deny(channelId: string, ...permissions: PermissionName[]): void;
  /** Serves `response` to the next request matching method and path, before the default route. */
  respondOnce(method: string, path: RegExp, response: ScriptedResponse): void;
  /** Resolves with the first recorded request that matches (waiting for it if needed). */
  waitFor(method: string, path: RegExp, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const RATE_HEADERS = {
  'x-ratelimit-limit': '5',
  'x-ratelimit-remaining': '4',
  'x-ratelimit-reset-after': '1',
  'x-ratelimit-bucket': 'fake-bucket',
};

export async function startFakeDiscord(options: { botUserId?: string } = {}): Promise<FakeDiscord> {
  const botUserId = options.botUserId ?? '1100000000000000001';
  const requests: RecordedRequest[] = [];
  const messages = new Map<string, StoredMessage[]>();
  const scripted: { method: string; path: RegExp; response: ScriptedResponse }[] = [];
  const nonces = new Map<string, StoredMessage>();
  const guildId = '1000000000000000009';
  const botRoleId = '1000000000000000010';
  const denied = new Map<string, bigint>();
  let lastId = 0n;
  /** A snowflake of now (Discord's epoch is 2015-01-01), strictly increasing. */
  const newId = () => {
    const now = BigInt(Date.now() - 1_420_070_400_000) << 22n;
    lastId = now > lastId ? now : lastId + 1n;
    return String(lastId);
  };
  const EVERYONE =
    PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.SendMessages |
    PermissionFlagsBits.EmbedLinks |
    PermissionFlagsBits.ReadMessageHistory;
  const can = (channelId: string, permission: bigint) => ((denied.get(channelId) ?? 0n) & permission) === 0n;
  const refuse = (code: number, message: string): ScriptedResponse => ({ status: 403, body: { message, code } });
  const store = (channelId: string, message: StoredMessage) =>
    messages.set(channelId, [...(messages.get(channelId) ?? []), message]);
  /** The message Discord returns for a webhook (interaction) send or edit. */
  const webhookMessage = (
    body: RESTPatchAPIWebhookWithTokenMessageJSONBody | RESTPostAPIWebhookWithTokenJSONBody | undefined,
  ): ScriptedResponse => ({
    status: 200,
    body: {
      id: newId(),
      channel_id: '0',
      author: { id: botUserId, username: 'dealbot', bot: true },
      content: '',
      embeds: body?.embeds ?? [],
      flags: body?.flags,
    },
  });

  const routes = (req: RecordedRequest): ScriptedResponse => {
    const { method, path } = req;
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const body = req.body as RESTPostAPIChannelMessageJSONBody | undefined;
      const channelId = m[1]!;
      if (!can(channelId, PermissionFlagsBits.ViewChannel)) return refuse(50001, 'Missing Access');
      if (!can(channelId, PermissionFlagsBits.SendMessages) || !can(channelId, PermissionFlagsBits.EmbedLinks))
        return refuse(50013, 'Missing Permissions');
      const key = `${channelId}:${body?.nonce}`;
      // Discord: with enforce_nonce, a nonce seen within a few minutes returns the first message.
      if (body?.enforce_nonce && body.nonce && nonces.has(key)) return { status: 200, body: nonces.get(key) };
      const message: StoredMessage = {
        id: newId(),
        channel_id: channelId,
        author: { id: botUserId, username: 'dealbot', bot: true },
        content: body?.content ?? '',
        embeds: body?.embeds ?? [],
        ...(body?.nonce ? { nonce: body.nonce } : {}),
      };
      store(channelId, message);
      if (body?.nonce) nonces.set(key, message);
      return { status: 200, body: message };
    }
    if (method === 'GET' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channelId = m[1]!;
      if (!can(channelId, PermissionFlagsBits.ViewChannel)) return refuse(50001, 'Missing Access');
      // Discord: without Read Message History the answer is an empty list, not an error.
      if (!can(channelId, PermissionFlagsBits.ReadMessageHistory)) return { status: 200, body: [] };
      const limit = Math.min(Number(req.query.get('limit') ?? 50), 100);
      const after = req.query.get('after');
      const before = req.query.get('before');
      const all = messages.get(channelId) ?? [];
      // `after` takes the oldest messages past it; otherwise the newest (before `before`). Always newest first.
      const list = after
        ? all.filter((x) => BigInt(x.id) > BigInt(after)).slice(0, limit)
        : all.filter((x) => !before || BigInt(x.id) < BigInt(before)).slice(-limit);
      // Fetched messages do not carry their nonce.
      return { status: 200, body: list.reverse().map(({ nonce: _nonce, ...rest }) => rest) };
    }
    if (method === 'GET' && (m = /^\/channels\/(\d+)$/.exec(path))) {
      const channelId = m[1]!;
      if (!can(channelId, PermissionFlagsBits.ViewChannel)) return refuse(50001, 'Missing Access');
      const deny = denied.get(channelId);
      return {
        status: 200,
        body: {
          id: channelId,
          type: 0,
          guild_id: guildId,
          name: 'news',
          permission_overwrites: deny ? [{ id: botUserId, type: 1, allow: '0', deny: String(deny) }] : [],
        },
      };
    }
    if (method === 'GET' && path === `/guilds/${guildId}/roles`)
      return {
        status: 200,
        body: [
          { id: guildId, name: '@everyone', permissions: String(EVERYONE), position: 0 },
          { id: botRoleId, name: 'dealbot', permissions: '0', position: 1 },
        ],
      };
    if (method === 'GET' && path === `/guilds/${guildId}/members/${botUserId}`)
      return { status: 200, body: { user: { id: botUserId, username: 'dealbot', bot: true }, roles: [botRoleId] } };
    if (method === 'GET' && path === '/gateway/bot')
      return {
        status: 200,
        body: {
          url: `ws://127.0.0.1:${port}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        },
      };
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204 };
    if (method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) {
      return webhookMessage(req.body as RESTPatchAPIWebhookWithTokenMessageJSONBody | undefined);
    }
    if (method === 'DELETE' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) return { status: 204 };
    if (method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path)) {
      return webhookMessage(req.body as RESTPostAPIWebhookWithTokenJSONBody | undefined);
    }
    if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path))
      return {
        status: 200,
        body: (req.body as RESTPutAPIApplicationCommandsJSONBody).map((c) => ({ ...c, id: newId(), version: '1' })),
      };
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  };

  const waiters: { method: string; path: RegExp; resolve: (r: RecordedRequest) => void }[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, ''),
        query: url.searchParams,
        headers: req.headers,
        body: text ? safeJson(text) : undefined,
        at: Date.now(),
      };
      requests.push(recorded);
      for (const w of [...waiters]) {
        if (w.method === recorded.method && w.path.test(recorded.path)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(recorded);
        }
      }
      const i = scripted.findIndex((s) => s.method === recorded.method && s.path.test(recorded.path));
      const response = i >= 0 ? scripted.splice(i, 1)[0]!.response : routes(recorded);
      const headers: Record<string, string> = { ...RATE_HEADERS, ...response.headers };
      if (response.body !== undefined) headers['content-type'] = 'application/json';
      res.writeHead(response.status, headers);
      res.end(response.body !== undefined ? JSON.stringify(response.body) : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gateway = attachFakeGateway(server, botUserId);

  return {
    api: `http://127.0.0.1:${port}/api`,
    botUserId,
    gateway,
    requests,
    messages,
    guildId,
    addMessage(channelId, content, author = { id: '1100000000000000777' }) {
      const message: StoredMessage = {
        id: newId(),
        channel_id: channelId,
        author: { id: author.id, username: 'someone', bot: author.bot ?? false },
        content,
        embeds: [],
      };
      store(channelId, message);
      return message;
    },
    deny(channelId, ...permissions) {
      const bits = permissions.reduce((all, p) => all | PermissionFlagsBits[p], denied.get(channelId) ?? 0n);
      denied.set(channelId, bits);
    },
    respondOnce: (method, path, response) => scripted.push({ method, path, response }),
    waitFor(method, path, timeoutMs = 5000) {
      const seen = requests.find((r) => r.method === method && path.test(r.path));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${method} ${path} within ${timeoutMs} ms; saw ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'nothing'}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ method, path, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        gateway.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
