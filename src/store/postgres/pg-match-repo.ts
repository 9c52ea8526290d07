import type { Async } from '../async-store.js';
import {
  EVENT_OUTLETS_LISTED,
  type EventHead,
  type FilteredStory,
  type MatchRepo,
  type StoredDecision,
  type StoredEvent,
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
import { inTransaction, type Pool } from './pg-pool.js';

const M =
  'm.story_id, m.decided_at, m.relevant, m.score, m.brief_id, m.brief_score, m.reasons, m.cluster_key, m.event_note';

// As SQLite's: a new decision keeps the story's event unless it names one (clustering runs after deciding).
/** Decisions as parallel arrays, one statement for a batch (one round trip instead of one per story). */
const UPSERT_MANY = `
  INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
  SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::float8[], $5::text[], $6::float8[], $7::text[], $8::text[])
  ON CONFLICT (story_id) DO UPDATE SET decided_at = excluded.decided_at, relevant = excluded.relevant,
    score = excluded.score, brief_id = excluded.brief_id, brief_score = excluded.brief_score,
    reasons = excluded.reasons, cluster_key = COALESCE(excluded.cluster_key, story_matches.cluster_key)`;

const fromHeadRow = (r: Omit<EventRow, 'first_seen' | 'outlets'>): EventHead => ({
  key: r.key,
  briefId: r.brief_id,
  newest: r.newest,
  storyCount: r.story_count,
  outletCount: r.outlet_count,
  leadId: r.lead_id,
  leadScore: r.lead_id === null ? null : r.lead_score,
  bestScore: r.best_score,
});

function byStory<T extends { storyId: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0));
}

/**
 * Match decisions, the undecided queue (kept by triggers, see pg-schema.ts), the stored events
 * (kept in step by triggers, pg-events-schema.ts; leads and outlets written here) and filter drops, in PostgreSQL.
 */
export function createPgMatchRepo(pool: Pool): Async<MatchRepo> {
  /** How many relevant stories of each event each brief has (every key asked, [] for an unknown one). */
  async function briefCountsOf(
    clusterKeys: string[],
  ): Promise<Map<string, { briefId: string | null; count: number }[]>> {
    const out = new Map(clusterKeys.map((k) => [k, [] as { briefId: string | null; count: number }[]]));
    if (clusterKeys.length === 0) return out;
    const { rows } = await pool.query<{ event_key: string; brief_id: string; count: number }>({
      name: 'matches.eventBriefCountsOf',
      text: `SELECT event_key, brief_id, count FROM event_briefs WHERE event_key = ANY($1) AND count > 0
             ORDER BY event_key, brief_id`,
      values: [[...new Set(clusterKeys)]],
    });
    for (const r of rows) out.get(r.event_key)!.push({ briefId: r.brief_id || null, count: r.count });
    return out;
  }

  return {
    async save(decisions) {
      if (decisions.length === 0) return;
      // One statement cannot update a row twice: a later decision for a story wins, as it did
      // saved one by one. In story order, so replicas saving the same stories lock their rows
      // in one order and never deadlock.
      const rows = byStory([...new Map(decisions.map((d) => [d.storyId, d])).values()]);
      await pool.query(UPSERT_MANY, [
        rows.map((d) => d.storyId),
        rows.map((d) => d.decidedAt),
        rows.map((d) => d.relevant),
        rows.map((d) => d.score),
        rows.map((d) => d.briefId),
        rows.map((d) => d.briefScore),
        rows.map((d) => JSON.stringify(d.reasons)),
        rows.map((d) => d.clusterKey),
      ]);
    },
    async get(storyId) {
      const { rows } = await pool.query<DecisionRow>(`SELECT ${M} FROM story_matches m WHERE m.story_id = $1`, [
        storyId,
      ]);
      return rows[0] ? decisionFromRow(rows[0]) : null;
    },
    async undecided(limit, options) {
      const n = Math.max(0, Math.floor(limit));
      const { rows } = options?.storedBefore
        ? await pool.query<{ story_id: string }>(
            `SELECT u.story_id FROM undecided_stories u JOIN stories s ON s.seq = u.seq
             WHERE s.first_seen < $1 ORDER BY u.seq LIMIT $2`,
            [options.storedBefore, n],
          )
        : await pool.query<{ story_id: string }>('SELECT story_id FROM undecided_stories ORDER BY seq LIMIT $1', [n]);
      return rows.map((r) => r.story_id);
    },
    async getMany(storyIds) {
      const out = new Map<string, StoredDecision>();
      if (storyIds.length === 0) return out;
      const { rows } = await pool.query<DecisionRow>({
        name: 'matches.getMany',
        text: `SELECT ${M} FROM story_matches m WHERE m.story_id = ANY($1)`,
        values: [storyIds],
      });
      for (const r of rows) out.set(r.story_id, decisionFromRow(r));
      return out;
    },
    async forBriefs(briefIds, { since, minScore, limit }) {
      if (briefIds.length === 0) return [];
      const params: unknown[] = [briefIds];
      const where = ['m.brief_id = ANY($1)', 'NOT s.backlog'];
      if (since) {
        params.push(since);
        where.push(`s.first_seen >= $${params.length}`);
      }
      if (minScore !== undefined) {
        params.push(minScore);
        where.push(`m.score >= $${params.length}`);
      }
      const { rows } = await pool.query<DecisionRow>(
        `SELECT ${M} FROM story_matches m JOIN stories s ON s.id = m.story_id WHERE ${where.join(' AND ')}
         ORDER BY s.sort_time DESC, s.seq DESC ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
        params,
      );
      return rows.map(decisionFromRow);
    },
    async relevantSince(since) {
      const { rows } = await pool.query<DecisionRow>(
        `SELECT ${M} FROM story_matches m JOIN stories s ON s.id = m.story_id
         WHERE m.relevant AND s.first_seen >= $1 ORDER BY s.sort_time, s.seq`,
        [since],
      );
      return rows.map(decisionFromRow);
    },
    async filedSince(cursor, limit) {
      const [at, after] = cursor ? splitCursor(cursor) : [null, ''];
      if (at === null) {
        const { rows } = await pool.query<{ at: string }>(`SELECT ${FILED_TEXT('now()')} AS at`);
        return { filed: [], cursor: `${rows[0]!.at}|` };
      }
      const n = Math.max(1, Math.floor(limit));
      // With the page, where the next read starts should this be the last page: a little before now, or
      // from where this read started (one round trip; an empty page is one row of nulls and that).
      const { rows } = await pool.query<{ story_id: string | null; cluster_key: string; at: string; back: string }>({
        name: 'matches.filedSince',
        text: `WITH page AS (
           SELECT story_id, cluster_key, filed_at FROM story_matches
           WHERE filed_at IS NOT NULL AND (filed_at, story_id) > ($1::timestamptz, $2)
           ORDER BY filed_at, story_id LIMIT $3
         )
         SELECT p.story_id, p.cluster_key, ${FILED_TEXT('p.filed_at')} AS at, b.back
         FROM (SELECT ${FILED_TEXT(`LEAST(COALESCE((SELECT max(filed_at) FROM page), $1::timestamptz), now() - interval '${FILED_LOOKBACK_SECONDS} seconds')`)} AS back) b
         LEFT JOIN page p ON true
         ORDER BY p.filed_at, p.story_id`,
        values: [at, after, n],
      });
      const page = rows.filter((r) => r.story_id !== null);
      const filed = page.map((r) => ({ storyId: r.story_id!, clusterKey: r.cluster_key }));
      const last = page.at(-1);
      if (page.length === n) return { filed, cursor: `${last!.at}|${last!.story_id}` };
      // The last page: next time, look again from a little before now (or from where this read started).
      return { filed, cursor: `${rows[0]!.back}|` };
    },
    async setCluster(storyIds, clusterKey) {
      if (storyIds.length === 0) return;
      await pool.query('UPDATE story_matches SET cluster_key = $1 WHERE story_id = ANY($2)', [clusterKey, storyIds]);
    },
    async setEvents(events) {
      if (events.length === 0) return;
      // In the order given, not by story as save() does: outlets are listed in the order they are filed.
      // One round trip: the server runs each story's two statements in turn (pg-batch-schema.ts).
      await pool.query({
        name: 'matches.setEvents',
        text: 'SELECT dealbot_set_events($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])',
        values: [
          events.map((e) => e.storyId),
          events.map((e) => e.clusterKey),
          events.map((e) => e.note),
          events.map((e) => e.outlet?.key ?? null),
          events.map((e) => e.outlet?.name ?? null),
        ],
      });
    },
    eventBriefCounts: async (clusterKey) => (await briefCountsOf([clusterKey])).get(clusterKey)!,
    eventBriefCountsOf: briefCountsOf,
    async completeEvents(events) {
      if (events.length === 0) return;
      // Leads alone, each event once (the match step's usual call): one statement, no trigger on events to order.
      if (events.every((e) => !e.outlets) && new Set(events.map((e) => e.key)).size === events.length) {
        await pool.query({
          name: 'matches.completeLeads',
          text: `UPDATE events e SET lead_id = u.lead_id, lead_score = (SELECT score FROM story_matches WHERE story_id = u.lead_id)
                 FROM unnest($1::text[], $2::text[]) AS u(key, lead_id) WHERE e.key = u.key`,
          values: [events.map((e) => e.key), events.map((e) => e.leadId)],
        });
        return;
      }
      await inTransaction(pool, async (client) => {
        for (const e of events) {
          await client.query(
            'UPDATE events SET lead_id = $2, lead_score = (SELECT score FROM story_matches WHERE story_id = $2) WHERE key = $1',
            [e.key, e.leadId],
          );
          if (!e.outlets) continue;
          // Each outlet once, by key, the first name given for it (as inserting them one by one would).
          const names = new Map<string, string>();
          for (const o of e.outlets) if (!names.has(o.key)) names.set(o.key, o.name);
          await client.query('DELETE FROM event_outlets WHERE event_key = $1', [e.key]);
          await client.query(
            'INSERT INTO event_outlets (event_key, outlet_key) SELECT $1, k FROM unnest($2::text[]) AS k',
            [e.key, [...names.keys()]],
          );
          await client.query('UPDATE events SET outlet_count = $2, outlets = $3 WHERE key = $1', [
            e.key,
            names.size,
            JSON.stringify([...names.values()].slice(0, EVENT_OUTLETS_LISTED)),
          ]);
        }
      });
    },
    async eventsWithoutLead(limit) {
      const { rows } = await pool.query<{ key: string }>(
        'SELECT key FROM events WHERE lead_id IS NULL ORDER BY key LIMIT $1',
        [Math.max(0, Math.floor(limit))],
      );
      return rows.map((r) => r.key);
    },
    async events(keys) {
      const out = new Map<string, StoredEvent>();
      const unique = [...new Set(keys)];
      if (unique.length === 0) return out;
      const { rows } = await pool.query<EventRow>({
        name: 'matches.events',
        text: `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.key = ANY($1)`,
        values: [unique],
      });
      const byKey = new Map(rows.map((r) => [r.key, r]));
      // In the order asked, as SQLite's one lookup per key gives them.
      for (const key of unique) {
        const r = byKey.get(key);
        if (r) out.set(key, eventFromRow(r));
      }
      return out;
    },
    async latestEvents({ briefIds, since, minScore, limit }) {
      if (briefIds.length === 0 || limit <= 0) return [];
      const params: unknown[] = [[...new Set(briefIds)], Math.floor(limit)];
      const where = ['e.brief_id = b.id'];
      if (since) {
        params.push(since);
        where.push(`e.newest >= $${params.length}`);
      }
      if (minScore !== undefined) {
        params.push(minScore);
        where.push(`e.best_score >= $${params.length}`);
      }
      // One brief at a time walks the (brief_id, newest) index in order; several are merged by the outer sort.
      const { rows } = await pool.query<Omit<EventRow, 'first_seen' | 'outlets'>>({
        // One prepared statement per form of the query (with or without since, minScore).
        name: `matches.latestEvents.${since ? 's' : ''}${minScore !== undefined ? 'm' : ''}`,
        text: `SELECT e.* FROM unnest($1::text[]) AS b(id) CROSS JOIN LATERAL (
           SELECT ${EVENT_HEAD_COLUMNS} FROM events e WHERE ${where.join(' AND ')} ORDER BY e.newest DESC, e.key LIMIT $2
         ) e ORDER BY e.newest DESC, e.key LIMIT $2`,
        values: params,
      });
      return rows.map(fromHeadRow);
    },
    async eventStoryIds(keys, since) {
      const out = new Map<string, string[]>();
      const unique = [...new Set(keys)];
      if (unique.length === 0) return out;
      const { rows } = await pool.query<{ cluster_key: string; story_id: string }>(
        `SELECT m.cluster_key, m.story_id FROM story_matches m JOIN stories s ON s.id = m.story_id
         WHERE m.cluster_key = ANY($1) AND m.relevant AND NOT s.backlog ${since ? 'AND s.first_seen >= $2' : ''}
         ORDER BY s.seq`,
        since ? [unique, since] : [unique],
      );
      const byKey = new Map<string, string[]>();
      for (const r of rows) {
        const ids = byKey.get(r.cluster_key);
        if (ids) ids.push(r.story_id);
        else byKey.set(r.cluster_key, [r.story_id]);
      }
      for (const key of unique) {
        const ids = byKey.get(key);
        if (ids) out.set(key, ids);
      }
      return out;
    },
    async clusterMembers(clusterKey, limit) {
      // Oldest stored first, as SQLite's index on cluster_key gives them; read from the index in that order (schema v6).
      // LIMIT NULL is no limit.
      const { rows } = await pool.query<DecisionRow>({
        name: 'matches.clusterMembers',
        text: `SELECT ${M} FROM story_matches m WHERE m.cluster_key = $1 ORDER BY m.story_seq LIMIT $2`,
        values: [clusterKey, limit !== undefined && limit >= 0 ? Math.floor(limit) : null],
      });
      return rows.map(decisionFromRow);
    },
    async clusterMembersOf(clusterKeys, limit) {
      const out = new Map<string, StoredDecision[]>();
      const unique = [...new Set(clusterKeys)];
      if (unique.length === 0) return out;
      // Each key's members as clusterMembers reads them (the (cluster_key, story_seq) index, to the limit), all in one query.
      const { rows } = await pool.query<DecisionRow>({
        name: 'matches.clusterMembersOf',
        text: `SELECT m.* FROM unnest($1::text[]) AS k(key) CROSS JOIN LATERAL (
           SELECT ${M}, m.story_seq FROM story_matches m WHERE m.cluster_key = k.key ORDER BY m.story_seq LIMIT $2
         ) m ORDER BY m.cluster_key, m.story_seq`,
        values: [unique, limit !== undefined && limit >= 0 ? Math.floor(limit) : null],
      });
      for (const r of rows) {
        const list = out.get(r.cluster_key!);
        if (list) list.push(decisionFromRow(r));
        else out.set(r.cluster_key!, [decisionFromRow(r)]);
      }
      return out;
    },
    async recordFiltered(s: FilteredStory) {
      await pool.query(
        `INSERT INTO filtered_stories (story_id, url, feed_id, title, reason, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (story_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, feed_id = excluded.feed_id`,
        [s.storyId, s.url, s.feedId, s.title, s.reason, s.at],
      );
    },
    async getFiltered(idOrUrl) {
      const { rows } = await pool.query<FilteredRow>(
        'SELECT * FROM filtered_stories WHERE story_id = $1 OR url = $1 ORDER BY (story_id = $1) DESC LIMIT 1',
        [idOrUrl],
      );
      return rows[0] ? filteredFromRow(rows[0]) : null;
    },
    async deliveriesOf(storyId) {
      const { rows } = await pool.query<StoryDeliveryRow>(
        `${STORY_DELIVERIES_SELECT} WHERE s.story_id = $1 ORDER BY d.created_at, d.seq`,
        [storyId],
      );
      return rows.map(storyDeliveryFromRow);
    },
  };
}

/**
 * How far back each read of filedSince looks again: a match step's transaction
 * commits well within this after its filing time, so none is missed.
 */
const FILED_LOOKBACK_SECONDS = 30;

/** A timestamptz as ISO text to the microsecond (a JS Date would drop them, and the keyset needs them). */
const FILED_TEXT = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** "time|story id" → its parts (the id is empty for a cursor that starts at a time). */
function splitCursor(cursor: string): [string, string] {
  const bar = cursor.indexOf('|');
  return bar < 0 ? [cursor, ''] : [cursor.slice(0, bar), cursor.slice(bar + 1)];
}
