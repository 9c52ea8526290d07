import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log/logger.js';
import type { FindPostedOptions, PostReceipt } from '../../messages/chat-adapter.js';
import { describeSlackError } from './slack-errors.js';
import { slackPermissionError } from './slack-permissions.js';

/** The metadata event type that marks dealbot's channel posts, so findPosted can recognise them. */
export const POST_EVENT_TYPE = 'dealbot_post';

/** Without `since`: how many recent messages are read (one page). */
const RECENT = 100;
/** With `since`: Slack's recommended page size for conversations.history. */
const PAGE = 200;
/** The most messages one look-back reads (10 pages), so a flooded channel cannot hold a delivery for long. */
export const MAX_LOOKBACK_MESSAGES = 2000;
/** Read from this long before `since`, in case this machine's clock runs ahead of Slack's. */
const CLOCK_MARGIN_MS = 60_000;

export interface FindSlackPostOptions extends FindPostedOptions {
  /** Only messages of this bot count (from auth.test); any bot's when unknown. */
  botId: string | undefined;
  botName: string | undefined;
  logger: Logger;
  maxMessages?: number;
}

/** A Slack ts ("seconds.micro") for a time. */
export function slackTs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(6);
}

type HistoryMessage = NonNullable<webApi.ConversationsHistoryResponse['messages']>[number];

/**
 * Finds dealbot's post with this key by its message metadata. With `since`, reads
 * the channel back to that time (`oldest`, pages of 200 by cursor) up to a bound;
 * without, the newest 100 messages. A refused read (missing scope, bot not in the
 * channel) is thrown as a ChatPermissionError, never read as "not posted".
 */
export async function findSlackPost(
  client: webApi.WebClient,
  channelId: string,
  idempotencyKey: string,
  options: FindSlackPostOptions,
): Promise<PostReceipt | null> {
  const isOurs = (m: HistoryMessage) =>
    m.metadata?.event_type === POST_EVENT_TYPE &&
    (m.metadata.event_payload as Record<string, unknown> | undefined)?.idempotency_key === idempotencyKey &&
    (!options.botId || !m.bot_id || m.bot_id === options.botId);
  const read = async (args: { limit: number; oldest?: string; cursor?: string }) => {
    try {
      return await client.conversations.history({ channel: channelId, include_all_metadata: true, ...args });
    } catch (err) {
      throw (
        slackPermissionError(err, 'history', channelId, options.botName) ??
        new Error(`Slack history read of ${channelId} failed: ${describeSlackError(err)}`, { cause: err })
      );
    }
  };

  let found: HistoryMessage | undefined;
  if (!options.since) {
    found = ((await read({ limit: RECENT })).messages ?? []).find(isOurs);
  } else {
    const oldest = slackTs(options.since.getTime() - CLOCK_MARGIN_MS);
    const max = options.maxMessages ?? MAX_LOOKBACK_MESSAGES;
    let cursor: string | undefined;
    let seen = 0;
    for (;;) {
      const page = await read({ limit: PAGE, oldest, ...(cursor ? { cursor } : {}) });
      const messages = page.messages ?? [];
      seen += messages.length;
      found = messages.find(isOurs);
      cursor = page.response_metadata?.next_cursor || undefined;
      if (found || !page.has_more || !cursor) break;
      if (seen >= max) {
        options.logger.warn(
          { channel: channelId, since: options.since.toISOString(), read: seen },
          'stopped looking for an earlier copy of the post after the look-back bound; if it is further back, it will be posted twice',
        );
        break;
      }
    }
  }
  return found?.ts ? { channelId, messageId: found.ts } : null;
}
