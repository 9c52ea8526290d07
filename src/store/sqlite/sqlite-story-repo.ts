import type BetterSqlite3 from 'better-sqlite3';
import {
  emptyUpsertResult,
  SEARCH_CANDIDATES,
  type RecentOptions,
  type StoryRepo,
  type UpsertOptions,
  type UpsertResult,
} from '../store.js';
import type { Story, StoredStory } from '../story.js';
import { isoOrNull, searchHitFromRow, storyFromRow, type SearchHitRow, type StoryRow } from '../table-rows.js';
import { indexText, toMatchQuery } from './fts-text.js';

type Db = BetterSqlite3.Database;

// Every feed that carried the story, oldest first, as a JSON array.
const COLUMNS = `s.seq, s.id, s.feed_id, s.title, s.summary, s.url, s.published, s.author, s.lang, s.first_seen, s.backlog,
  (SELECT json_group_array(feed_id) FROM (SELECT feed_id FROM story_feeds WHERE story_id = s.id ORDER BY first_seen, feed_id)) AS feed_ids`;

/** Stories in SQLite, with the FTS index kept in step inside the same transactions. */
export function createSqliteStoryRepo(db: Db): StoryRepo {
  const byId = db.prepare<[string], { seq: number; id: string; title: string; summary: string }>(
    'SELECT seq, id, title, summary FROM stories WHERE id = ?',
  );
  const byUrl = db.prepare<[string], { seq: number; id: string; title: string; summary: string }>(
    'SELECT seq, id, title, summary FROM stories WHERE url = ?',
  );
  const insertStory = db.prepare(
    `INSERT INTO stories (id, feed_id, title, summary, url, published, author, lang, first_seen, backlog, sort_time)
     VALUES (@id, @feedId, @title, @summary, @url, @published, @author, @lang, @firstSeen, @backlog, @sortTime)`,
  );
  const updateStory = db.prepare('UPDATE stories SET title = ?, summary = ?, updated_at = ? WHERE seq = ?');
  const insertFts = db.prepare('INSERT INTO stories_fts (rowid, title, summary) VALUES (?, ?, ?)');
  const updateFts = db.prepare('UPDATE stories_fts SET title = ?, summary = ? WHERE rowid = ?');
  const linkFeed = db.prepare('INSERT OR IGNORE INTO story_feeds (story_id, feed_id, first_seen) VALUES (?, ?, ?)');
  const getById = db.prepare<[string], StoryRow>(`SELECT ${COLUMNS} FROM stories s WHERE s.id = ?`);
  const getByUrl = db.prepare<[string], StoryRow>(`SELECT ${COLUMNS} FROM stories s WHERE s.url = ?`);
  const countAll = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM stories');
  // The newest SEARCH_CANDIDATES matches (rowid is the story's seq: the order stored), ranked,
  // ties newest stored first; only the best `limit` are joined to their stories.
  const searchFts = db.prepare<[string, number, number], SearchHitRow>(
    `SELECT s.id, s.published, s.first_seen FROM (
       SELECT rowid, rank FROM (
         SELECT rowid, bm25(stories_fts, 3.0, 1.0) AS rank FROM stories_fts WHERE stories_fts MATCH ?
         ORDER BY rowid DESC LIMIT ?
       ) ORDER BY rank, rowid DESC LIMIT ?
     ) f JOIN stories s ON s.seq = f.rowid
     ORDER BY f.rank, f.rowid DESC`,
  );

  const upsertBatch = db.transaction((stories: Story[], options: UpsertOptions): UpsertResult => {
    const result = emptyUpsertResult();
    const backlogBefore = isoOrNull(options.backlogBefore);
    for (const story of stories) {
      const sameId = byId.get(story.id);
      const existing = sameId ?? (story.url ? byUrl.get(story.url) : undefined);
      if (existing) {
        linkFeed.run(existing.id, story.feedId, options.seenAt);
        // Only the item itself (same id) may edit its text: another outlet's headline
        // for the same URL must not flip the title back and forth between polls.
        // An empty title or summary from a broken item never wipes a good one.
        const title = (sameId && story.title) || existing.title;
        const summary = (sameId && story.summary) || existing.summary;
        if (title !== existing.title || summary !== existing.summary) {
          updateStory.run(title, summary, options.seenAt, existing.seq);
          updateFts.run(indexText(title), indexText(summary), existing.seq);
          result.updated++;
          result.updatedIds.push(existing.id);
        } else {
          result.unchanged++;
        }
        continue;
      }
      const published = isoOrNull(story.published);
      const backlog = backlogBefore !== null && published !== null && published < backlogBefore;
      const { lastInsertRowid } = insertStory.run({
        id: story.id,
        feedId: story.feedId,
        title: story.title,
        summary: story.summary,
        url: story.url,
        published,
        author: story.author,
        lang: story.lang,
        firstSeen: options.seenAt,
        backlog: backlog ? 1 : 0,
        sortTime: published ?? options.seenAt,
      });
      insertFts.run(lastInsertRowid, indexText(story.title), indexText(story.summary));
      linkFeed.run(story.id, story.feedId, options.seenAt);
      result.inserted++;
      result.insertedIds.push(story.id);
      if (backlog) result.backlogIds.push(story.id);
    }
    return result;
  });

  return {
    upsert(stories, options) {
      return upsertBatch.immediate(stories, options);
    },

    get(idOrUrl) {
      const row = getById.get(idOrUrl) ?? getByUrl.get(idOrUrl);
      return row ? storyFromRow(row) : null;
    },

    getMany(ids) {
      const out: StoredStory[] = [];
      for (const id of ids) {
        const row = getById.get(id);
        if (row) out.push(storyFromRow(row));
      }
      return out;
    },

    recent(options: RecentOptions) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (!options.includeBacklog) where.push('s.backlog = 0');
      if (options.since) {
        where.push('s.sort_time >= ?');
        params.push(isoOrNull(options.since) ?? options.since);
      }
      if (options.seenSince) {
        where.push('s.first_seen >= ?');
        params.push(isoOrNull(options.seenSince) ?? options.seenSince);
      }
      const sql = `SELECT ${COLUMNS} FROM stories s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY s.sort_time DESC, s.seq DESC LIMIT ?`;
      return db
        .prepare<(string | number)[], StoryRow>(sql)
        .all(...params, Math.max(0, Math.floor(options.limit)))
        .map(storyFromRow);
    },

    search(query, limit) {
      const match = toMatchQuery(query);
      if (!match || limit <= 0) return [];
      return searchFts.all(match, SEARCH_CANDIDATES, Math.floor(limit)).map(searchHitFromRow);
    },

    count() {
      return countAll.get()!.n;
    },
  };
}
