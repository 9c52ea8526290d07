import type { ExportedRow, ExportedTable, StoreExport } from '../store-export.js';
import { EXPORTED_TABLES } from '../store-export.js';
import { inTransaction, type Pool } from './pg-pool.js';
import { pgIndexText } from './pg-search-text.js';
import { SEARCH_VECTOR } from './pg-story-repo.js';

/**
 * Copies a store read out by another engine (StoreExport) into PostgreSQL.
 * Re-running copies nothing twice: a row already there is left alone when it is
 * the same, brought up to date when it changed in the source (a delivery since
 * sent, a feed polled again), and counted either way.
 */

export interface TableCount {
  table: ExportedTable;
  /** Rows in the source. */
  source: number;
  inserted: number;
  updated: number;
  /** Already there and the same. */
  unchanged: number;
  /** Not copied: a story whose URL another story of the target has, or a row of such a story. */
  skipped: number;
}

/** store_meta key holding the origin of the data copied in (StoreExport.origin). */
const ORIGIN_KEY = 'copied_from_origin';

/** What the target holds already, to decide whether copying into it is safe. */
export async function targetState(pool: Pool): Promise<{ empty: boolean; origin: string | null }> {
  const { rows } = await pool.query<{ n: number; origin: string | null }>(
    `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM stories UNION ALL SELECT 1 FROM digest_deliveries
              UNION ALL SELECT 1 FROM feed_state UNION ALL SELECT 1 FROM filtered_stories LIMIT 1) x) AS n,
            (SELECT value FROM store_meta WHERE key = $1) AS origin`,
    [ORIGIN_KEY],
  );
  return { empty: rows[0]!.n === 0, origin: rows[0]!.origin };
}

interface TableSpec {
  key: string[];
  /** Columns copied as booleans (SQLite keeps 0/1). */
  booleans?: string[];
  /** Never updated once there: the ledger's story rows are the no-second-post guarantee. */
  insertOnly?: boolean;
  /** A condition on the incoming row `r`, naming the columns it reads (rows of stories the target lacks are skipped). */
  requires?: { condition: string; columns: string };
}

const storyExists = { condition: 'EXISTS (SELECT 1 FROM stories s WHERE s.id = r.story_id)', columns: 'story_id text' };

const SPECS: Record<Exclude<ExportedTable, 'stories'>, TableSpec> = {
  story_feeds: { key: ['story_id', 'feed_id'], insertOnly: true, requires: storyExists },
  story_matches: { key: ['story_id'], booleans: ['relevant'], requires: storyExists },
  // The target's triggers computed these from the decisions just copied; the source's rows add leads and outlets.
  events: { key: ['key'], requires: eventExists('key') },
  event_briefs: { key: ['event_key', 'brief_id'], requires: eventExists('event_key') },
  event_outlets: { key: ['event_key', 'outlet_key'], insertOnly: true, requires: eventExists('event_key') },
  filtered_stories: { key: ['story_id'] },
  feed_state: { key: ['feed_id'] },
  digest_deliveries: { key: ['id'], booleans: ['late'] },
  digest_delivery_stories: { key: ['channel_key', 'story_id'], insertOnly: true },
  digest_alert_holds: { key: ['channel_key', 'story_id'], insertOnly: true },
  digest_schedules: { key: ['schedule_key'] },
};

/** An event some decision of the target files stories into (none when all its stories were skipped). */
function eventExists(column: string): TableSpec['requires'] {
  return {
    condition: `EXISTS (SELECT 1 FROM story_matches m WHERE m.cluster_key = r.${column})`,
    columns: `${column} text`,
  };
}

/** Copies every table, one transaction per batch, calling `progress` after each table. */
export async function importStore(
  pool: Pool,
  source: StoreExport,
  progress: (count: TableCount) => void = () => undefined,
): Promise<TableCount[]> {
  const counts: TableCount[] = [];
  const origin = source.origin();
  for (const table of EXPORTED_TABLES) {
    const count: TableCount = { table, source: source.count(table), inserted: 0, updated: 0, unchanged: 0, skipped: 0 };
    const columns = await columnsOf(pool, table);
    for (const batch of source.rows(table)) {
      const result = await inTransaction(pool, (client) =>
        table === 'stories' ? copyStories(client, batch) : copyRows(client, table, columns, batch),
      );
      count.inserted += result.inserted;
      count.updated += result.updated;
      count.skipped += result.skipped;
      count.unchanged += batch.length - result.inserted - result.updated - result.skipped;
    }
    counts.push(count);
    progress(count);
  }
  if (origin !== null) {
    await pool.query(
      'INSERT INTO store_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [ORIGIN_KEY, origin],
    );
  }
  return counts;
}

type Copied = { inserted: number; updated: number; skipped: number };

async function columnsOf(pool: Pool, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1
       AND COALESCE(column_default, '') NOT LIKE 'nextval(%' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.c);
}

async function copyRows(
  client: Pick<Pool, 'query'>,
  table: Exclude<ExportedTable, 'stories'>,
  targetColumns: string[],
  batch: ExportedRow[],
): Promise<Copied> {
  const spec = SPECS[table];
  // The columns both sides have: the target's serial columns (seq) are filled in as rows arrive, in order.
  const columns = targetColumns.filter((c) => c in batch[0]!);
  const rest = columns.filter((c) => !spec.key.includes(c));
  const rows = batch.map((row) => {
    const out: Record<string, unknown> = {};
    for (const c of columns) out[c] = spec.booleans?.includes(c) && row[c] !== null ? row[c] === 1 : row[c];
    return out;
  });
  const conflict =
    spec.insertOnly || rest.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE (${rest.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `excluded.${c}`).join(', ')})`;
  const { rows: done } = await client.query<{ inserted: boolean }>(
    `INSERT INTO ${table} AS t (${columns.join(', ')})
     SELECT ${columns.map((c) => `r.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) r
     ${spec.requires ? `WHERE ${spec.requires.condition}` : ''}
     ON CONFLICT (${spec.key.join(', ')}) ${conflict}
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify(rows)],
  );
  const skipped = spec.requires ? await countMissing(client, spec.requires, rows) : 0;
  const inserted = done.filter((r) => r.inserted).length;
  return { inserted, updated: done.length - inserted, skipped };
}

/** Rows of the batch the condition leaves out. */
async function countMissing(
  client: Pick<Pool, 'query'>,
  requires: NonNullable<TableSpec['requires']>,
  rows: Record<string, unknown>[],
) {
  const { rows: out } = await client.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM jsonb_to_recordset($1::jsonb) AS r(${requires.columns}) WHERE NOT (${requires.condition})`,
    [JSON.stringify(rows)],
  );
  return out[0]!.n;
}

/**
 * Stories need their search vector computed, and a story whose URL a different
 * story of the target already has (another origin copied in with --force) is
 * skipped, as the bot itself would treat it as that story.
 */
async function copyStories(client: Pick<Pool, 'query'>, batch: ExportedRow[]): Promise<Copied> {
  const result: Copied = { inserted: 0, updated: 0, skipped: 0 };
  for (const r of batch) {
    const params = [
      pgIndexText(String(r.title)),
      pgIndexText(String(r.summary ?? '')),
      r.id,
      r.feed_id,
      r.title,
      r.summary,
      r.url,
      r.published,
      r.author,
      r.lang,
      r.first_seen,
      r.updated_at,
      r.backlog === 1,
      r.sort_time,
    ];
    const inserted = await client.query(
      `INSERT INTO stories (id, feed_id, title, summary, url, published, author, lang, first_seen, updated_at, backlog, sort_time, search)
       VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, ${SEARCH_VECTOR}) ON CONFLICT DO NOTHING`,
      params,
    );
    if (inserted.rowCount) {
      result.inserted++;
      continue;
    }
    const updated = await client.query(
      `UPDATE stories SET title = $3, summary = $4, updated_at = $5, search = ${SEARCH_VECTOR}
       WHERE id = $6 AND (title, summary, updated_at) IS DISTINCT FROM ($3, $4, $5)`,
      [params[0], params[1], r.title, r.summary, r.updated_at, r.id],
    );
    if (updated.rowCount) {
      result.updated++;
      continue;
    }
    const { rowCount } = await client.query('SELECT 1 FROM stories WHERE id = $1', [r.id]);
    if (!rowCount) result.skipped++;
  }
  return result;
}
