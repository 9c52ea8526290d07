import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asyncFromSync, type AsyncStore } from './async-store.js';
import { openSqliteStore, type OpenSqliteOptions } from './sqlite/open-sqlite-store.js';

/**
 * How to open the store: `readonly` opens an existing database without changing it
 * (commands that only read); `onBusy` hears when opening waits for another process (SQLite).
 */
export type OpenStoreOptions = OpenSqliteOptions & {
  /** This replica's name in the feed leases and post claims it holds (PostgreSQL). */
  holder?: string;
};

/** What storage.database and DEALBOT_DB accept, for messages. */
export const SUPPORTED_LOCATIONS =
  'a SQLite file path (data/dealbot.db), sqlite:PATH, sqlite:///ABSOLUTE/PATH, :memory: or postgres://USER@HOST:PORT/DATABASE';

/** Where a location points: a SQLite file (or ':memory:'), or a PostgreSQL database by URL. */
export type StoreLocation = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/**
 * Opens the store named by the config's storage.database (or DEALBOT_DB): a file
 * path, ':memory:' or a `sqlite:` URL opens SQLite (offered in the asynchronous
 * form, asyncFromSync); a `postgres://` or `postgresql://` URL opens PostgreSQL.
 * The composition root calls this and never names an engine. Another scheme is
 * refused by name rather than taken for a file or folder name.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<AsyncStore> {
  const where = storeLocation(location);
  if (where.engine === 'sqlite') return asyncFromSync(openSqliteStore(where.file, options));
  // Loaded only when asked for, so a SQLite bot (and each CLI command) does not load pg.
  const { openPostgresStore } = await import('./postgres/open-postgres-store.js');
  return openPostgresStore(where.url, { readonly: options.readonly, holder: options.holder });
}

/** The engine and file or URL a location names; throws for a scheme this dealbot does not support. */
export function storeLocation(location: string): StoreLocation {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { engine: 'postgres', url: location };
  return { engine: 'sqlite', file: sqliteFile(location) };
}

/** The SQLite file (or ':memory:') a location names; throws for a PostgreSQL URL or a scheme this dealbot does not support. */
export function sqliteFile(location: string): string {
  if (location === ':memory:') return location;
  // Two letters at least, so a Windows drive (C:\…) stays a path.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return location;
  if (scheme === 'sqlite') {
    const rest = location.slice('sqlite:'.length);
    // sqlite:///abs/path and sqlite://rel/path (as before), sqlite:rel/path, sqlite::memory:
    const file = rest.startsWith('//') ? rest.slice(2) : rest;
    return decodeURIComponent(file) || ':memory:';
  }
  if (scheme === 'file' && location.startsWith('file://')) return fileURLToPath(location);
  if (scheme === 'postgres' || scheme === 'postgresql') {
    throw new Error(
      `the database "${withoutPassword(location)}" is PostgreSQL, not a SQLite file; this needs a SQLite store (data/dealbot.db, sqlite:PATH)`,
    );
  }
  throw new Error(
    `the database "${withoutPassword(location)}" (storage.database or DEALBOT_DB) uses ${scheme}:, which this dealbot does not support yet; ` +
      `use ${SUPPORTED_LOCATIONS}` +
      (location.includes('://') ? '' : `; for a file whose name has a colon, write ./${location}`),
  );
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, so a refusal never prints a password. */
export function withoutPassword(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/**
 * Whether `location` holds a database a command that only reads can open: an existing
 * file. Such commands never create one, and ':memory:' holds nothing another process
 * stored. A PostgreSQL URL counts as existing: nothing is created by connecting (the
 * server refuses a database that is not there, and openStore's `readonly` refuses one
 * without dealbot's schema, each with a message saying what to do), and asking the
 * server first would cost a connection for the same answer. Throws, like openStore,
 * for a scheme this dealbot does not support.
 */
export function storedDatabaseExists(location: string): boolean {
  const where = storeLocation(location);
  if (where.engine === 'postgres') return true;
  return where.file !== ':memory:' && existsSync(where.file);
}

/**
 * A name for the store fit for a file name ("127.0.0.1-5432-dealbot" for a PostgreSQL
 * database), for what lives beside it (the bot's status file); null for a SQLite file.
 */
export function postgresTargetName(location: string): string | null {
  const where = storeLocation(location);
  if (where.engine !== 'postgres') return null;
  try {
    const u = new URL(where.url);
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || u.username || 'postgres';
    return `${u.hostname || 'localhost'}-${u.port || '5432'}-${db}`.replace(/[^A-Za-z0-9._-]/g, '_');
  } catch {
    return 'postgres';
  }
}
