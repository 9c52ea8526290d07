import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import {
  EVENT_OUTLETS_LISTED,
  type EventHead,
  type EventOutlet,
  type FilteredStory,
  type MatchRepo,
  type StoredDecision,
  type StoredEvent,
  type StoryDelivery,
} from '../match-repo.js';
import {
  decisionFromRow,
  EVENT_COLUMNS,
  EVENT_HEAD_COLUMNS,
  eventFromRow,
  filteredFromRow,
  STORY_DELIVERIES_SELECT,
  storyDeliveryFromRow,
  type DecisionRow,
  type EventRow,
  type FilteredRow,
  type StoryDeliveryRow,
} from '../table-rows.js';

// Read as arrays (better-sqlite3's raw mode): a digest ranks hundreds of events, and building
// an object per row cost as much as the query.
type HeadRow = [string, string | null, string, number, number, string | null, number | null, number];

const fromHeadRow = ([
  key,
  briefId,
  newest,
  storyCount,
  outletCount,
  leadId,
  leadScore,
  bestScore,
]: HeadRow): EventHead => ({
  key,
  briefId,
  newest,
  storyCount,
  outletCount,
  leadId,
  leadScore: leadId === null ? null : leadScore,
  bestScore,
});

/**
 * The match decisions and filter drops in SQLite (tables of migration 3, match-migration.ts; the undecided
 * queue of migration 5; the events table of migration 6, events-migration.ts, whose triggers follow save and setEvents).
 */
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
  const undecidedBefore = db.prepare<[string, number], { story_id: string }>(
    `SELECT u.story_id FROM undecided_stories u JOIN stories s ON s.seq = u.seq
     WHERE s.first_seen < ? ORDER BY u.seq LIMIT ?`,
  );
  // "+" keeps SQLite from walking every story in sort_time order: the first_seen range is the small part.
  const relevantSince = db.prepare(
    `SELECT m.* FROM story_matches m JOIN stories s ON s.id = m.story_id WHERE m.relevant = 1 AND s.first_seen >= ? ORDER BY +s.sort_time`,
  );
  const setCluster = db.prepare('UPDATE story_matches SET cluster_key = ? WHERE story_id = ?');
  const setEvent = db.prepare('UPDATE story_matches SET cluster_key = ?, event_note = ? WHERE story_id = ?');
  const members = db.prepare('SELECT * FROM story_matches WHERE cluster_key = ? LIMIT ?');
  const membersOf = (key: string, limit = -1) => (members.all(key, limit) as DecisionRow[]).map(decisionFromRow);
  const briefCounts = db.prepare<[string], { briefId: string; count: number }>(
    'SELECT brief_id AS briefId, count FROM event_briefs WHERE event_key = ? AND count > 0 ORDER BY brief_id',
  );
  const countsOf = (key: string) => briefCounts.all(key).map((r) => ({ briefId: r.briefId || null, count: r.count }));
  // An outlet counts once per event, and only for a story readers may see (its event row exists then).
  const addOutlet = db.prepare(`
    INSERT OR IGNORE INTO event_outlets (event_key, outlet_key)
    SELECT @key, @outletKey WHERE EXISTS (SELECT 1 FROM events WHERE key = @key)
      AND EXISTS (SELECT 1 FROM stories WHERE id = @storyId AND backlog = 0)`);
  const countOutlet = db.prepare(`
    UPDATE events SET outlet_count = outlet_count + 1,
      outlets = CASE WHEN json_array_length(outlets) < ${EVENT_OUTLETS_LISTED} THEN json_insert(outlets, '$[#]', @name) ELSE outlets END
    WHERE key = @key`);
  const setLead = db.prepare(
    'UPDATE events SET lead_id = @leadId, lead_score = (SELECT score FROM story_matches WHERE story_id = @leadId) WHERE key = @key',
  );
  const clearOutlets = db.prepare('DELETE FROM event_outlets WHERE event_key = ?');
  const setOutlets = db.prepare('UPDATE events SET outlet_count = ?, outlets = ? WHERE key = ?');
  const insertOutlet = db.prepare('INSERT OR IGNORE INTO event_outlets (event_key, outlet_key) VALUES (?, ?)');
  const withoutLead = db.prepare<[number], { key: string }>('SELECT key FROM events WHERE lead_id IS NULL LIMIT ?');
  const eventByKey = db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.key = ?`);
  const insertFiltered = db.prepare(`
    INSERT INTO filtered_stories (story_id, url, feed_id, title, reason, at) VALUES (@storyId, @url, @feedId, @title, @reason, @at)
    ON CONFLICT (story_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, feed_id = excluded.feed_id`);
  const getFiltered = db.prepare('SELECT * FROM filtered_stories WHERE story_id = ? OR url = ? LIMIT 1');
  const deliveries = db.prepare<[string], StoryDeliveryRow>(
    `${STORY_DELIVERIES_SELECT} WHERE s.story_id = ? ORDER BY d.created_at`,
  );

  const latest = new Map<string, BetterSqlite3.Statement<(string | number)[], HeadRow>>();
  const latestQuery = (since: boolean, minScore: boolean) => {
    const id = `${since}${minScore}`;
    let q = latest.get(id);
    if (!q) {
      q = db.prepare<(string | number)[], HeadRow>(`SELECT ${EVENT_HEAD_COLUMNS} FROM events e WHERE e.brief_id = ?
        ${since ? 'AND e.newest >= ?' : ''} ${minScore ? 'AND e.best_score >= ?' : ''}
        ORDER BY e.newest DESC, e.key LIMIT ?`);
      q.raw(true);
      latest.set(id, q);
    }
    return q;
  };

  // The match step reads decisions by id on every slice: one statement, the ids as one JSON parameter.
  const byIds = db.prepare<[string], DecisionRow>(
    'SELECT * FROM story_matches WHERE story_id IN (SELECT value FROM json_each(?))',
  );

  const saveAll = db.transaction((decisions: StoredDecision[]) => {
    for (const d of decisions) {
      upsert.run({ ...d, relevant: d.relevant ? 1 : 0, reasons: JSON.stringify(d.reasons) });
    }
  });

  return {
    save: (decisions) => saveAll(decisions),
    get: (storyId) => {
      const r = getOne.get(storyId) as DecisionRow | undefined;
      return r ? decisionFromRow(r) : null;
    },
    undecided: (limit, options) => {
      const n = Math.max(0, Math.floor(limit));
      const rows = options?.storedBefore ? undecidedBefore.all(options.storedBefore, n) : undecided.all(n);
      return rows.map((r) => r.story_id);
    },
    getMany(storyIds) {
      const out = new Map<string, StoredDecision>();
      if (!storyIds.length) return out;
      for (const r of byIds.all(JSON.stringify(storyIds))) out.set(r.story_id, decisionFromRow(r));
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
      return (db.prepare(sql).all(...params) as DecisionRow[]).map(decisionFromRow);
    },
    relevantSince: (since) => (relevantSince.all(since) as DecisionRow[]).map(decisionFromRow),
    setCluster: db.transaction((storyIds: string[], key: string) => {
      for (const id of storyIds) setCluster.run(key, id);
    }),
    setEvents: db.transaction(
      (events: { storyId: string; clusterKey: string; note: string; outlet?: EventOutlet }[]) => {
        for (const e of events) {
          setEvent.run(e.clusterKey, e.note, e.storyId);
          if (!e.outlet) continue;
          const params = { key: e.clusterKey, storyId: e.storyId, outletKey: e.outlet.key, name: e.outlet.name };
          if (addOutlet.run(params).changes) countOutlet.run(params);
        }
      },
    ),
    eventBriefCounts: countsOf,
    eventBriefCountsOf: (keys) => new Map(keys.map((key) => [key, countsOf(key)])),
    completeEvents: db.transaction((events: { key: string; leadId: string; outlets?: EventOutlet[] }[]) => {
      for (const e of events) {
        setLead.run({ leadId: e.leadId, key: e.key });
        if (!e.outlets) continue;
        clearOutlets.run(e.key);
        const names: string[] = [];
        for (const o of e.outlets) if (insertOutlet.run(e.key, o.key).changes) names.push(o.name);
        setOutlets.run(names.length, JSON.stringify(names.slice(0, EVENT_OUTLETS_LISTED)), e.key);
      }
    }),
    eventsWithoutLead: (limit) => withoutLead.all(Math.max(0, Math.floor(limit))).map((r) => r.key),
    events(keys) {
      const out = new Map<string, StoredEvent>();
      for (const key of new Set(keys)) {
        const r = eventByKey.get(key);
        if (r) out.set(key, eventFromRow(r));
      }
      return out;
    },
    eventStoryIds(keys, since) {
      const out = new Map<string, string[]>();
      const query = db.prepare<[string, ...string[]], { story_id: string }>(
        `SELECT m.story_id FROM story_matches m JOIN stories s ON s.id = m.story_id
         WHERE m.cluster_key = ? AND m.relevant = 1 AND s.backlog = 0 ${since ? 'AND s.first_seen >= ?' : ''}
         ORDER BY s.seq`,
      );
      for (const key of new Set(keys)) {
        const ids = query.all(key, ...(since ? [since] : [])).map((r) => r.story_id);
        if (ids.length) out.set(key, ids);
      }
      return out;
    },
    latestEvents({ briefIds, since, minScore, limit }) {
      if (briefIds.length === 0 || limit <= 0) return [];
      // One brief at a time walks the (brief_id, newest) index in order; several are merged here.
      const query = latestQuery(Boolean(since), minScore !== undefined);
      const params = [...(since ? [since] : []), ...(minScore !== undefined ? [minScore] : []), Math.floor(limit)];
      const rows = [...new Set(briefIds)].flatMap((id) => query.all(id, ...params));
      if (briefIds.length > 1) rows.sort((a, b) => (a[2] !== b[2] ? (a[2] < b[2] ? 1 : -1) : a[0] < b[0] ? -1 : 1));
      return rows.slice(0, Math.floor(limit)).map(fromHeadRow);
    },
    clusterMembers: membersOf,
    // One indexed lookup per key, in-process: no round trips to save, and unlike a window over
    // each event's members it stops at the limit in an event of hundreds.
    clusterMembersOf(keys, limit = -1) {
      const out = new Map<string, StoredDecision[]>();
      for (const key of new Set(keys)) {
        const list = membersOf(key, limit);
        if (list.length) out.set(key, list);
      }
      return out;
    },
    recordFiltered: (s: FilteredStory) => void insertFiltered.run(s),
    getFiltered(idOrUrl) {
      const r = getFiltered.get(idOrUrl, idOrUrl) as FilteredRow | undefined;
      return r ? filteredFromRow(r) : null;
    },
    deliveriesOf: (storyId): StoryDelivery[] => deliveries.all(storyId).map(storyDeliveryFromRow),
  };
}
