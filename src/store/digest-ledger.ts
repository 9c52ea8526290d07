import type { Message } from '../messages/message.js';

/**
 * The delivery ledger: what each channel was sent, recorded before it is sent.
 * A digest's exact story set is reserved first (so no story can be in two
 * posts of a channel), then posted with the delivery's id as idempotency key,
 * then marked sent when the platform confirms. A delivery still pending after a
 * crash is checked with the platform (findPosted) and re-sent with the same key.
 */

export type DeliveryKind = 'digest' | 'alert';
/** pending: reserved, not confirmed; sent: the platform confirmed; quiet: nothing to post (recorded for accounting). */
export type DeliveryStatus = 'pending' | 'sent' | 'quiet';
/** shown: an item; more: counted in "and N more"; folded: its event was already sent to the channel. */
export type StoryRole = 'shown' | 'more' | 'folded';

export interface LedgerStory {
  storyId: string;
  briefId: string;
  clusterKey: string;
  role: StoryRole;
}

export interface NewDelivery {
  /** Stable and short (≤ 25 characters, Discord's nonce limit): the idempotency key. */
  id: string;
  /** "platform:channel". */
  channelKey: string;
  kind: DeliveryKind;
  /** The scheduled time a digest is for (ISO); null for alerts and manual sends. */
  slot: string | null;
  /** Sent after its time: the bot was down at the slot, or the platform kept failing past it. */
  late: boolean;
  /** The exact message to post, kept so a retry after a restart sends the same thing; null when quiet. */
  message: Message | null;
  status: 'pending' | 'quiet';
  /** When it was composed: ages in the message are as of this time until it is posted. */
  createdAt: string;
  /** The IANA zone a digest's slot is read in, for the "Sent late: due at 08:30" line written at post time. */
  timeZone?: string | null;
}

export interface Delivery extends Omit<NewDelivery, 'status'> {
  status: DeliveryStatus;
  /** Post attempts started; above 0 a crash may have left a post on the platform. */
  attempts: number;
  /** When the first attempt began: findPosted looks back to here. */
  firstAttemptAt: string | null;
  /** When an attempt first failed (null: never failed): how long it has kept failing. */
  failingSince: string | null;
  /** When admins were told it keeps failing (null: not told), so they are told once per delivery. */
  noticedAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  messageId: string | null;
  stories: LedgerStory[];
}

/** Where a schedule stands: the last slot it handled, so a restart catches up once. */
export interface ScheduleCursor {
  /** Platform, channel, cron and time zone: a changed schedule starts afresh. */
  scheduleKey: string;
  channelKey: string;
  registeredAt: string;
  lastSlot: string | null;
}

/** Thrown when a reservation names a story the channel already has: nothing was written. */
export class StoryAlreadyDeliveredError extends Error {
  constructor(
    readonly channelKey: string,
    readonly storyIds: string[],
  ) {
    super(`stories already delivered to ${channelKey}: ${storyIds.join(', ')}`);
    this.name = 'StoryAlreadyDeliveredError';
  }
}

export interface DigestLedger {
  /**
   * Records a delivery and its story set atomically. Returns false (writing
   * nothing) when a delivery with this id exists; throws
   * StoryAlreadyDeliveredError when one of the stories is already recorded for
   * the channel.
   */
  reserve(delivery: NewDelivery, stories: LedgerStory[]): boolean;
  get(id: string): Delivery | null;
  /** Pending deliveries of a channel (or all), oldest first. */
  pending(channelKey?: string): Delivery[];
  /** Counts an attempt before posting, so a crash mid-post is known to be possible; the first one's time is kept. */
  startAttempt(id: string, at: string): void;
  /** Keeps the error; the first failure's time is kept as failingSince. */
  recordFailure(id: string, error: string, at: string): void;
  /** Admins were told this delivery keeps failing (or lacks a permission). */
  markNoticed(id: string, at: string): void;
  /** Confirmed by the platform; `late` when it went out well after its slot. */
  markSent(id: string, messageId: string, sentAt: string, late?: boolean): void;
  /** Which of these stories the channel already has (in any delivery, pending or sent). */
  deliveredStories(channelKey: string, storyIds: string[]): Set<string>;
  /** Which of these events the channel already has. */
  deliveredClusters(channelKey: string, clusterKeys: string[]): Set<string>;
  /** Alerts reserved for a channel since this ISO time (the hourly cap). */
  countAlertsSince(channelKey: string, since: string): number;
  /** Stories kept out of alerts (over the cap): they wait for the digest instead. */
  holdForDigest(channelKey: string, storyIds: string[], at: string): void;
  heldForDigest(channelKey: string, storyIds: string[]): Set<string>;
  /**
   * Replicas (PostgreSQL): claims a pending delivery for this replica to post, for
   * `ttlMs`. False when it is no longer pending or another replica's claim has not
   * expired: that replica is posting it (or died, and its claim runs out). SQLite
   * leaves this out: one process, whose channel queue already posts a delivery once.
   */
  claimPost?(id: string, ttlMs: number): boolean;
  /** Gives up this replica's claim on a delivery, once the attempt's outcome is recorded. */
  releasePost?(id: string): void;
  getCursor(scheduleKey: string): ScheduleCursor | null;
  saveCursor(cursor: ScheduleCursor): void;
}
