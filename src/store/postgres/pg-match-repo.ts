import type { Async } from '../async-store.js';
import type { FilteredStory, MatchRepo, StoredDecision } from '../match-repo.js';
import { inTransaction, type Pool } from './pg-pool.js';

interface Row {
  story_id: string;
  decided_at: string;
  relevant: boolean;
  score: number;
  brief_id: string | null;
  brief_score: number;
  reasons: string;
  cluster_key: string | null;
  event_note: string | null;
}

const fromRow = (r: Row): StoredDecision => ({
  storyId: r.story_id,
  decidedAt: r.decided_at,
  relevant: r.relevant,
  score: r.score,
  briefId: r.brief_id,
  briefScore: r.brief_score,
  reasons: JSON.parse(r.reasons) as string[],
  clusterKey: r.cluster_key,
  eventNote: r.event_note,
});

const M =
  'm.story_id, m.decided_at, m.relevant, m.score, m.brief_id, m.brief_score, m.reasons, m.cluster_key, m.event_note';

// As SQLite's: a new decision keeps the story's event unless it names one (clustering runs after deciding).
const UPSERT = `
  INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_id, brief_score, reasons, cluster_key)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (story_id) DO UPDATE SET decided_at = excluded.decided_at, relevant = excluded.relevant,
    score = excluded.score, brief_id = excluded.brief_id, brief_score = excluded.brief_score,
    reasons = excluded.reasons, cluster_key = COALESCE(excluded.cluster_key, story_matches.cluster_key)`;

function byStory<T extends { storyId: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.storyId < b.storyId ? -1 : a.storyId > b.storyId ? 1 : 0));
}

/** Match decisions, the undecided queue (kept by triggers, see pg-schema.ts) and filter drops, in PostgreSQL. */
export function createPgMatchRepo(pool: Pool): Async<MatchRepo> {
  return {
    async save(decisions) {
      await inTransaction(pool, async (client) => {
        // In story order (stable, so a later decision for a story still wins): replicas saving the
        // same stories then lock their rows in one order and never deadlock.
        for (const d of byStory(decisions)) {
          await client.query(UPSERT, [
            d.storyId,
            d.decidedAt,
            d.relevant,
            d.score,
            d.briefId,
            d.briefScore,
            JSON.stringify(d.reasons),
            d.clusterKey,
          ]);
        }
      });
    },
    async get(storyId) {
      const { rows } = await pool.query<Row>(`SELECT ${M} FROM story_matches m WHERE m.story_id = $1`, [storyId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async undecided(limit) {
      const { rows } = await pool.query<{ story_id: string }>(
        'SELECT story_id FROM undecided_stories ORDER BY seq LIMIT $1',
        [Math.max(0, Math.floor(limit))],
      );
      return rows.map((r) => r.story_id);
    },
    async getMany(storyIds) {
      const out = new Map<string, StoredDecision>();
      if (storyIds.length === 0) return out;
      const { rows } = await pool.query<Row>(`SELECT ${M} FROM story_matches m WHERE m.story_id = ANY($1)`, [storyIds]);
      for (const r of rows) out.set(r.story_id, fromRow(r));
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
      const { rows } = await pool.query<Row>(
        `SELECT ${M} FROM story_matches m JOIN stories s ON s.id = m.story_id WHERE ${where.join(' AND ')}
         ORDER BY s.sort_time DESC, s.seq DESC ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
        params,
      );
      return rows.map(fromRow);
    },
    async relevantSince(since) {
      const { rows } = await pool.query<Row>(
        `SELECT ${M} FROM story_matches m JOIN stories s ON s.id = m.story_id
         WHERE m.relevant AND s.first_seen >= $1 ORDER BY s.sort_time, s.seq`,
        [since],
      );
      return rows.map(fromRow);
    },
    async setCluster(storyIds, clusterKey) {
      if (storyIds.length === 0) return;
      await pool.query('UPDATE story_matches SET cluster_key = $1 WHERE story_id = ANY($2)', [clusterKey, storyIds]);
    },
    async setEvents(events) {
      await inTransaction(pool, async (client) => {
        for (const e of byStory(events)) {
          await client.query('UPDATE story_matches SET cluster_key = $1, event_note = $2 WHERE story_id = $3', [
            e.clusterKey,
            e.note,
            e.storyId,
          ]);
        }
      });
    },
    async eventBriefCounts(clusterKey) {
      const { rows } = await pool.query<{ brief_id: string | null; count: number }>(
        'SELECT brief_id, COUNT(*) AS count FROM story_matches WHERE cluster_key = $1 AND relevant GROUP BY brief_id',
        [clusterKey],
      );
      return rows.map((r) => ({ briefId: r.brief_id, count: r.count }));
    },
    async clusterMembers(clusterKey, limit) {
      // Oldest stored first, as SQLite's index on cluster_key gives them.
      const { rows } = await pool.query<Row>(
        `SELECT ${M} FROM story_matches m LEFT JOIN stories s ON s.id = m.story_id WHERE m.cluster_key = $1
         ORDER BY s.seq ${limit !== undefined && limit >= 0 ? `LIMIT ${Math.floor(limit)}` : ''}`,
        [clusterKey],
      );
      return rows.map(fromRow);
    },
    async recordFiltered(s: FilteredStory) {
      await pool.query(
        `INSERT INTO filtered_stories (story_id, url, feed_id, title, reason, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (story_id) DO UPDATE SET reason = excluded.reason, at = excluded.at, feed_id = excluded.feed_id`,
        [s.storyId, s.url, s.feedId, s.title, s.reason, s.at],
      );
    },
    async getFiltered(idOrUrl) {
      const { rows } = await pool.query<{
        story_id: string;
        url: string | null;
        feed_id: string;
        title: string;
        reason: string;
        at: string;
      }>('SELECT * FROM filtered_stories WHERE story_id = $1 OR url = $1 ORDER BY (story_id = $1) DESC LIMIT 1', [
        idOrUrl,
      ]);
      const r = rows[0];
      return r
        ? { storyId: r.story_id, url: r.url, feedId: r.feed_id, title: r.title, reason: r.reason, at: r.at }
        : null;
    },
    async deliveriesOf(storyId) {
      const { rows } = await pool.query<{
        id: string;
        channel_key: string;
        kind: string;
        status: string;
        created_at: string;
        sent_at: string | null;
        role: string;
      }>(
        `SELECT d.id, d.channel_key, d.kind, d.status, d.created_at, d.sent_at, s.role
         FROM digest_delivery_stories s JOIN digest_deliveries d ON d.id = s.delivery_id
         WHERE s.story_id = $1 ORDER BY d.created_at, d.seq`,
        [storyId],
      );
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
