import type { Async } from '../store/async-store.js';
import { createHash } from 'node:crypto';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Brief } from '../briefs/schema.js';
import type { Config, DigestConfig } from '../config/schema.js';
import type { DigestLedger, LedgerStory, NewDelivery } from '../store/digest-ledger.js';
import { isBacklog, type DigestCandidate, type DigestCandidateSource } from './candidate-source.js';
import { chooseEvents, composeDigest, type ComposeDigestInput, type ComposedDigest } from './compose-digest.js';
import { loadShown } from './rank-events.js';
import { channelKeyOf, type ChannelRef } from './deliver-digest.js';

/** Stories older than this are not digested, whatever happened: bounds the first digest and long outages. */
export const DIGEST_LOOKBACK_MS = 7 * 86_400_000;
/** A newly added channel's first digest reaches back this far before the channel was added. */
export const FIRST_DIGEST_LOOKBACK_MS = 86_400_000;

export const channelOf = (entry: DigestConfig): ChannelRef => ({ platform: entry.platform, channel: entry.channel });

/** Platform, channel, cron and zone: a schedule whose timing changes starts afresh. */
export const scheduleKeyOf = (e: DigestConfig): string => `${e.platform}:${e.channel} ${e.cron} ${e.timezone}`;

/** The briefs a digest entry follows (the default brief when it names none), skipping unknown ids. */
export function briefsOf(entry: DigestConfig, config: Config, registry: BriefRegistry): Brief[] {
  return (entry.briefs ?? [config.bot.default_brief])
    .map((id) => registry.get(id))
    .filter((b): b is Brief => Boolean(b));
}

/**
 * A short, stable delivery id (the idempotency key): Discord nonces take at most
 * 25 characters, so it is a prefix and a hash of what makes the delivery unique.
 */
export function deliveryId(prefix: 'dg' | 'mn' | 'al', ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 20)}`;
}

export interface PrepareDigestInput {
  entry: DigestConfig;
  config: Config;
  briefs: BriefRegistry;
  ledger: Async<DigestLedger>;
  candidates: DigestCandidateSource;
  now: Date;
  slot: Date;
  late: boolean;
  /** When the channel's schedule was first seen; bounds how far back its first digest reaches. */
  registeredAt?: string;
}

/** What the channel would get now: only reads the ledger, so previews can call it freely. */
export async function prepareDigest(input: PrepareDigestInput): Promise<ComposedDigest> {
  const { entry, config, ledger, now } = input;
  const channelKey = channelKeyOf(channelOf(entry));
  const briefs = briefsOf(entry, config, input.briefs);
  const floor = input.registeredAt ? Date.parse(input.registeredAt) - FIRST_DIGEST_LOOKBACK_MS : -Infinity;
  const since = new Date(Math.max(floor, now.getTime() - DIGEST_LOOKBACK_MS)).toISOString();
  const all = (await input.candidates.candidates({ briefIds: briefs.map((b) => b.id), since })).filter(
    (c) => !isBacklog(c),
  );
  const { delivered, receivedClusters } = await receivedOf(ledger, channelKey, all);
  const open = all.filter((c) => !delivered.has(c.storyId));
  const compose: ComposeDigestInput = {
    candidates: open,
    receivedClusters,
    briefs,
    maxItems: entry.max_items,
    quietDay: entry.quiet_day,
    command: config.bot.command,
    defaultBriefId: config.bot.default_brief,
    now,
    slot: input.slot,
    timeZone: entry.timezone,
    late: input.late,
  };
  const chosen = chooseEvents(compose);
  await loadShown(chosen.shown);
  const composed = composeDigest(compose, chosen);
  if (!input.candidates.eventStoryIds) return composed;
  return new DeliverableDigest(composed, () =>
    withEventStories(composed.stories, input.candidates, ledger, channelKey, since),
  );
}

/**
 * A composed digest whose whole ledger rows (each event's other stories beside its
 * lead) are read only when asked for, by storiesToRecord: a delivery asks, a preview
 * never does. `stories` lists the leads' rows alone. (A class, not an object literal:
 * V8 would make a new hidden class for each such literal, and previews would fill
 * the heap with them.)
 */
class DeliverableDigest implements ComposedDigest {
  readonly message: ComposedDigest['message'];
  readonly shown: ComposedDigest['shown'];
  readonly more: ComposedDigest['more'];

  constructor(
    private readonly composed: ComposedDigest,
    readonly readAll: () => Promise<LedgerStory[]>,
  ) {
    this.message = composed.message;
    this.shown = composed.shown;
    this.more = composed.more;
  }

  get stories(): LedgerStory[] {
    return this.composed.stories;
  }
}

/** The ledger rows a delivery of this digest records: every story it accounts for. */
export async function storiesToRecord(composed: ComposedDigest): Promise<LedgerStory[]> {
  return composed instanceof DeliverableDigest ? composed.readAll() : composed.stories;
}

/**
 * A digest's ledger rows when its candidates stand for whole stored events: each
 * event's other stories of the period are recorded beside its lead, in the same
 * role, unless the channel already got them.
 */
export async function withEventStories(
  listed: LedgerStory[],
  source: DigestCandidateSource,
  ledger: Async<DigestLedger>,
  channelKey: string,
  since?: string,
): Promise<LedgerStory[]> {
  if (!listed.length || !source.eventStoryIds) return listed;
  const byKey = new Map<string, LedgerStory>();
  for (const s of listed) if (!byKey.has(s.clusterKey)) byKey.set(s.clusterKey, s);
  const ids = await source.eventStoryIds([...byKey.keys()], since);
  const taken = new Set(listed.map((s) => s.storyId));
  const delivered = await ledger.deliveredStories(channelKey, [...ids.values()].flat());
  const out = [...listed];
  for (const [key, first] of byKey) {
    for (const storyId of ids.get(key) ?? []) {
      if (taken.has(storyId) || delivered.has(storyId)) continue;
      taken.add(storyId);
      out.push({ ...first, storyId });
    }
  }
  return out;
}

/**
 * What the channel already got of these candidates, both read at once: their stories,
 * and their events (recorded under their key, or holding a story the channel already
 * got: a cluster's key can change as stories join it).
 */
export async function receivedOf(
  ledger: Async<DigestLedger>,
  channelKey: string,
  all: DigestCandidate[],
): Promise<{ delivered: Set<string>; receivedClusters: Set<string> }> {
  const [delivered, receivedClusters] = await Promise.all([
    ledger.deliveredStories(
      channelKey,
      all.map((c) => c.storyId),
    ),
    ledger.deliveredClusters(channelKey, [...new Set(all.map((c) => c.clusterKey))]),
  ]);
  for (const c of all) if (delivered.has(c.storyId)) receivedClusters.add(c.clusterKey);
  return { delivered, receivedClusters };
}

/** The ledger row for a composed digest; null when there is nothing to post or record. */
export function digestDelivery(
  id: string,
  entry: DigestConfig,
  composed: ComposedDigest,
  slot: Date | null,
  late: boolean,
  now: Date,
): NewDelivery | null {
  if (!composed.message && composed.stories.length === 0) return null;
  return {
    id,
    channelKey: channelKeyOf(channelOf(entry)),
    kind: 'digest',
    slot: slot ? slot.toISOString() : null,
    late,
    message: composed.message,
    status: composed.message ? 'pending' : 'quiet',
    createdAt: now.toISOString(),
    timeZone: entry.timezone,
  };
}
