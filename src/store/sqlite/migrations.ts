import type { Database } from 'better-sqlite3';
import { COORDINATION_MIGRATION_SQL } from './coordination-migration.js';
import { DIGEST_LEDGER_MIGRATION_SQL } from './digest-ledger-migration.js';
import { EVENTS_MIGRATION_SQL } from './events-migration.js';
import { MATCH_MIGRATION_SQL } from './match-migration.js';
import { UNDECIDED_MIGRATION_SQL } from './undecided-migration.js';

/**
 * The database schema, as an ordered list of migrations. `PRAGMA user_version`
 * records the last one applied; opening a store applies the rest, each in its
 * own transaction, so a crash leaves the database at a whole version.
 *
 * TO CHANGE THE SCHEMA, APPEND ONE ENTRY at the end of MIGRATIONS with the next
 * version number (last + 1) and a short name. That is all: never edit or reorder
 * an entry that has shipped (databases in the field already ran it), and never
 * reuse a number. A test checks the numbers run 1, 2, 3… without gaps.
 * Times are stored as ISO 8601 UTC text, booleans as 0/1.
 */
export interface Migration {
  version: number;
  name: string;
  /** SQL run with db.exec (several statements allowed). */
  up: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'stories, story_feeds, full-text index, feed_state',
    up: `
      CREATE TABLE stories (
        seq         INTEGER PRIMARY KEY,      -- rowid; also the rowid of stories_fts
        id          TEXT NOT NULL UNIQUE,     -- guid, canonical link or hash (see Story.id)
        feed_id     TEXT NOT NULL,            -- the feed that first brought it
        title       TEXT NOT NULL,
        summary     TEXT NOT NULL DEFAULT '',
        url         TEXT,                     -- canonical URL; one story per URL
        published   TEXT,
        author      TEXT,
        lang        TEXT NOT NULL,
        first_seen  TEXT NOT NULL,
        updated_at  TEXT,
        backlog     INTEGER NOT NULL DEFAULT 0,
        sort_time   TEXT NOT NULL             -- published, else first_seen: what "recent" sorts by
      );
      CREATE UNIQUE INDEX stories_url ON stories(url) WHERE url IS NOT NULL;
      CREATE INDEX stories_sort_time ON stories(sort_time DESC, seq DESC);
      CREATE INDEX stories_first_seen ON stories(first_seen);

      -- Every feed that carried a story (the same article reaches several feeds).
      CREATE TABLE story_feeds (
        story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        feed_id     TEXT NOT NULL,
        first_seen  TEXT NOT NULL,
        PRIMARY KEY (story_id, feed_id)
      ) WITHOUT ROWID;
      CREATE INDEX story_feeds_feed ON story_feeds(feed_id);

      -- Title and summary as indexed text (CJK cut into bigrams by the repository,
      -- so Japanese without spaces is searchable); rowid = stories.seq.
      CREATE VIRTUAL TABLE stories_fts USING fts5(
        title, summary,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      CREATE TABLE feed_state (
        feed_id              TEXT PRIMARY KEY,
        url                  TEXT NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        last_poll_at         TEXT,
        last_status          INTEGER,
        last_success_at      TEXT,
        last_error_at        TEXT,
        last_error           TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_due_at          TEXT,
        status               TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'failing', 'dead')),
        moved_to             TEXT,
        notified             TEXT CHECK (notified IN ('failing', 'dead'))
      );
    `,
  },
  { version: 2, name: 'digest delivery ledger and schedule cursors', up: DIGEST_LEDGER_MIGRATION_SQL },
  { version: 3, name: 'match decisions, event clusters and filtered stories', up: MATCH_MIGRATION_SQL },
  {
    version: 4,
    name: 'why a story joined its event',
    up: 'ALTER TABLE story_matches ADD COLUMN event_note TEXT;',
  },
  { version: 5, name: 'queue of stories not decided yet', up: UNDECIDED_MIGRATION_SQL },
  {
    version: 6,
    name: 'stored events, kept in step with decisions; pending deliveries index',
    up: EVENTS_MIGRATION_SQL,
  },
  {
    version: 7,
    name: 'delivery attempt times, failure notices and time zone',
    up: `
      ALTER TABLE digest_deliveries ADD COLUMN first_attempt_at TEXT;  -- findPosted looks back to here
      ALTER TABLE digest_deliveries ADD COLUMN failing_since TEXT;     -- first failed attempt
      ALTER TABLE digest_deliveries ADD COLUMN noticed_at TEXT;        -- admins told it keeps failing
      ALTER TABLE digest_deliveries ADD COLUMN time_zone TEXT;         -- a digest slot's zone, for the late line
    `,
  },
  { version: 8, name: 'named leases and the replica registry', up: COORDINATION_MIGRATION_SQL },
  // Append new migrations here: { version: 9, name: '…', up: `…` },
];

/** The schema version this code expects. */
export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** How a migration run names the database and reports waiting for another process. */
export interface MigrateOptions {
  /** The database as the user knows it (its path), for messages. */
  name?: string;
  /** Called once when another connection holds the write lock and the migration waits for it. */
  onBusy?: (message: string) => void;
}

/**
 * Brings the database up to LATEST_VERSION. Safe to call on every open and from
 * several processes at once. A database already at the latest version is only
 * read (no write lock, so it opens beside a writer and on a read-only file); each
 * step that is due takes the write lock (BEGIN IMMEDIATE) and re-reads the version
 * inside it, so two processes starting together migrate once.
 */
export function migrate(
  db: Database,
  migrations: Migration[] = MIGRATIONS,
  options: MigrateOptions = {},
): { from: number; to: number } {
  checkOrder(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const from = userVersion(db);
  if (from > latest) {
    throw new Error(
      `the database${options.name ? ` ${options.name}` : ''} is at schema version ${from}, newer than this dealbot knows (${latest}); ` +
        'run a newer dealbot or point storage.database at another file',
    );
  }
  for (const m of migrations) {
    if (m.version <= from) continue;
    const step = db.transaction(() => {
      if (userVersion(db) >= m.version) return;
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      withWriteLock(db, () => step.immediate(), options);
    } catch (err) {
      if (err instanceof DatabaseBusyError) throw err;
      throw new Error(`database migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return { from, to: userVersion(db) };
}

/** The write lock stayed with another process for the whole busy timeout. */
export class DatabaseBusyError extends Error {}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …): another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs `write` (which takes the write lock); if another process holds it, says so
 * through onBusy and waits up to the connection's busy timeout before giving up
 * with an error that names the cause.
 */
function withWriteLock<T>(db: Database, write: () => T, options: MigrateOptions): T {
  const timeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return write();
  } catch (err) {
    if (!isBusy(err)) throw err;
    const name = options.name ?? 'the database';
    options.onBusy?.(`another dealbot process is writing to ${name}; retrying`);
    db.pragma(`busy_timeout = ${timeoutMs}`);
    try {
      return write();
    } catch (again) {
      if (!isBusy(again)) throw again;
      throw new DatabaseBusyError(
        `cannot update the schema of ${name}: another dealbot process has been writing to it for more than ${timeoutMs / 1000} s (SQLite: database is locked); try again when it has finished`,
        { cause: again },
      );
    }
  } finally {
    db.pragma(`busy_timeout = ${timeoutMs}`);
  }
}

function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Versions must run 1, 2, 3…: a gap or a duplicate means an entry was edited or misnumbered. */
export function checkOrder(migrations: Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `migration "${m.name}" has version ${m.version}; expected ${i + 1} (append migrations with the next number)`,
      );
    }
  });
}
