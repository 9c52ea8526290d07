import type { Async } from '../async-store.js';
import {
  emptyUpsertResult,
  SEARCH_CANDIDATES,
  type RecentOptions,
  type StoryRepo,
  type UpsertOptions,
  type UpsertResult,
} from '../store.js';
import type { Story } from '../story.js';
import { isoOrNull, searchHitFromRow, storyFromRow, type SearchHitRow, type StoryRow } from '../table-rows.js';
import { inTransaction, type Pool, type PoolClient } from './pg-pool.js';
import { pgIndexText, pgTsQuery } from './pg-search-text.js';

// Every feed that carried the story, oldest first (ties by feed id, in byte order as SQLite sorts).
const COLUMNS = `s.id, s.feed_id, s.title, s.summary, s.url, s.published, s.author, s.lang, s.first_seen, s.backlog,
  ARRAY(SELECT sf.feed_id FROM story_feeds sf WHERE sf.story_id = s.id ORDER BY sf.first_seen, sf.feed_id) AS feed_ids`;

/**
 * The search vector of a title's and a summary's index text (SQL expressions): title as weight A,
 * summary as B, so ranking weighs a title match three times a summary one, as SQLite's bm25(3, 1).
 */
export const searchVector = (title: string, summary: string) =>
  `setweight(to_tsvector('dealbot_search', ${title}), 'A') || setweight(to_tsvector('dealbot_search', ${summary}), 'B')`;
/** searchVector of the first two parameters. */
export const SEARCH_VECTOR = searchVector('$1', '$2');
const RANK_WEIGHTS = '{0.1, 0.2, 0.3333, 1.0}';

/** Advisory lock key held while a batch of stories is stored ("stories" in ASCII). */
const STORY_WRITE_LOCK = BigInt('0x73746f72696573').toString();

interface Existing {
  seq: number;
  id: string;
  title: string;
  summary: string;
}

async function findExisting(client: PoolClient, story: Story): Promise<{ row: Existing; sameId: boolean } | null> {
  const byId = await client.query<Existing>('SELECT seq, id, title, summary FROM stories WHERE id = $1', [story.id]);
  if (byId.rows[0]) return { row: byId.rows[0], sameId: true };
  if (!story.url) return null;
  const byUrl = await client.query<Existing>('SELECT seq, id, title, summary FROM stories WHERE url = $1', [story.url]);
  return byUrl.rows[0] ? { row: byUrl.rows[0], sameId: false } : null;
}

/**
 * The stored stories a batch names, by id and by URL, read in one query: looking each
 * story up on its own cost two round trips per new story. Kept up to date as the batch
 * is stored (under the write lock nobody else changes them meanwhile), so a story
 * repeated within the batch finds its first copy.
 */
class KnownStories {
  private readonly byId = new Map<string, Existing>();
  private readonly byUrl = new Map<string, Existing>();

  static async read(client: PoolClient, stories: Story[]): Promise<KnownStories> {
    const known = new KnownStories();
    const urls = stories.flatMap((s) => (s.url ? [s.url] : []));
    const { rows } = await client.query<Existing & { url: string | null }>(
      'SELECT seq, id, url, title, summary FROM stories WHERE id = ANY($1) OR url = ANY($2)',
      [stories.map((s) => s.id), urls],
    );
    for (const { url, ...row } of rows) known.add(row, url);
    return known;
  }

  find(story: Story): { row: Existing; sameId: boolean } | null {
    const byId = this.byId.get(story.id);
    if (byId) return { row: byId, sameId: true };
    const byUrl = story.url ? this.byUrl.get(story.url) : undefined;
    return byUrl ? { row: byUrl, sameId: false } : null;
  }

  add(row: Existing, url: string | null): void {
    this.byId.set(row.id, row);
    if (url && !this.byUrl.has(url)) this.byUrl.set(url, row);
  }
}

/** Story–feed links waiting to be written, as parallel arrays. */
interface Links {
  storyIds: string[];
  feedIds: string[];
}

/** Stories in PostgreSQL: the same once-per-id-or-URL rule as SQLite's repository, with the search vector kept in step. */
export function createPgStoryRepo(pool: Pool): Async<StoryRepo> {
  /** Feeds that carried stored stories, linked in one statement at the end of the batch (nothing reads them before). */
  const linkFeeds = (client: PoolClient, links: Links, at: string) =>
    client.query({
      name: 'stories.linkFeeds',
      text: `INSERT INTO story_feeds (story_id, feed_id, first_seen)
             SELECT story_id, feed_id, $3 FROM unnest($1::text[], $2::text[]) AS u(story_id, feed_id)
             ON CONFLICT DO NOTHING`,
      values: [links.storyIds, links.feedIds, at],
    });

  /**
   * New stories (none stored, none repeating another's id or URL) in one statement: the
   * stories, in the order given (their seq), and their feeds. One round trip for a feed's
   * new items instead of one per item. A story that conflicts all the same (a writer that
   * does not take the lock, migrate-store, stored it meanwhile) is then treated as found.
   */
  async function insertNew(
    client: PoolClient,
    stories: Story[],
    options: UpsertOptions,
    result: UpsertResult,
    known: KnownStories,
    links: Links,
  ) {
    const backlogBefore = isoOrNull(options.backlogBefore);
    const rows = stories.map((story) => {
      const published = isoOrNull(story.published);
      return { story, published, backlog: backlogBefore !== null && published !== null && published < backlogBefore };
    });
    const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
    // ON CONFLICT DO NOTHING: a writer that does not take the lock (migrate-store) may store the same id or URL.
    const inserted = await client.query<{ seq: number; id: string }>({
      name: 'stories.insertNew',
      text: `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
             $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[])
             WITH ORDINALITY AS u(title_index, summary_index, id, feed_id, title, summary, url, published, author, lang,
               backlog, sort_time, ord)
         ), ins AS (
           INSERT INTO stories (id, feed_id, title, summary, url, published, author, lang, first_seen, backlog, sort_time, search)
           SELECT id, feed_id, title, summary, url, published, author, lang, $13, backlog, sort_time,
             ${searchVector('title_index', 'summary_index')}
           FROM input ORDER BY ord
           ON CONFLICT DO NOTHING RETURNING seq, id
         ), link AS (
           INSERT INTO story_feeds (story_id, feed_id, first_seen)
           SELECT ins.id, input.feed_id, $13 FROM ins JOIN input ON input.id = ins.id ON CONFLICT DO NOTHING
         )
         SELECT seq, id FROM ins`,
      values: [
        col((r) => pgIndexText(r.story.title)),
        col((r) => pgIndexText(r.story.summary)),
        col((r) => r.story.id),
        col((r) => r.story.feedId),
        col((r) => r.story.title),
        col((r) => r.story.summary),
        col((r) => r.story.url),
        col((r) => r.published),
        col((r) => r.story.author),
        col((r) => r.story.lang),
        col((r) => r.backlog),
        col((r) => r.published ?? options.seenAt),
        options.seenAt,
      ],
    });
    const seqs = new Map(inserted.rows.map((r) => [r.id, r.seq]));
    const conflicted: Story[] = [];
    for (const { story, backlog } of rows) {
      const seq = seqs.get(story.id);
      if (seq === undefined) {
        conflicted.push(story);
        continue;
      }
      known.add({ seq, id: story.id, title: story.title, summary: story.summary }, story.url);
      result.inserted++;
      result.insertedIds.push(story.id);
      if (backlog) result.backlogIds.push(story.id);
    }
    for (const story of conflicted) {
      const found = await findExisting(client, story);
      if (!found) throw new Error(`story ${story.id} conflicted on insert but cannot be read back`);
      await upsertFound(client, story, options, result, found, links);
    }
  }

  /** A story already stored (by id, or by URL under another id): its feed linked, its text updated when it may. */
  async function upsertFound(
    client: PoolClient,
    story: Story,
    options: UpsertOptions,
    result: UpsertResult,
    found: { row: Existing; sameId: boolean },
    links: Links,
  ) {
    const { row: existing, sameId } = found;
    links.storyIds.push(existing.id);
    links.feedIds.push(story.feedId);
    // Only the item itself (same id) may edit its text: another outlet's headline for the
    // same URL must not flip the title back and forth. An empty title never wipes a good one.
    const title = (sameId && story.title) || existing.title;
    const summary = (sameId && story.summary) || existing.summary;
    if (title !== existing.title || summary !== existing.summary) {
      existing.title = title;
      existing.summary = summary;
      await client.query(
        `UPDATE stories SET title = $3, summary = $4, updated_at = $5, search = ${SEARCH_VECTOR} WHERE seq = $6`,
        [pgIndexText(title), pgIndexText(summary), title, summary, options.seenAt, existing.seq],
      );
      result.updated++;
      result.updatedIds.push(existing.id);
    } else {
      result.unchanged++;
    }
  }

  return {
    async upsert(stories, options) {
      // One batch at a time, as SQLite's write lock gives: two replicas storing the same
      // stories in different orders would otherwise deadlock on each other's rows. The lock
      // is taken with the BEGIN (the key is a constant), before the first read's snapshot.
      return inTransaction(
        pool,
        async (client) => {
          const result = emptyUpsertResult();
          const known = await KnownStories.read(client, stories);
          // New stories are stored a run at a time; a run ends before a stored story (kept in the order
          // given) or one repeating an id or URL of the run (it must find the run's copy stored).
          const links: Links = { storyIds: [], feedIds: [] };
          let run: Story[] = [];
          const runKeys = new Set<string>();
          const flush = async () => {
            if (run.length) await insertNew(client, run, options, result, known, links);
            run = [];
            runKeys.clear();
          };
          for (const story of stories) {
            const keys = story.url ? [`id:${story.id}`, `url:${story.url}`] : [`id:${story.id}`];
            if (known.find(story) || keys.some((k) => runKeys.has(k))) {
              await flush();
              const found = known.find(story);
              if (found) {
                await upsertFound(client, story, options, result, found, links);
                continue;
              }
            }
            run.push(story);
            for (const k of keys) runKeys.add(k);
          }
          await flush();
          if (links.storyIds.length) await linkFeeds(client, links, options.seenAt);
          return result;
        },
        `BEGIN; SELECT pg_advisory_xact_lock(${STORY_WRITE_LOCK})`,
      );
    },

    async get(idOrUrl) {
      const byId = await pool.query<StoryRow>(`SELECT ${COLUMNS} FROM stories s WHERE s.id = $1`, [idOrUrl]);
      const row =
        byId.rows[0] ??
        (await pool.query<StoryRow>(`SELECT ${COLUMNS} FROM stories s WHERE s.url = $1`, [idOrUrl])).rows[0];
      return row ? storyFromRow(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<StoryRow>({
        name: 'stories.getMany',
        text: `SELECT ${COLUMNS} FROM stories s WHERE s.id = ANY($1)`,
        values: [ids],
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [storyFromRow(row)] : [];
      });
    },

    async recent(options: RecentOptions) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (!options.includeBacklog) where.push('NOT s.backlog');
      if (options.since) {
        params.push(isoOrNull(options.since) ?? options.since);
        where.push(`s.sort_time >= $${params.length}`);
      }
      if (options.seenSince) {
        params.push(isoOrNull(options.seenSince) ?? options.seenSince);
        where.push(`s.first_seen >= $${params.length}`);
      }
      params.push(Math.max(0, Math.floor(options.limit)));
      const { rows } = await pool.query<StoryRow>(
        `SELECT ${COLUMNS} FROM stories s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY s.sort_time DESC, s.seq DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(storyFromRow);
    },

    async search(query, limit) {
      const tsQuery = pgTsQuery(query);
      if (!tsQuery || limit <= 0) return [];
      // The newest SEARCH_CANDIDATES matches by seq (the order stored, as SQLite's rowid), ranked, ties newest stored first.
      // Unnamed, so each search is planned for its words: a common word is best found walking the
      // newest stories, a rare one through the GIN index. One generic plan (a named statement) walked
      // the primary key for every word (120 ms for a rare one).
      const { rows } = await pool.query<SearchHitRow>(
        `WITH c AS (SELECT s.seq, s.id, s.published, s.first_seen, s.search FROM stories s
           WHERE s.search @@ to_tsquery('dealbot_search', $1) ORDER BY s.seq DESC LIMIT ${SEARCH_CANDIDATES})
         SELECT c.id, c.published, c.first_seen FROM c
         ORDER BY ts_rank('${RANK_WEIGHTS}', c.search, to_tsquery('dealbot_search', $1)) DESC, c.seq DESC
         LIMIT $2`,
        [tsQuery, Math.floor(limit)],
      );
      return rows.map(searchHitFromRow);
    },

    async count() {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM stories');
      return rows[0]!.n;
    },
  };
}
