import Database from 'better-sqlite3';
import type { ExportedRow, ExportedTable, StoreExport } from '../store-export.js';
import { openSqliteStore } from './open-sqlite-store.js';

/** Rows in the order they were written, so the copy keeps the order queues and ties depend on. */
const ORDER: Record<ExportedTable, string> = {
  stories: 'seq',
  story_feeds: 'first_seen, story_id, feed_id',
  story_matches: 'rowid',
  // WITHOUT ROWID tables: by their keys.
  events: 'key',
  event_briefs: 'event_key, brief_id',
  event_outlets: 'event_key, outlet_key',
  filtered_stories: 'rowid',
  feed_state: 'feed_id',
  digest_deliveries: 'rowid',
  digest_delivery_stories: 'rowid',
  digest_alert_holds: 'rowid',
  digest_schedules: 'schedule_key',
};

/**
 * Reads a SQLite store for copying, read-only and in one read transaction, so the
 * copy is one consistent moment even while the bot keeps writing (WAL mode).
 * The schema must be the one this code expects (the bot migrates on start).
 */
export function openSqliteExport(file: string): StoreExport {
  // Opening read-only as a store first gives the usual messages (no such file, older or newer schema).
  openSqliteStore(file, { readonly: true }).close();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.prepare('BEGIN').run();
  return {
    name: file,
    origin() {
      const row = db.prepare('SELECT id, first_seen FROM stories ORDER BY seq LIMIT 1').get() as
        { id: string; first_seen: string } | undefined;
      return row ? `${row.id} @ ${row.first_seen}` : null;
    },
    count(table) {
      return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
    *rows(table, batchSize = 500) {
      let batch: ExportedRow[] = [];
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER[table]}`).iterate()) {
        batch.push(row as ExportedRow);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
    close() {
      if (db.open) db.close(); // ends the read transaction; nothing was written
    },
  };
}
