import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config, FeedConfig } from '../config/schema.js';
import type { AsyncStore } from '../store/async-store.js';
import { meteredStore, WaitMeter } from '../store/wait-meter.js';
import type { Story, StoredStory } from '../store/story.js';
import { eventFeatures, type EventFeatures } from '../events/event-features.js';
import { EventIndex } from '../events/event-index.js';
import type { EventMember } from '../events/news-event.js';
import { storyTime } from '../events/story-time.js';
import { AdaptiveBatch, SLICE_BUDGET_MS, yieldToLoop } from '../feeds/time-slices.js';
import { FeedFilter } from '../matching/feed-filter.js';
import type { EventOutlet, StoredDecision } from '../store/match-repo.js';
import { matcherFor } from '../matching/matcher-cache.js';
import type { RelevanceMatcher } from '../matching/relevance.js';
import { completeEvents, completeWaitingEvents, eventOutlet } from './event-leads.js';

/**
 * Matching inside the running bot: the poller's two hooks. `filter` applies a
 * feed's include/exclude before a story is stored (and records what it dropped,
 * for `dealbot why`); `onNewStories` decides every new story, stores the
 * decision, and files relevant stories into event clusters. The matcher is
 * rebuilt only when the briefs or the matching config are replaced (reload).
 */

const DEFAULT_WINDOW_MS = 3 * 86_400_000;
// How far above the join threshold a story must join an event to take the event's brief.
const SURE_JOIN_MARGIN = 0.15;
// Or this many of the event's rarer features shared: a near story naming the place, the people
// and what they did is surely of the event, even where a big event's many wordings keep the
// similarity near the join threshold.
const SURE_TELLING = 5;

/** A probed near story clearly of the event it would join (see SURE_JOIN_MARGIN, SURE_TELLING). */
function sureProbe(p: { score: number; telling: number }, threshold: number): boolean {
  return p.score >= threshold + SURE_JOIN_MARGIN || p.telling >= SURE_TELLING;
}

// How a reason says that a story is relevant through its event.
const THROUGH_EVENT = 'relevant through its event';
// Stories read from the undecided queue at most per step of drainUndecided (bounds the memory);
// each step is further sized by time (time-slices.ts), so the event loop is never held for long.
const DRAIN_BATCH = 500;
// How long a step of the drain gives stored events their leads before yielding (each is read whole once):
// the slice budget of the rest of the match step, not the whole 50 ms the bot promises as its longest pause.
const EVENT_STEP_MS = SLICE_BUDGET_MS;

export interface MatchServiceDeps {
  store: AsyncStore;
  getBriefs: () => BriefRegistry;
  getConfig: () => Config;
  now?: () => Date;
  /** Stories further apart than this are never one event (default 3 days). */
  clusterWindowMs?: number;
  /**
   * Replicas on one database: the undecided queue is drained only of stories stored
   * at least this long ago, since a story another replica stored a moment ago is
   * being decided by it (unset: every undecided story, as one process wants).
   */
  undecidedGraceMs?: number;
}

// Stories filed by other replicas read per page when the event index catches up (see catchUp).
const CATCH_UP_PAGE = 500;

export class MatchService {
  private filters = new WeakMap<FeedConfig, FeedFilter>();
  private index: EventIndex | undefined;
  /** Where the index stands in the stories filed into events by any replica (MatchRepo.filedSince). */
  private filedCursor: string | undefined;
  private draining: Promise<number> | undefined;
  private stopped = false;
  /**
   * The tail of the match steps, one after another. A step reads the store, changes the
   * event index in memory and writes decisions and events, with awaits between: were two
   * steps (the poller's slices of two feeds, the drain, a reload's re-decisions) to run
   * side by side, the index and the rows would disagree (a story filed twice, an event
   * key given twice). SQLite made each step one synchronous run; this keeps it so.
   */
  private steps: Promise<unknown> = Promise.resolve();
  /**
   * Stories of match steps that failed (the database went away mid-step): their decisions may be
   * stored without their events, so they leave the undecided queue undecided in effect. The next
   * drain decides them again (a story already filed keeps its event), so none is lost.
   */
  private readonly retry = new Set<string>();
  /** Stories per slice, sized so one slice holds the event loop ~8 ms (time-slices.ts). */
  private readonly batch = new AdaptiveBatch();
  /** The store as match steps use it: waits on its answers are counted apart (not time holding the loop). */
  private readonly waits = new WaitMeter();
  private readonly store: AsyncStore;

  constructor(private readonly deps: MatchServiceDeps) {
    this.store = meteredStore(deps.store, this.waits);
  }

  get matcher(): RelevanceMatcher {
    return matcherFor(this.deps.getBriefs(), this.deps.getConfig().matching);
  }

  /** The poller's StoryFilter hook: a verdict at once for a kept story, after recording it for a dropped one. */
  readonly filter = (
    story: Story,
    feed: FeedConfig,
  ): { keep: boolean; reason?: string } | Promise<{ keep: boolean; reason?: string }> => {
    if (!feed.include.length && !feed.exclude.length) return { keep: true };
    let f = this.filters.get(feed);
    if (!f) this.filters.set(feed, (f = new FeedFilter(feed.id, feed.include, feed.exclude)));
    const verdict = f.check(story);
    if (verdict.kept) return { keep: true };
    return this.recordFiltered(story, feed, verdict.reason!);
  };

  private async recordFiltered(
    story: Story,
    feed: FeedConfig,
    reason: string,
  ): Promise<{ keep: false; reason: string }> {
    await this.deps.store.matches.recordFiltered({
      storyId: story.id,
      url: story.url,
      feedId: feed.id,
      title: story.title,
      reason,
      at: this.now().toISOString(),
    });
    return { keep: false, reason };
  }

  /**
   * The poller's onNewStories hook: decides the new stories in slices sized by time,
   * yielding to the event loop between them, and stops between slices once stop()
   * is called (the rest stay in the undecided queue for the next start).
   */
  readonly onNewStories = async (storyIds: string[]): Promise<void> => {
    for (let i = 0; i < storyIds.length && !this.stopped;) {
      if (i > 0) await yieldToLoop();
      if (this.stopped) break;
      const slice = storyIds.slice(i, i + this.batch.size);
      await this.matchStories(slice);
      i += slice.length;
    }
  };

  /**
   * Decides the stories (stored ones, by id), stores the decisions and clusters the relevant
   * ones: one match step, after the one before (see `steps`). Tells the batch sizer how long
   * the step itself took, not its wait for the one before.
   */
  matchStories(storyIds: string[]): Promise<StoredDecision[]> {
    return this.oneStep(async () => {
      const started = performance.now();
      const waited = this.waits.ms;
      let decisions: StoredDecision[];
      try {
        decisions = await this.decide(storyIds);
      } catch (err) {
        for (const id of storyIds) this.retry.add(id);
        throw err;
      }
      // The time the step held the event loop: a network database's answers were waited for, not worked on.
      this.batch.took(performance.now() - started - (this.waits.ms - waited), storyIds.length);
      return decisions;
    });
  }

  /**
   * Runs `step` after every match step before it has settled (see `steps`). A failed step
   * (the database unreachable) may have changed the event index without its rows: the
   * index is dropped and rebuilt from the store by the next step, and the chain goes on.
   */
  private oneStep<T>(step: () => Promise<T>): Promise<T> {
    const run = this.steps.then(step, step);
    this.steps = run.catch(() => {
      this.index = undefined;
    });
    return run;
  }

  private async decide(storyIds: string[]): Promise<StoredDecision[]> {
    const { store } = this;
    const stories = await store.stories.getMany(storyIds);
    const matcher = this.matcher;
    const decidedAt = this.now().toISOString();
    const near = new Set<string>();
    const decisions = stories.map((s): StoredDecision => {
      const d = matcher.decide(s);
      if (d.near) near.add(s.id);
      return {
        storyId: s.id,
        decidedAt,
        relevant: d.relevant,
        score: d.score,
        briefId: d.brief,
        briefScore: d.briefScore,
        reasons: d.reasons,
        clusterKey: null,
      };
    });
    await store.matches.save(decisions);
    if (decisions.some((d) => d.relevant) || near.size) {
      const decided = new Map(decisions.map((d) => [d.storyId, d]));
      await this.cluster(
        stories.filter((_, i) => decisions[i]!.relevant || near.has(stories[i]!.id)),
        decided,
        near,
      );
      // Stories found relevant through their event (cluster() replaced their decisions).
      return decisions.map((d) => decided.get(d.storyId)!);
    }
    return decisions;
  }

  /**
   * Decides every stored story that has no decision yet (stored before a crash
   * let it be decided, by `dealbot ingest`, or while matching failed), reading
   * the durable undecided queue in batches of at most `batch` (default 500, fewer
   * when that would hold the event loop over ~8 ms), oldest first so events keep
   * the key of their first story, and yielding to the event loop between
   * batches, until the queue is empty. Called at start, after each
   * poll and at the end of `poll --once` and `ingest`. A call while a drain runs
   * joins it. Resolves with how many stories it decided.
   */
  drainUndecided(options: { batch?: number } = {}): Promise<number> {
    return (this.draining ??= this.drain(options.batch ?? DRAIN_BATCH).finally(() => (this.draining = undefined)));
  }

  /** Stops draining after the current batch (before the store closes) and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining?.catch(() => undefined);
  }

  private async drain(batch: number): Promise<number> {
    let decided = 0;
    if (this.retry.size && !this.stopped) {
      const again = [...this.retry];
      this.retry.clear();
      decided += (await this.matchStories(again)).length;
    }
    while (!this.stopped) {
      const grace = this.deps.undecidedGraceMs;
      const storedBefore = grace === undefined ? undefined : new Date(this.now().getTime() - grace).toISOString();
      const ids = await this.deps.store.matches.undecided(Math.min(batch, this.batch.size), { storedBefore });
      if (!ids.length) break;
      const decisions = await this.matchStories(ids);
      if (!decisions.length) {
        // getMany found none of them: the queue names stories the store does not hold.
        throw new Error(
          `the undecided queue (table undecided_stories) names stories that are not stored (${ids.slice(0, 3).join(', ')}…); ` +
            'the database is inconsistent: delete those rows from undecided_stories',
        );
      }
      decided += decisions.length;
      await yieldToLoop();
    }
    // Stored events still waiting for their lead (the migration's backfill): once each, then never again.
    while (!this.stopped && (await this.oneStep(() => completeWaitingEvents(this.store, EVENT_STEP_MS))) > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return decided;
  }

  /**
   * Files new relevant stories into events through the event index kept between
   * polls (built once from the stored events of the window). A key, once given,
   * never changes (the delivery ledger remembers events by it): a story that joins
   * an event takes its key; one that starts an event gives it its own id.
   */
  private async cluster(fresh: StoredStory[], decided: Map<string, StoredDecision>, near: Set<string>): Promise<void> {
    const index = await this.eventIndex();
    await this.catchUp(index);
    const windowMs = this.deps.clusterWindowMs ?? DEFAULT_WINDOW_MS;
    index.evict(this.now().getTime() - 2 * windowMs);
    // A story filed before (re-decided after a reload) keeps its event: keys never change.
    const notIndexed = fresh.filter((s) => !index.keyOf(s.id));
    const known = await this.store.matches.getMany(fresh.map((s) => s.id));
    const promoted: StoredDecision[] = [];
    // A near story re-decided (after a reload) that has an event was found relevant through it: it stays so.
    for (const s of fresh) {
      const key = known.get(s.id)?.clusterKey;
      if (near.has(s.id) && key)
        promoted.push(this.promote(decided, s.id, `${THROUGH_EVENT}: it reports the happening of the event of ${key}`));
    }
    const events: { storyId: string; clusterKey: string; note: string; outlet: EventOutlet; sure: boolean }[] = [];
    // Every story filed here, by id: fresh ones and near ones found again through their event.
    const filedStories = new Map<string, StoredStory>();
    const file = async (story: StoredStory, features: EventFeatures): Promise<void> => {
      const a = index.assign(story.id, storyTime(story), features);
      const shared = a.shared.length ? `; shared: ${a.shared.join(', ')}` : '';
      const note = a.joined
        ? `joined the event of ${a.key} (similarity ${a.score} with it${shared}), now ${a.size} stories`
        : `started an event (best similarity ${a.score}, below ${index.threshold}${shared})`;
      filedStories.set(story.id, story);
      events.push({
        storyId: story.id,
        clusterKey: a.key,
        note,
        outlet: eventOutlet(story),
        sure: a.joined && a.score >= index.threshold + SURE_JOIN_MARGIN,
      });
      // Near stories seen earlier (before their event had a relevant story, or in words it did
      // not yet have) that now clearly report it: relevant through it, and filed into it.
      for (const h of index.reprobe(a.key, features)) {
        if (!sureProbe(h, index.threshold)) continue;
        const held = await this.store.stories.get(h.id);
        if (!held) continue;
        if (!decided.has(h.id)) {
          const earlier = await this.store.matches.get(h.id);
          if (!earlier) continue;
          decided.set(h.id, earlier);
        }
        promoted.push(this.promote(decided, h.id, await this.throughEvent(a.key, h.score)));
        await file(held, h.features);
      }
    };
    for (const s of notIndexed
      .filter((s) => !known.get(s.id)?.clusterKey)
      .sort((a, b) => storyTime(a) - storyTime(b))) {
      const features = eventFeatures(s);
      if (near.has(s.id)) {
        // Relevant only if it clearly reports a happening relevant stories report.
        const p = index.probe(storyTime(s), features);
        if (!p || !sureProbe(p, index.threshold)) {
          index.hold({ id: s.id, time: storyTime(s), features });
          continue;
        }
        promoted.push(this.promote(decided, s.id, await this.throughEvent(p.key, p.score)));
      }
      await file(s, features);
    }
    if (promoted.length) await this.store.matches.save(promoted);
    if (events.length) await this.store.matches.setEvents(events);
    await this.attachThroughEvents(
      events.filter((e) => e.sure),
      decided,
    );
    // The stored events these stories joined or started: their leads, by news-event.ts's rule.
    const filed = new Map<string, EventMember[]>();
    for (const e of events) {
      const member = { story: filedStories.get(e.storyId)!, score: decided.get(e.storyId)?.score ?? 0 };
      const list = filed.get(e.clusterKey);
      if (list) list.push(member);
      else filed.set(e.clusterKey, [member]);
    }
    if (filed.size) await completeEvents(this.store, filed.keys(), filed);
  }

  /** The reason of a story found relevant through the event `key`. */
  private async throughEvent(key: string, score: number): Promise<string> {
    const size = (await this.store.matches.eventBriefCounts(key)).reduce((n, c) => n + c.count, 0);
    return `${THROUGH_EVENT}: it reports the happening of the event of ${key} (${size} relevant ${size === 1 ? 'story' : 'stories'}; similarity ${score})`;
  }

  /** Marks a near story relevant, with the reason, in `decided` too; returns the new decision. */
  private promote(decided: Map<string, StoredDecision>, storyId: string, reason: string): StoredDecision {
    const self = decided.get(storyId)!;
    const reasons = self.reasons.filter((r) => !/below the relevance threshold|^no entry complete/.test(r));
    const next: StoredDecision = { ...self, relevant: true, reasons: [...reasons, reason] };
    decided.set(storyId, next);
    return next;
  }

  /**
   * A relevant story about the brief's story may name none of the brief's terms
   * (Toyota's answer to a figure Trump gave): it belongs to the brief when the
   * event it reports does: when it joined the event clearly (well above the join
   * threshold) and at least half of the event's other stories are tied to one brief.
   * A clustering mistake must not carry a story into a brief, hence the margin.
   */
  private async attachThroughEvents(
    joined: { storyId: string; clusterKey: string }[],
    decided: Map<string, StoredDecision>,
  ): Promise<void> {
    const { store } = this;
    const updates: StoredDecision[] = [];
    const untied = joined.filter(({ storyId }) => {
      const self = decided.get(storyId);
      return self?.relevant && !self.briefId;
    });
    if (!untied.length) return;
    // Read at once: nothing is saved until the end, so the counts do not change meanwhile.
    const briefCounts = await store.matches.eventBriefCountsOf([...new Set(untied.map((j) => j.clusterKey))]);
    for (const { storyId, clusterKey } of untied) {
      const self = decided.get(storyId)!;
      // The event's other relevant stories, counted by brief (this one is among the untied).
      const counts = briefCounts.get(clusterKey)!;
      const others = counts.reduce((n, c) => n + c.count, 0) - 1;
      const [top] = counts.filter((c) => c.briefId).sort((a, b) => b.count - a.count);
      if (!top || top.count * 2 < others) continue;
      const brief = top.briefId!;
      const reason = `brief ${brief} through its event: ${top.count} of the ${others} other stories about the same happening are tied to it`;
      updates.push({
        ...self,
        briefId: brief,
        reasons: [...self.reasons.filter((r) => !r.startsWith('no brief')), reason],
      });
    }
    if (updates.length) await store.matches.save(updates);
  }

  /**
   * Replicas: puts into the index the stories other replicas filed into events since
   * its last look (an indexed read by filing time, a page at a time), so a happening
   * another replica has an event for joins that event here rather than starting a
   * second one. Stories the index knows (this replica filed them, or read them
   * before) are skipped. A store without filedSince (SQLite: one process) has none.
   */
  private async catchUp(index: EventIndex): Promise<void> {
    const { matches, stories } = this.store;
    if (!matches.filedSince || this.filedCursor === undefined) return;
    for (;;) {
      const page = await matches.filedSince(this.filedCursor, CATCH_UP_PAGE);
      this.filedCursor = page.cursor;
      const keys = new Map(page.filed.filter((f) => !index.keyOf(f.storyId)).map((f) => [f.storyId, f.clusterKey]));
      if (keys.size) {
        for (const s of (await stories.getMany([...keys.keys()])).sort((a, b) => storyTime(a) - storyTime(b))) {
          index.restore(s.id, keys.get(s.id)!, storyTime(s), eventFeatures(s));
        }
      }
      if (page.filed.length < CATCH_UP_PAGE) return;
    }
  }

  /** The event index, built from the stored events of the window on first use and when the threshold changes. */
  private async eventIndex(): Promise<EventIndex> {
    const threshold = this.deps.getConfig().matching.cluster_similarity;
    if (this.index?.threshold === threshold) return this.index;
    const windowMs = this.deps.clusterWindowMs ?? DEFAULT_WINDOW_MS;
    const index = new EventIndex({ threshold, windowMs });
    const { store } = this;
    // Taken before the stored events are read: what others file from here on is read by catchUp.
    this.filedCursor = (await store.matches.filedSince?.(null, 0))?.cursor;
    const pool = await store.matches.relevantSince(new Date(this.now().getTime() - 2 * windowMs).toISOString());
    const keys = new Map(pool.map((d) => [d.storyId, d.clusterKey]));
    const stories = await store.stories.getMany(pool.filter((d) => d.clusterKey).map((d) => d.storyId));
    for (const s of stories.sort((a, b) => storyTime(a) - storyTime(b))) {
      index.restore(s.id, keys.get(s.id)!, storyTime(s), eventFeatures(s));
    }
    return (this.index = index);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
