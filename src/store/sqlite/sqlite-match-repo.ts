import type { Database } from 'better-sqlite3';
import type { FilteredStory, MatchRepo, StoredDecision, StoryDelivery } from '../match-repo.js';

interface Row {
  story_id: string;
  decided_at: string;
  relevant: number;
  score: number;
  brief_id: string | null;
  brief_score: number;
  reasons: string;
  cluster_key: string | null;
  event_note?: string | null;
}

const fromRow = (r: Row): StoredDecision => ({
  storyId: r.story_id,
  decidedAt: r.decided_at,
  relevant: r.relevant === 1,
  score: r.score,
  briefId: r.brief_id,
  briefScore: r.brief_score,
  reasons: JSON.parse(r.reasons) as string[],
  clusterKey: r.cluster_key,
  eventNote: r.event_note ?? null,
});

/** The match decisions and filter drops in SQLite (tables of migration 3, match-migration.ts; the undecided queue of migration 5). */
export function createSqliteMatchRepo(db: Database): MatchRepo {
  const upsert = db.prepare(`
    INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
    VALUES (@storyId, @decidedAt, @relevant, @score, @briefId, @briefScore, @reasons, @clusterKey)
    ON CONFLICT (story_id) DO UPDATE SET decided_at = excluded.decided_at, relevant = excluded.relevant,
      score = excluded.score, brief_id = excluded.brief_id, brief_score = excluded.brief_score,
      reasons = excluded.reasons, cluster_key = COALESCE(excluded.cluster_key, story_matches.cluster_key)`);
  const getOne = db.prepare('SELECT * FROM story_matches WHERE story_id = ?');
  const undecided = db.prepare<[number], { story_id: string }>(
    'SELECT story_id FROM undecided_stories ORDER BY seq LIMIT ?',
  );
  const relevantSince = db.prepare(
    `SELECT m.* FROM story_matches m JOIN stories s ON s.id = m.story_id WHERE m.relevant = 1 AND s.first_seen >= ? ORDER BY s.sort_time`,
  );
  const setCluster = db.prepare('UPDATE story_matches SET cluster_key = ? WHERE story_id = ?');
  const setEvent = db.prepare('UPDATE story_matches SET cluster_key = ?, event_note = ? WHERE story_id = ?');
  const members = db.prepare('SELECT * FROM story_matches WHERE cluster_key = ? LIMIT ?');
  const briefCounts = db.prepare(
    'SELECT brief_id AS briefId, COUNT(*) AS count FROM story_matches WHERE cluster_key = ? AND relevant = 1 GROUP BY brief_id',
  );
  const insertFiltered = db.prepare(`
    INSERT INTO filtered_stories (story_id, url, feed_id, title, reason, at) VALUES (@storyId, @url, @feedId, @title, @reason, @at)
    ON CONFLICT (story_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, feed_id = excluded.feed_id`);
  const getFiltered = db.prepare('SELECT * FROM filtered_stories WHERE story_id = ? OR url = ? LIMIT 1');
  const deliveries = db.prepare(`
    SELECT d.id, d.channel_key, d.kind, d.status, d.created_at, d.sent_at, s.role
    FROM digest_delivery_stories s JOIN digest_deliveries d ON d.id = s.delivery_id
    WHERE s.story_id = ? ORDER BY d.created_at`);

  const saveAll = db.transaction((decisions: StoredDecision[]) => {
    for (const d of decisions) {
      upsert.run({ ...d, relevant: d.relevant ? 1 : 0, reasons: JSON.stringify(d.reasons) });
    }
  });

  return {
    save: (decisions) => saveAll(decisions),
    get: (storyId) => {
      const r = getOne.get(storyId) as Row | undefined;
      return r ? fromRow(r) : null;
    },
    undecided: (limit) => undecided.all(Math.max(0, Math.floor(limit))).map((r) => r.story_id),
    getMany(storyIds) {
      const out = new Map<string, StoredDecision>();
      // SQLite caps bound parameters; 500 at a time stays far below it.
      for (let i = 0; i < storyIds.length; i += 500) {
        const chunk = storyIds.slice(i, i + 500);
        const rows = db
          .prepare(`SELECT * FROM story_matches WHERE story_id IN (${chunk.map(() => '?').join(',')})`)
          .all(...chunk) as Row[];
        for (const r of rows) out.set(r.story_id, fromRow(r));
      }
      return out;
    },
    forBriefs(briefIds, { since, minScore, limit }) {
      if (briefIds.length === 0) return [];
      const sql = `SELECT m.* FROM story_matches m JOIN stories s ON s.id = m.story_id
        WHERE m.brief_id IN (${briefIds.map(() => '?').join(',')}) AND s.backlog = 0
        ${since ? 'AND s.first_seen >= ?' : ''} ${minScore !== undefined ? 'AND m.score >= ?' : ''}
        ORDER BY s.sort_time DESC, s.seq DESC ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`;
      const params: (string | number)[] = [
        ...briefIds,
        ...(since ? [since] : []),
        ...(minScore !== undefined ? [minScore] : []),
      ];
      return (db.prepare(sql).all(...params) as Row[]).map(fromRow);
    },
    relevantSince: (since) => (relevantSince.all(since) as Row[]).map(fromRow),
    setCluster: db.transaction((storyIds: string[], key: string) => {
      for (const id of storyIds) setCluster.run(key, id);
    }),
    setEvents: db.transaction((events: { storyId: string; clusterKey: string; note: string }[]) => {
      for (const e of events) setEvent.run(e.clusterKey, e.note, e.storyId);
    }),
    eventBriefCounts: (key) => briefCounts.all(key) as { briefId: string | null; count: number }[],
    clusterMembers: (key, limit = -1) => (members.all(key, limit) as Row[]).map(fromRow),
    recordFiltered: (s: FilteredStory) => void insertFiltered.run(s),
    getFiltered(idOrUrl) {
      const r = getFiltered.get(idOrUrl, idOrUrl) as
        | { story_id: string; url: string | null; feed_id: string; title: string; reason: string; at: string }
        | undefined;
      return r
        ? { storyId: r.story_id, url: r.url, feedId: r.feed_id, title: r.title, reason: r.reason, at: r.at }
        : null;
    },
    deliveriesOf(storyId): StoryDelivery[] {
      const rows = deliveries.all(storyId) as {
        id: string;
        channel_key: string;
        kind: string;
        status: string;
        created_at: string;
        sent_at: string | null;
        role: string;
      }[];
      return rows.map((r) => ({
        deliveryId: r.id,
        channelKey: r.channel_key,
        kind: r.kind,
        status: r.status,
        role: r.role,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      }));
    },
  };
}
