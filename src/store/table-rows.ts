import type { Message } from '../messages/message.js';
import type { Delivery, LedgerStory, ScheduleCursor } from './digest-ledger.js';
import type { FilteredStory, StoredDecision, StoredEvent, StoryDelivery } from './match-repo.js';
import type { FeedState } from './store.js';
import type { SearchHit, StoredStory } from './story.js';

/**
 * The tables' rows as both engines read them, and how each becomes the contract's
 * type. The engines share one schema; where they differ in kind, the row type says
 * both: SQLite has no booleans (0/1) and returns lists as JSON text, PostgreSQL
 * has both.
 */

type Flag = number | boolean;
const flag = (v: Flag): boolean => v === true || v === 1;
const list = (v: string | string[]): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);

export interface StoryRow {
  id: string;
  feed_id: string;
  title: string;
  summary: string;
  url: string | null;
  published: string | null;
  author: string | null;
  lang: string;
  first_seen: string;
  backlog: Flag;
  /** Every feed that carried the story, oldest first. */
  feed_ids: string | string[];
}

export function storyFromRow(row: StoryRow): StoredStory {
  return {
    id: row.id,
    feedId: row.feed_id,
    title: row.title,
    summary: row.summary,
    url: row.url,
    published: row.published,
    author: row.author,
    lang: row.lang,
    firstSeen: row.first_seen,
    backlog: flag(row.backlog),
    feedIds: list(row.feed_ids),
  };
}

export interface SearchHitRow {
  id: string;
  published: string | null;
  first_seen: string;
}

export function searchHitFromRow(row: SearchHitRow): SearchHit {
  return { id: row.id, published: row.published, firstSeen: row.first_seen };
}

/** Dates in, ISO UTC out, so text order is time order; unparseable dates become null. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export interface FeedStateRow {
  feed_id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_poll_at: string | null;
  last_status: number | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  next_due_at: string | null;
  status: FeedState['status'];
  moved_to: string | null;
  notified: FeedState['notified'];
  story_count: number;
}

/** feed_state with the number of stories each feed carried (story_count is computed, never stored). */
export const FEED_STATE_SELECT = `SELECT f.*, (SELECT COUNT(*) FROM story_feeds sf WHERE sf.feed_id = f.feed_id) AS story_count FROM feed_state f`;

export function feedStateFromRow(row: FeedStateRow): FeedState {
  return {
    feedId: row.feed_id,
    url: row.url,
    etag: row.etag,
    lastModified: row.last_modified,
    lastPollAt: row.last_poll_at,
    lastStatus: row.last_status,
    lastSuccessAt: row.last_success_at,
    lastErrorAt: row.last_error_at,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    nextDueAt: row.next_due_at,
    status: row.status,
    movedTo: row.moved_to,
    notified: row.notified,
    storyCount: row.story_count,
  };
}

export interface DecisionRow {
  story_id: string;
  decided_at: string;
  relevant: Flag;
  score: number;
  brief_id: string | null;
  brief_score: number;
  reasons: string;
  cluster_key: string | null;
  event_note?: string | null;
}

export function decisionFromRow(r: DecisionRow): StoredDecision {
  return {
    storyId: r.story_id,
    decidedAt: r.decided_at,
    relevant: flag(r.relevant),
    score: r.score,
    briefId: r.brief_id,
    briefScore: r.brief_score,
    reasons: JSON.parse(r.reasons) as string[],
    clusterKey: r.cluster_key,
    eventNote: r.event_note ?? null,
  };
}

export interface EventRow {
  key: string;
  brief_id: string | null;
  first_seen: string;
  newest: string;
  story_count: number;
  outlet_count: number;
  outlets: string;
  lead_id: string | null;
  lead_score: number | null;
  best_score: number;
}

export const EVENT_COLUMNS = `e.key, e.brief_id, e.first_seen, e.newest, e.story_count, e.outlet_count, e.outlets, e.lead_id, e.lead_score, e.best_score`;
/** The columns of the index events_brief_newest (and the key): ranking reads no more. */
export const EVENT_HEAD_COLUMNS =
  'e.key, e.brief_id, e.newest, e.story_count, e.outlet_count, e.lead_id, e.lead_score, e.best_score';

export function eventFromRow(r: EventRow): StoredEvent {
  return {
    key: r.key,
    briefId: r.brief_id,
    firstSeen: r.first_seen,
    newest: r.newest,
    storyCount: r.story_count,
    outletCount: r.outlet_count,
    outlets: JSON.parse(r.outlets) as string[],
    leadId: r.lead_id,
    leadScore: r.lead_id === null ? null : r.lead_score,
    bestScore: r.best_score,
  };
}

export interface DeliveryRow {
  id: string;
  channel_key: string;
  kind: Delivery['kind'];
  slot: string | null;
  late: Flag;
  message: string | null;
  status: Delivery['status'];
  created_at: string;
  attempts: number;
  first_attempt_at: string | null;
  failing_since: string | null;
  noticed_at: string | null;
  time_zone: string | null;
  last_error: string | null;
  sent_at: string | null;
  message_id: string | null;
}

export interface DeliveryStoryRow {
  story_id: string;
  brief_id: string;
  cluster_key: string;
  role: LedgerStory['role'];
}

export function deliveryFromRow(row: DeliveryRow, stories: DeliveryStoryRow[]): Delivery {
  return {
    id: row.id,
    channelKey: row.channel_key,
    kind: row.kind,
    slot: row.slot,
    late: flag(row.late),
    message: row.message ? (JSON.parse(row.message) as Message) : null,
    status: row.status,
    createdAt: row.created_at,
    timeZone: row.time_zone,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
    failingSince: row.failing_since,
    noticedAt: row.noticed_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
    messageId: row.message_id,
    stories: stories.map((s) => ({
      storyId: s.story_id,
      briefId: s.brief_id,
      clusterKey: s.cluster_key,
      role: s.role,
    })),
  };
}

/** A delivery a story went out in, with the story's role in it (deliveriesOf). */
export interface StoryDeliveryRow {
  id: string;
  channel_key: string;
  kind: string;
  status: string;
  created_at: string;
  sent_at: string | null;
  role: string;
}

export const STORY_DELIVERIES_SELECT = `SELECT d.id, d.channel_key, d.kind, d.status, d.created_at, d.sent_at, s.role
  FROM digest_delivery_stories s JOIN digest_deliveries d ON d.id = s.delivery_id`;

export function storyDeliveryFromRow(r: StoryDeliveryRow): StoryDelivery {
  return {
    deliveryId: r.id,
    channelKey: r.channel_key,
    kind: r.kind,
    status: r.status,
    role: r.role,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

export interface ScheduleRow {
  schedule_key: string;
  channel_key: string;
  registered_at: string;
  last_slot: string | null;
}

export const SCHEDULE_SELECT = 'SELECT schedule_key, channel_key, registered_at, last_slot FROM digest_schedules';

export function scheduleFromRow(row: ScheduleRow): ScheduleCursor {
  return {
    scheduleKey: row.schedule_key,
    channelKey: row.channel_key,
    registeredAt: row.registered_at,
    lastSlot: row.last_slot,
  };
}

export interface FilteredRow {
  story_id: string;
  url: string | null;
  feed_id: string;
  title: string;
  reason: string;
  at: string;
}

export function filteredFromRow(r: FilteredRow): FilteredStory {
  return { storyId: r.story_id, url: r.url, feedId: r.feed_id, title: r.title, reason: r.reason, at: r.at };
}
