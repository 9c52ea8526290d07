import type { CommandReply } from '../../messages/chat-adapter.js';
import { EPHEMERAL_FLAG, renderDiscordMessage, type DiscordPayload } from './discord-embeds.js';

/**
 * How an interaction is answered, whichever way it arrived: the gateway's discord.js
 * interaction (callbacks over REST) or the HTTP endpoint (the first answer is the
 * HTTP response; the rest go to the interaction's webhook over REST). The payloads
 * are Discord's wire form.
 */
export interface InteractionResponder {
  /** The answer itself (callback type 4). */
  reply(payload: DiscordPayload): Promise<void>;
  /** "Thinking…" (type 5); the answer follows by editing the original reply. */
  defer(ephemeral: boolean): Promise<void>;
  /** Replaces the deferred reply (its visibility was fixed by the deferral). */
  editOriginal(payload: Omit<DiscordPayload, 'flags'>): Promise<void>;
  deleteOriginal(): Promise<void>;
  /** A further message after the reply or deferral. */
  followUp(payload: DiscordPayload): Promise<void>;
}

/**
 * The answer's payload. Only share:true posts in the channel, and only when the
 * core agrees (its errors stay private); a query word such as "market share" cannot
 * make an answer public.
 */
export function answerPayload(reply: CommandReply, share: boolean): DiscordPayload {
  const visibility = share && reply.visibility === 'channel' ? 'channel' : 'private';
  return renderDiscordMessage(reply.message, { visibility });
}

const APOLOGY: DiscordPayload = {
  content: 'Sorry, that failed on our side; please try again in a moment.',
  embeds: [],
  allowed_mentions: { parse: [], replied_user: false },
  flags: EPHEMERAL_FLAG,
};

/**
 * Answers at once when the core is quick; otherwise defers (Discord allows 3 s in
 * all, network included) and edits the reply when the answer is ready. A failure
 * is apologised for in whichever way the interaction can still be answered, then
 * rethrown for the caller to log.
 */
export async function answerSlashCommand(
  answer: Promise<CommandReply>,
  share: boolean,
  responder: InteractionResponder,
  deferAfterMs: number,
): Promise<void> {
  let acknowledged = false;
  try {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), deferAfterMs)));
    const quick = await Promise.race([answer, late]).finally(() => clearTimeout(timer));
    if (quick) {
      await responder.reply(answerPayload(quick, share));
      return;
    }
    await responder.defer(!share);
    acknowledged = true;
    const payload = answerPayload(await answer, share);
    if (share && payload.flags) {
      // Deferred in public, but the core answered privately (an error, an admin refusal): do not show it to all.
      await responder.deleteOriginal();
      await responder.followUp(payload);
    } else {
      const { flags: _ephemeralFixedByDefer, ...edit } = payload;
      await responder.editOriginal(edit);
    }
  } catch (err) {
    await (acknowledged ? responder.followUp(APOLOGY) : responder.reply(APOLOGY)).catch(() => undefined);
    throw err;
  }
}
