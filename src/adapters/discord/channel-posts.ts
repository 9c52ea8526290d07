import { createHash } from 'node:crypto';
import { Routes, type APIMessage, type REST } from 'discord.js';
import type { Logger } from '../../log/logger.js';
import type { Message } from '../../messages/message.js';
import type { FindPostedOptions, PostOptions, PostReceipt } from '../../messages/chat-adapter.js';
import { renderDiscordMessage, type DiscordPayload } from './discord-embeds.js';
import { asPermissionError, fetchChannelPermissions, missingFor, permissionError } from './discord-permissions.js';

/** Without `since`: how many recent messages findPosted looks through (one page of the API). */
const RECENT = 50;
/** With `since`: the API's largest page, read forward from that time. */
const PAGE = 100;
/** The most messages one look-back reads (20 pages), so a flooded channel cannot hold a delivery for long. */
export const MAX_LOOKBACK_MESSAGES = 2000;
/** Read from this long before `since`, in case this machine's clock runs ahead of Discord's. */
const CLOCK_MARGIN_MS = 60_000;
/** 2015-01-01T00:00:00Z, where Discord's snowflake clock starts. */
const DISCORD_EPOCH_MS = 1_420_070_400_000;

/** The nonce for an idempotency key: Discord takes at most 25 characters, so a hash prefix. */
export function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 25);
}

/**
 * The short reference shown in the footer of a keyed post. Discord keeps a nonce
 * only for a few minutes and does not return it when messages are fetched later,
 * so the footer is what findPosted can still recognise after a long outage.
 */
export function footerRefFor(idempotencyKey: string): string {
  return `ref ${nonceFor(idempotencyKey).slice(0, 12)}`;
}

/** The body of a channel post: visible to all, with nonce and enforce_nonce when keyed. */
export function channelPostBody(
  message: Message,
  options?: PostOptions,
): DiscordPayload & { nonce?: string; enforce_nonce?: boolean } {
  const key = options?.idempotencyKey;
  const payload = renderDiscordMessage(message, {
    visibility: 'channel',
    ...(key ? { footerSuffix: footerRefFor(key) } : {}),
  });
  // With enforce_nonce, a repeated nonce within a few minutes returns the first message instead of posting again.
  return key ? { ...payload, nonce: nonceFor(key), enforce_nonce: true } : payload;
}

/**
 * Posts through discord.js's REST client, which queues per rate-limit bucket and
 * waits out 429s; it does not retry anything else (the delivery's own schedule
 * does, after findPosted). A refused post (403) is thrown as a ChatPermissionError
 * naming the permission; other errors as discord.js gives them.
 */
export async function postChannelMessage(
  rest: REST,
  channelId: string,
  message: Message,
  options: PostOptions | undefined,
  botUserId: string | undefined,
): Promise<PostReceipt> {
  let sent: APIMessage;
  try {
    sent = (await rest.post(Routes.channelMessages(channelId), {
      body: channelPostBody(message, options),
    })) as APIMessage;
  } catch (err) {
    throw (await asPermissionError(err, 'post', { rest, channelId, userId: botUserId })) ?? err;
  }
  return { messageId: sent.id, channelId: sent.channel_id ?? channelId };
}

/** The smallest message id Discord could give a message created at this time. */
export function snowflakeAt(ms: number): string {
  return String(BigInt(Math.max(0, Math.floor(ms) - DISCORD_EPOCH_MS)) << 22n);
}

export interface FindChannelPostOptions extends FindPostedOptions {
  /** The bot's user id: only its own messages count. */
  authorId: string | undefined;
  logger: Logger;
  /** The look-back's bound (tests lower it). */
  maxMessages?: number;
}

/**
 * Finds a keyed post by its nonce or footer reference. With `since`, reads the
 * channel forward from that time (`after` a snowflake made from it), a page of 100
 * at a time, up to a bound; without, the newest 50 messages.
 *
 * Discord answers a channel read without Read Message History with an empty list,
 * not an error. So when the read saw no message at all, the bot's permissions are
 * checked, and a missing one is thrown as a ChatPermissionError rather than read
 * as "not posted" (which would post a second copy).
 */
export async function findChannelPost(
  rest: REST,
  channelId: string,
  idempotencyKey: string,
  options: FindChannelPostOptions,
): Promise<PostReceipt | null> {
  const { authorId } = options;
  const nonce = nonceFor(idempotencyKey);
  const ref = footerRefFor(idempotencyKey);
  const isOurs = (m: APIMessage) =>
    (authorId ? m.author.id === authorId : m.author.bot === true) &&
    (m.nonce === nonce || m.embeds.some((e) => e.footer?.text.endsWith(ref)));
  const read = async (query: Record<string, string>) => {
    try {
      return (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams(query) })) as APIMessage[];
    } catch (err) {
      throw (await asPermissionError(err, 'history', { rest, channelId, userId: authorId })) ?? err;
    }
  };

  let seen = 0;
  let found: APIMessage | undefined;
  if (!options.since) {
    const recent = await read({ limit: String(RECENT) });
    seen = recent.length;
    found = recent.find(isOurs);
  } else {
    const max = options.maxMessages ?? MAX_LOOKBACK_MESSAGES;
    let after = snowflakeAt(options.since.getTime() - CLOCK_MARGIN_MS);
    for (;;) {
      const page = await read({ after, limit: String(PAGE) });
      seen += page.length;
      found = page.find(isOurs);
      // A short page is the channel's newest.
      if (found || page.length < PAGE) break;
      if (seen >= max) {
        options.logger.warn(
          { channel: channelId, since: options.since.toISOString(), read: seen },
          'stopped looking for an earlier copy of the post after the look-back bound; if it is further on, it will be posted twice',
        );
        break;
      }
      // Pages come newest first; the next one starts after this page's newest message.
      after = page.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), page[0]!.id);
    }
  }
  if (found) return { messageId: found.id, channelId: found.channel_id ?? channelId };
  if (seen === 0 && authorId) await assertHistoryReadable(rest, channelId, authorId);
  return null;
}

/** Throws a ChatPermissionError when the bot may not read this channel's history (an empty read proves nothing). */
async function assertHistoryReadable(rest: REST, channelId: string, userId: string): Promise<void> {
  let bits;
  try {
    bits = await fetchChannelPermissions(rest, channelId, userId);
  } catch (err) {
    throw (await asPermissionError(err, 'history', { rest, channelId, userId: undefined })) ?? err;
  }
  const missing = bits === undefined ? [] : missingFor('history', bits);
  if (missing.length) throw permissionError('history', channelId, missing);
}
