import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { migrate } from './migrations.js';
import { SqliteDigestLedger } from './sqlite-digest-ledger.js';
import { createSqliteFeedStateRepo } from './sqlite-feed-state-repo.js';
import { createSqliteMatchRepo } from './sqlite-match-repo.js';
import { createSqliteStoryRepo } from './sqlite-story-repo.js';

/** How long a write waits for another process's lock (a `dealbot poll --once` beside the running bot). */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) the SQLite database at `file` and brings its schema
 * up to date. ':memory:' gives a private in-memory store (tests).
 */
export function openSqliteStore(file: string): Store {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory && !file.startsWith('file:')) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // WAL: readers (commands) never block the poller's writes, and a killed process
    // loses at most the transaction it was in.
    if (!inMemory) db.pragma('journal_mode = WAL');
    // NORMAL is safe with WAL (no corruption; only the last commits may be lost on power loss).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    stories: createSqliteStoryRepo(db),
    feeds: createSqliteFeedStateRepo(db),
    ledger: new SqliteDigestLedger(db),
    matches: createSqliteMatchRepo(db),
    close() {
      if (db.open) db.close();
    },
  };
}
