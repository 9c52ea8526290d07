import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { LATEST_VERSION, migrate } from './migrations.js';
import { SqliteDigestLedger } from './sqlite-digest-ledger.js';
import { createSqliteFeedStateRepo } from './sqlite-feed-state-repo.js';
import { createSqliteMatchRepo } from './sqlite-match-repo.js';
import { createSqliteStoryRepo } from './sqlite-story-repo.js';

/** How long a write waits for another process's lock (a `dealbot poll --once` beside the running bot). */
const BUSY_TIMEOUT_MS = 5_000;

export interface OpenSqliteOptions {
  /**
   * Open an existing database without writing to it (`dealbot health`): no file or
   * folder is created, no migration runs, and every write fails. The schema must
   * already be the one this code expects.
   */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the SQLite database at `file` and brings its schema
 * up to date. ':memory:' gives a private in-memory store (tests).
 */
export function openSqliteStore(file: string, options: OpenSqliteOptions = {}): Store {
  const inMemory = file === ':memory:' || file === '';
  if (options.readonly) return wrap(openReadOnly(file));
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
  return wrap(db);
}

function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== LATEST_VERSION) {
      throw new Error(
        version < LATEST_VERSION
          ? `the database ${file} is at schema version ${version}, older than this dealbot's ${LATEST_VERSION}; start the bot once (it migrates on start)`
          : `the database ${file} is at schema version ${version}, newer than this dealbot knows (${LATEST_VERSION}); run a newer dealbot`,
      );
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function wrap(db: Database.Database): Store {
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
