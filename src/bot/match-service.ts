import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config, FeedConfig } from '../config/schema.js';
import type { Store } from '../store/store.js';
import type { Story, StoredStory } from '../store/story.js';
import { clusterStories } from '../events/cluster.js';
import { FeedFilter } from '../matching/feed-filter.js';
import type { StoredDecision } from '../store/match-repo.js';
import { matcherFor } from '../matching/matcher-cache.js';
import type { RelevanceMatcher } from '../matching/relevance.js';

/**
 * Matching inside the running bot: the poller's two hooks. `filter` applies a
 * feed's include/exclude before a story is stored (and records what it dropped,
 * for `dealbot why`); `onNewStories` decides every new story, stores the
 * decision, and files relevant stories into event clusters. The matcher is
 * rebuilt only when the briefs or the matching config are replaced (reload).
 */

const DEFAULT_WINDOW_MS = 3 * 86_400_000;

export interface MatchServiceDeps {
  store: Store;
  getBriefs: () => BriefRegistry;
  getConfig: () => Config;
  now?: () => Date;
  /** Stories further apart than this are never one event (default 3 days). */
  clusterWindowMs?: number;
}

export class MatchService {
  private filters = new WeakMap<FeedConfig, FeedFilter>();

  constructor(private readonly deps: MatchServiceDeps) {}

  get matcher(): RelevanceMatcher {
    return matcherFor(this.deps.getBriefs(), this.deps.getConfig().matching);
  }

  /** The poller's StoryFilter hook. */
  readonly filter = (story: Story, feed: FeedConfig): { keep: boolean; reason?: string } => {
    if (!feed.include.length && !feed.exclude.length) return { keep: true };
    let f = this.filters.get(feed);
    if (!f) this.filters.set(feed, (f = new FeedFilter(feed.id, feed.include, feed.exclude)));
    const verdict = f.check(story);
    if (verdict.kept) return { keep: true };
    this.deps.store.matches.recordFiltered({
      storyId: story.id,
      url: story.url,
      feedId: feed.id,
      title: story.title,
      reason: verdict.reason!,
      at: this.now().toISOString(),
    });
    return { keep: false, reason: verdict.reason! };
  };

  /** The poller's onNewStories hook. */
  readonly onNewStories = (storyIds: string[]): void => {
    this.matchStories(storyIds);
  };

  /** Decides the stories (stored ones, by id), stores the decisions and clusters the relevant ones. */
  matchStories(storyIds: string[]): StoredDecision[] {
    const { store } = this.deps;
    const stories = store.stories.getMany(storyIds);
    const matcher = this.matcher;
    const decidedAt = this.now().toISOString();
    const decisions = stories.map((s): StoredDecision => {
      const d = matcher.decide(s);
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
    store.matches.save(decisions);
    if (decisions.some((d) => d.relevant)) this.cluster(stories.filter((_, i) => decisions[i]!.relevant));
    return decisions;
  }

  /**
   * Decides stored stories that have no decision yet (stored before matching
   * ran, or while it was off): call once at start. Returns how many it decided.
   */
  backfill(options: { seenSince?: string; limit?: number } = {}): number {
    const { store } = this.deps;
    const recent = store.stories.recent({
      limit: options.limit ?? 5_000,
      includeBacklog: true,
      ...(options.seenSince ? { seenSince: options.seenSince } : {}),
    });
    const known = store.matches.getMany(recent.map((s) => s.id));
    // Oldest first, so events keep the key of their first story.
    const missing = recent
      .filter((s) => !known.has(s.id))
      .map((s) => s.id)
      .reverse();
    if (missing.length) this.matchStories(missing);
    return missing.length;
  }

  /**
   * Files new relevant stories into events among the relevant stories of the
   * window around them. A key, once given, never changes (the delivery ledger
   * remembers events by it): new stories take the key their event already has.
   */
  private cluster(fresh: StoredStory[]): void {
    const { store } = this.deps;
    const windowMs = this.deps.clusterWindowMs ?? DEFAULT_WINDOW_MS;
    const earliest = Math.min(...fresh.map((s) => Date.parse(s.firstSeen)));
    const pool = store.matches.relevantSince(new Date(earliest - windowMs).toISOString());
    const keys = new Map(pool.map((d) => [d.storyId, d.clusterKey]));
    const stories = store.stories.getMany(pool.map((d) => d.storyId));
    const clusters = clusterStories(stories, {
      similarity: this.deps.getConfig().matching.cluster_similarity,
      windowMs,
    });
    for (const c of clusters) {
      const unkeyed = c.members.filter((m) => !keys.get(m.id));
      if (!unkeyed.length) continue;
      const keyed = c.members.filter((m) => keys.get(m.id)).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
      const key = keyed.length ? keys.get(keyed[0]!.id)! : c.first.id;
      store.matches.setCluster(
        unkeyed.map((m) => m.id),
        key,
      );
    }
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
