import type { Message } from './message.js';

/**
 * The contract between the core and a chat platform. It fits on one screen on
 * purpose: an adapter receives commands and hands them to the core, replies, and
 * posts to channels. Nothing else of a platform reaches the core.
 */

/** Who asked and where: the neutral form of a slash command, whatever the platform. */
export interface CommandInvocation {
  platform: string;
  /** The text after the command name, e.g. "facts" or "search tariffs share". */
  text: string;
  /** The command name as typed, without the slash (e.g. "deal"). */
  command: string;
  user: { id: string; name?: string; roleIds?: string[] };
  channel: { id: string };
}

/** What the core answers: a message and whether only the asker sees it. */
export interface CommandReply {
  message: Message;
  visibility: 'private' | 'channel';
  /**
   * The command was not answered as asked: unknown words, a loose argument, admins only,
   * no database, a failure. The message says why; scripts (dealbot ask) exit non-zero.
   */
  refused?: boolean;
}

export type CommandHandler = (invocation: CommandInvocation) => Promise<CommandReply>;

/**
 * What a platform may know of a subcommand: enough to declare it (Discord's slash
 * command options, Slack's manifest) without the code that answers it.
 */
export interface CommandSpec {
  name: string;
  /** One line for /deal help. */
  summary: string;
  /** e.g. "search <words> [brief]". */
  usage: string;
  /** Only admins from the config may run it. */
  adminOnly?: boolean;
  /** Whether a trailing brief id picks the brief (lookups do; search words must not be eaten). */
  takesBriefArg?: boolean;
  /** Its words are free text (a search query), so "share" in them is a word, not a request to share. */
  freeText?: boolean;
  /** With takesBriefArg: other words are the subcommand's own (latest's n), not a mistyped brief id. */
  acceptsOtherArgs?: boolean;
}

/** Proof that a platform accepted a post: the id it gave the message. */
export interface PostReceipt {
  messageId: string;
  channelId: string;
}

export interface PostOptions {
  /**
   * A stable key for this post (a digest id). Adapters pass it to the platform
   * (Discord nonce, Slack message metadata) so a retry after a crash can be
   * recognised instead of posted twice.
   */
  idempotencyKey?: string;
}

export interface FindPostedOptions {
  /** When the first attempt of the post began; absent: the adapter's own bound. */
  since?: Date;
}

/**
 * A platform refused an action because the bot lacks a permission or scope
 * (Slack `missing_scope`, Discord 403). Retrying cannot help until an admin
 * grants it, so the core tells admins at once, naming `permission`.
 */
export class ChatPermissionError extends Error {
  override readonly name = 'ChatPermissionError';
  constructor(
    /** "slack", "discord", …: whose permission is missing. */
    readonly platform: string,
    /** The permission, scope or intent to grant, as the platform names it ("channels:history", "Read Message History"). */
    readonly permission: string,
    /** What was refused and how to grant it, for people. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ChatAdapter {
  /** "terminal", "slack", "discord": the key used in the config's digests and admins. */
  readonly platform: string;
  /** Connects and starts handing commands to the handler. */
  start(handler: CommandHandler): Promise<void>;
  /** Stops taking commands, finishes what is in flight, disconnects. */
  stop(): Promise<void>;
  /** Posts a message to a channel (digests, alerts, notices to admins). */
  postToChannel(channelId: string, message: Message, options?: PostOptions): Promise<PostReceipt>;
  /**
   * Finds a message already posted with this idempotency key, if the platform can
   * tell. `since` is when the first attempt of that post began: the adapter looks
   * back to then (paging through the channel's history, bounded), so a busy channel
   * cannot hide an earlier copy. Throws ChatPermissionError when the platform
   * refuses to show the history.
   */
  findPosted?(channelId: string, idempotencyKey: string, options?: FindPostedOptions): Promise<PostReceipt | null>;
  /** Whether the platform connection is up now (for `dealbot health`); an adapter without it counts as up once started. */
  isConnected?(): boolean;
}
