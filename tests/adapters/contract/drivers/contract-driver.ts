import type { ChatAdapter, CommandHandler, PostOptions, PostReceipt } from '../../../../src/messages/chat-adapter.js';
import type { Config } from '../../../../src/config/schema.js';
import type { Message } from '../../../../src/messages/message.js';

/**
 * What the adapter contract suite needs from one platform: a real adapter against
 * its local fake, a way to type a command as someone, and a way to read what the
 * platform received back into the text a person would see. The suite's cases are
 * the same for every driver; only this file's implementations know a platform.
 */

/** What the platform received for one answer or post. */
export interface Delivery {
  /** The body as the platform got it: response_url body, interaction callback, posted body, terminal text. */
  payload: unknown;
  /** Who can see it, read from the platform's form; undefined where the platform has no such notion. */
  visibility: 'private' | 'channel' | undefined;
  /** The text a reader sees, one entry per line, with the platform's markup and escapes decoded. */
  lines: string[];
}

export interface ContractSession {
  /** The adapter under test (postToChannel, findPosted). */
  adapter: ChatAdapter;
  /** Sends `/<command> <text>` as this user the way the platform would, and returns the answer it received. */
  ask(text: string, userId: string): Promise<Delivery>;
  /** Posts through adapter.postToChannel and returns the receipt with what the platform received. */
  post(message: Message, options?: PostOptions): Promise<{ receipt: PostReceipt; delivery: Delivery }>;
  /**
   * Anything in the payload that could ping, link or move a cursor on this
   * platform (a live mention, a link form, a control character); empty when inert.
   */
  liveMarkup(delivery: Delivery): string[];
  stop(): Promise<void>;
}

export interface ContractDriver {
  platform: 'terminal' | 'slack' | 'discord';
  /** User ids in the platform's own format: `admin` is listed under admins.<platform> in the test config. */
  users: { admin: string; member: string };
  /** The channel posts go to. */
  channel: string;
  /** Why a contract case does not apply to this platform (the case is skipped with this reason). */
  notApplicable: { visibility?: string; findPosted?: string };
  start(deps: { config: Config; handler: CommandHandler }): Promise<ContractSession>;
}

// Control characters and bidi overrides (newline allowed): a feed title must not reach a reader raw.
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The control characters found in some text, as U+XXXX, for a readable failure. */
export function controlCharsIn(text: string): string[] {
  return [...text.matchAll(CONTROL_CHARS)].map(
    (m) => `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** Splits rendered text into trimmed, non-empty lines. */
export function visibleLines(texts: readonly string[]): string[] {
  return texts
    .flatMap((t) => t.split('\n'))
    .map((l) => l.trim())
    .filter(Boolean);
}
