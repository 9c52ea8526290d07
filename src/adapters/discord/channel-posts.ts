import { createHash } from 'node:crypto';
import { Routes, type APIMessage, type REST } from 'discord.js';
import type { Message } from '../../messages/message.js';
import type { PostOptions, PostReceipt } from '../../messages/chat-adapter.js';
import { renderDiscordMessage, type DiscordPayload } from './discord-embeds.js';

/** How many recent messages findPosted looks through (one page of the API). */
const RECENT = 50;

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
 * waits out 429s. Errors (missing access, unknown channel, 5xx after its retries)
 * are thrown to the caller, who records and retries.
 */
export async function postChannelMessage(
  rest: REST,
  channelId: string,
  message: Message,
  options?: PostOptions,
): Promise<PostReceipt> {
  const sent = (await rest.post(Routes.channelMessages(channelId), {
    body: channelPostBody(message, options),
  })) as APIMessage;
  return { messageId: sent.id, channelId: sent.channel_id ?? channelId };
}

/**
 * Finds a keyed post among the channel's recent messages by its nonce or footer
 * reference. Needs the Read Message History permission; without it Discord answers
 * 403 and the error is thrown rather than read as "not posted".
 */
export async function findChannelPost(
  rest: REST,
  channelId: string,
  idempotencyKey: string,
  authorId: string | undefined,
): Promise<PostReceipt | null> {
  const recent = (await rest.get(Routes.channelMessages(channelId), {
    query: new URLSearchParams({ limit: String(RECENT) }),
  })) as APIMessage[];
  const nonce = nonceFor(idempotencyKey);
  const ref = footerRefFor(idempotencyKey);
  const found = recent.find(
    (m) =>
      (authorId ? m.author.id === authorId : m.author.bot === true) &&
      (m.nonce === nonce || m.embeds.some((e) => e.footer?.text.endsWith(ref))),
  );
  return found ? { messageId: found.id, channelId: found.channel_id ?? channelId } : null;
}
