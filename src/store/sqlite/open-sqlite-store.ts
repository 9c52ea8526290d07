import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { createSqliteLeaseRepo, createSqliteReplicaRepo } from './sqlite-coordination.js';
import { isBusy, LATEST_VERSION, migrate } from './migrations.js';
import { openErrorMessage } from './open-error.js';
import { SqliteDigestLedger } from './sqlite-digest-ledger.js';
import { createSqliteFeedStateRepo } from './sqlite-feed-state-repo.js';
import { createSqliteMatchRepo } from './sqlite-match-repo.js';
import { createSqliteStoryRepo } from './sqlite-story-repo.js';

/** How long a write waits for another process's lock (a `dealbot poll --once` beside the running bot). */
const BUSY_TIMEOUT_MS = 5_000;

export interface OpenSqliteOptions {
  /**
   * Open an existing database without writing to it (`dealbot health`, `ask`, `feeds`,
   * `why`): no file or folder is created, no migration runs, no lock is taken, and
   * every write fails. It works on a file the user may only read and beside a writer.
   * The schema must already be the one this code expects.
   */
  readonly?: boolean;
  /** Told when another process holds the write lock and opening waits for it (a migration is due). */
  onBusy?: (message: string) => void;
  /** How long a statement waits for another process's lock before failing; 5 s by default. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the SQLite database at `file` and brings its schema
 * up to date. ':memory:' gives a private in-memory store (tests). Errors name the
 * file and the cause ("cannot create data/dealbot.db: no such folder …").
 */
export function openSqliteStore(file: string, options: OpenSqliteOptions = {}): Store {
  const inMemory = file === ':memory:' || file === '';
  if (options.readonly) return wrap(openReadOnly(file, timeoutOf(options)), file, timeoutOf(options));
  const creating = !inMemory && !existsSync(file);
  let db: Database.Database | undefined;
  try {
    if (creating) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file, { timeout: timeoutOf(options) });
    // WAL: readers (commands) never block the poller's writes, and a killed process
    // loses at most the transaction it was in. Set only when it is not already, as
    // changing it writes.
    if (!inMemory && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    // NORMAL is safe with WAL (no corruption; only the last commits may be lost on power loss).
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL every ~1 MB instead of SQLite's 4 MB: the commit that runs a checkpoint
    // holds the event loop while it copies pages (10–40 ms at 4 MB; a quarter of that here).
    db.pragma('wal_autocheckpoint = 250');
    db.pragma('foreign_keys = ON');
    migrate(db, undefined, { name: file, onBusy: options.onBusy });
  } catch (err) {
    db?.close();
    throw openFailure(err, file, creating ? 'create' : 'open');
  }
  return wrap(db, file, timeoutOf(options));
}

function timeoutOf(options: OpenSqliteOptions): number {
  return options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
}

function openReadOnly(file: string, timeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  let version: number;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: timeoutMs });
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (err) {
    db?.close();
    throw openFailure(err, file, 'read');
  }
  if (version !== LATEST_VERSION) {
    db.close();
    throw new Error(
      version < LATEST_VERSION
        ? `the database ${file} is at schema version ${version}, older than this dealbot's ${LATEST_VERSION}; start the bot once (it migrates on start)`
        : `the database ${file} is at schema version ${version}, newer than this dealbot knows (${LATEST_VERSION}); run a newer dealbot`,
    );
  }
  return db;
}

/** An open error as "cannot create FILE: the folder … is not writable", keeping the original as its cause. */
function openFailure(err: unknown, file: string, verb: 'create' | 'open' | 'read'): Error {
  const message = openErrorMessage(err, file, verb);
  return message === undefined ? (err as Error) : new Error(message, { cause: err });
}

function wrap(db: Database.Database, file: string, timeoutMs: number): Store {
  const plain = writeErrorsNamed(file, timeoutMs);
  return {
    stories: plain(createSqliteStoryRepo(db)),
    feeds: plain(createSqliteFeedStateRepo(db)),
    ledger: plain(new SqliteDigestLedger(db)),
    matches: plain(createSqliteMatchRepo(db)),
    leases: plain(createSqliteLeaseRepo(db)),
    replicas: plain(createSqliteReplicaRepo(db)),
    close() {
      if (db.open) db.close();
    },
  };
}

/**
 * Wraps a repository so SQLite's bare "database is locked" and "attempt to write a
 * readonly database" name the file and the cause, whichever call hits them.
 */
function writeErrorsNamed(file: string, timeoutMs: number) {
  const named = (err: unknown): unknown => {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') return err;
    if (isBusy(err)) {
      return new Error(
        `${file} is busy: another dealbot process has been writing to it for more than ${timeoutMs / 1000} s (SQLite: database is locked); try again when it has finished`,
        { cause: err },
      );
    }
    if (code === 'SQLITE_READONLY') {
      return new Error(
        `cannot write to ${file}: it is open read-only, or the file is read-only for this user (SQLite: attempt to write a readonly database)`,
        { cause: err },
      );
    }
    return err;
  };
  return <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } catch (err) {
            throw named(err);
          }
        };
      },
    });
}
