import { asyncFromSync } from '../../src/store/async-store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { completeEvents, completeWaitingEvents, eventOutlet } from '../../src/bot/event-leads.js';
import { MatchService } from '../../src/bot/match-service.js';
import { configSchema } from '../../src/config/schema.js';
import type { BriefRegistry } from '../../src/briefs/brief-registry.js';
import type { StoredDecision } from '../../src/store/match-repo.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { migrate, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { createSqliteStoryRepo } from '../../src/store/sqlite/sqlite-story-repo.js';
import type { Store } from '../../src/store/store.js';
import type { Story } from '../../src/store/story.js';
import { story } from './story-factory.js';

const SEEN = '2025-10-28T10:00:00.000Z';
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function memoryStore(): Store {
  const s = openSyncStore(':memory:');
  stores.push(s);
  return s;
}

function decision(storyId: string, over: Partial<StoredDecision> = {}): StoredDecision {
  return {
    storyId,
    decidedAt: SEEN,
    relevant: true,
    score: 0.8,
    briefId: 'minerals',
    briefScore: 0.5,
    reasons: [],
    clusterKey: null,
    ...over,
  };
}

/** What the match step does for new stories: decisions, then events with outlets, then leads. */
async function file(
  store: Store,
  stories: Story[],
  decisions: StoredDecision[],
  keys: Record<string, string>,
): Promise<void> {
  store.matches.save(decisions);
  const stored = new Map(store.stories.getMany(stories.map((s) => s.id)).map((s) => [s.id, s]));
  const filed = decisions.filter((d) => d.relevant && keys[d.storyId]);
  store.matches.setEvents(
    filed.map((d) => ({
      storyId: d.storyId,
      clusterKey: keys[d.storyId]!,
      note: 'test',
      outlet: eventOutlet(stored.get(d.storyId)!),
    })),
  );
  const fresh = new Map<string, { story: NonNullable<ReturnType<typeof stored.get>>; score: number }[]>();
  for (const d of filed) {
    const key = keys[d.storyId]!;
    fresh.set(key, [...(fresh.get(key) ?? []), { story: stored.get(d.storyId)!, score: d.score }]);
  }
  await completeEvents(asyncFromSync(store), fresh.keys(), fresh);
}

const signing = [
  story({ id: 'a', title: 'Japan and US sign rare earth deal', url: 'https://www.reuters.com/a' }),
  story({
    id: 'b',
    title: 'Japan and US sign rare earth deal in Tokyo - Nikkei Asia',
    url: 'https://asia.nikkei.com/b',
    summary: 'The leaders signed a framework on critical minerals.',
    published: '2025-10-28T11:00:00.000Z', // after it was first seen: a clock error, first seen counts
  }),
  story({ id: 'c', title: 'US, Japan sign minerals pact', url: 'https://www.reuters.com/c', published: null }),
];

// What the store alone does with events runs on both engines: tests/store/contract/events.contract.test.ts.
// Here: the match step's leads on SQLite, its query plans and its migration.
describe('the events table', () => {
  it('follows decisions and event keys as they are saved: counts, times, brief, outlets and lead', async () => {
    const store = memoryStore();
    store.stories.upsert(signing, { seenAt: SEEN });
    await file(
      store,
      signing,
      [decision('a', { score: 0.7 }), decision('b', { score: 0.7 }), decision('c', { score: 0.9, briefId: null })],
      { a: 'a', b: 'a', c: 'a' },
    );
    const row = store.matches.events(['a']).get('a')!;
    expect(row).toMatchObject({
      briefId: 'minerals',
      firstSeen: SEEN,
      newest: SEEN, // b was published after first seen, c is undated: both count from first seen
      storyCount: 3,
      outletCount: 2,
      outlets: ['Reuters', 'Nikkei Asia'],
      bestScore: 0.9,
    });
    // The lead rule of news-event.ts: relevance first (c scores highest).
    expect(row).toMatchObject({ leadId: 'c', leadScore: 0.9 });
    expect(store.matches.eventBriefCounts('a')).toEqual([
      { briefId: null, count: 1 },
      { briefId: 'minerals', count: 2 },
    ]);

    // Attached through its event: the brief counts move; nothing else is computed again.
    store.matches.save([decision('c', { score: 0.9, briefId: 'minerals' })]);
    expect(store.matches.eventBriefCounts('a')).toEqual([{ briefId: 'minerals', count: 3 }]);
    expect(store.matches.events(['a']).get('a')!.leadId).toBe('c');

    // A member whose score changes: the event is computed again and waits for its lead.
    store.matches.save([decision('c', { score: 0.5, briefId: 'other' })]);
    expect(store.matches.eventsWithoutLead(10)).toEqual(['a']);
    const waiting = store.matches.events(['a']).get('a')!;
    expect(waiting).toMatchObject({ leadId: null, storyCount: 3, bestScore: 0.7, outletCount: 0 });
    expect(await completeWaitingEvents(asyncFromSync(store), 50)).toBe(1);
    // Equal scores: the story with a summary leads. Outlets are listed again, in the order they reported it.
    expect(store.matches.events(['a']).get('a')).toMatchObject({
      leadId: 'b',
      outletCount: 2,
      outlets: ['Reuters', 'Nikkei Asia'],
    });
    // A story that stops being relevant leaves its event.
    store.matches.save([decision('c', { relevant: false, score: 0.5, briefId: null })]);
    expect(store.matches.events(['a']).get('a')).toMatchObject({ storyCount: 2, leadId: null });
    expect(store.matches.eventBriefCounts('a')).toEqual([{ briefId: 'minerals', count: 2 }]);
  });

  it('takes the brief most members are tied to, counts outlets exactly while listing a bounded number, and skips backlog', async () => {
    const store = memoryStore();
    const many = Array.from({ length: 25 }, (_, i) =>
      story({ id: `s${i}`, url: `https://outlet${i}.example/${i}`, title: 'Rare earth talks' }),
    );
    store.stories.upsert(many, { seenAt: SEEN });
    store.stories.upsert(
      [story({ id: 'old', url: 'https://archive.example/old', published: '2024-01-01T00:00:00.000Z' })],
      { seenAt: SEEN, backlogBefore: '2025-01-01T00:00:00.000Z' },
    );
    const decisions = many.map((s, i) => decision(s.id, { briefId: i < 10 ? 'a-brief' : i < 22 ? 'b-brief' : null }));
    const keys = Object.fromEntries([...many.map((s) => [s.id, 'k']), ['old', 'k']]);
    await file(store, [...many, story({ id: 'old' })], [...decisions, decision('old', { score: 1 })], keys);
    const row = store.matches.events(['k']).get('k')!;
    expect(row.briefId).toBe('b-brief');
    expect(row.storyCount).toBe(25);
    expect(row.outletCount).toBe(25);
    expect(row.outlets).toHaveLength(20);
    // The backlog story counts for the brief tally (as eventBriefCounts always did) but never leads or scores.
    expect(row.bestScore).toBe(0.8);
    expect(row.leadId).not.toBe('old');
    expect(store.matches.eventBriefCounts('k').find((c) => c.briefId === 'minerals')?.count).toBe(1);
  });

  it('reads through indexes, never scanning a table, on the match and digest path', () => {
    const db = new Database(':memory:');
    migrate(db);
    // Scanning a partial index is fine: it holds only the rows asked for (events waiting, deliveries pending).
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .filter((d) => !/INDEX (events_without_lead|digest_deliveries_pending)\b/.test(d))
        .join('; ');
    const queries = [
      `SELECT e.key, e.brief_id, e.newest, e.outlet_count, e.lead_id, e.lead_score, e.best_score FROM events e
       WHERE e.brief_id = 'x' AND e.newest >= 'y' AND e.best_score >= 0.5 ORDER BY e.newest DESC, e.key LIMIT 5`,
      `SELECT key FROM events WHERE lead_id IS NULL LIMIT 5`,
      `SELECT brief_id, count FROM event_briefs WHERE event_key = 'k'`,
      `SELECT m.story_id FROM story_matches m JOIN stories s ON s.id = m.story_id WHERE m.cluster_key = 'k' AND m.relevant = 1 AND s.backlog = 0 AND s.first_seen >= 'y'`,
      `SELECT m.* FROM story_matches m JOIN stories s ON s.id = m.story_id WHERE m.relevant = 1 AND s.first_seen >= 'y' ORDER BY +s.sort_time`,
      `SELECT * FROM digest_deliveries WHERE status = 'pending' ORDER BY created_at, rowid`,
    ];
    for (const sql of queries) expect(plan(sql), sql).not.toMatch(/\bSCAN\b|TEMP B-TREE FOR ORDER BY.*\bLIMIT\b/);
    // Ranking the newest events reads the index alone, in its order.
    expect(plan(queries[0]!)).toBe('SEARCH e USING COVERING INDEX events_brief_newest (brief_id=? AND newest>?)');
    db.close();
  });
});

describe('the events table after an upgrade', () => {
  it('is backfilled by the migration, completed once by the match step, and a restart computes nothing again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-events-'));
    const before = path.join(dir, 'v5.db');
    // A database of the previous version, with decided and filed stories.
    const db = new Database(before);
    migrate(db, MIGRATIONS.slice(0, 5));
    createSqliteStoryRepo(db).upsert(signing, { seenAt: SEEN });
    const insert = db.prepare(
      `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
       VALUES (?, ?, 1, ?, ?, 0.5, '[]', 'a')`,
    );
    insert.run('a', SEEN, 0.7, 'minerals');
    insert.run('b', SEEN, 0.7, 'minerals');
    insert.run('c', SEEN, 0.9, null);
    db.close();

    const store = openSyncStore(before);
    stores.push(store);
    expect(store.matches.events(['a']).get('a')).toMatchObject({
      briefId: 'minerals',
      storyCount: 3,
      bestScore: 0.9,
      leadId: null,
    });
    const service = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => ({}) as BriefRegistry,
      getConfig: () => configSchema.parse({}),
    });
    expect(await service.drainUndecided()).toBe(0);
    expect(store.matches.eventsWithoutLead(10)).toEqual([]);

    // The same stories filed by the live match step give the same row.
    const live = memoryStore();
    live.stories.upsert(signing, { seenAt: SEEN });
    await file(
      live,
      signing,
      [decision('a', { score: 0.7 }), decision('b', { score: 0.7 }), decision('c', { score: 0.9, briefId: null })],
      { a: 'a', b: 'a', c: 'a' },
    );
    expect(store.matches.events(['a']).get('a')).toEqual(live.matches.events(['a']).get('a'));

    // Restart: nothing waits, so the drain reads no event's stories.
    store.close();
    const again = openSyncStore(before);
    stores.push(again);
    const members = vi.spyOn(again.matches, 'clusterMembers');
    await new MatchService({
      store: asyncFromSync(again),
      getBriefs: () => ({}) as BriefRegistry,
      getConfig: () => configSchema.parse({}),
    }).drainUndecided();
    expect(members).not.toHaveBeenCalled();
    expect(again.matches.events(['a']).get('a')).toEqual(live.matches.events(['a']).get('a'));
  });
});

describe('a backfilled event', () => {
  it('joined by a new story before the drain reached it still lists every outlet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-events-'));
    const file_ = path.join(dir, 'v5.db');
    const db = new Database(file_);
    migrate(db, MIGRATIONS.slice(0, 5));
    createSqliteStoryRepo(db).upsert(signing.slice(0, 2), { seenAt: SEEN });
    const insert = db.prepare(
      `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
       VALUES (?, ?, 1, 0.7, 'minerals', 0.5, '[]', 'a')`,
    );
    insert.run('a', SEEN);
    insert.run('b', SEEN);
    db.close();
    const store = openSyncStore(file_);
    stores.push(store);
    const late = story({ id: 'd', title: 'Japan, US sign rare earth deal | Kyodo', url: 'https://kyodonews.net/d' });
    store.stories.upsert([late], { seenAt: SEEN });
    await file(store, [late], [decision('d', { score: 0.6 })], { d: 'a' });
    expect(store.matches.events(['a']).get('a')).toMatchObject({
      storyCount: 3,
      outletCount: 3,
      // In the order they reported it: d was published with a, before b.
      outlets: ['Reuters', 'Kyodo News', 'Nikkei Asia'],
      leadId: 'b',
    });
    expect(store.matches.eventsWithoutLead(10)).toEqual([]);
  });
});
