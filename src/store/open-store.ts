import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from './store.js';
import { openSqliteStore, type OpenSqliteOptions } from './sqlite/open-sqlite-store.js';

/**
 * How to open the store: `readonly` opens an existing database without changing it
 * (commands that only read); `onBusy` hears when opening waits for another process.
 */
export type OpenStoreOptions = OpenSqliteOptions;

/** What storage.database and DEALBOT_DB accept, for messages. */
export const SUPPORTED_LOCATIONS =
  'a SQLite file path (data/dealbot.db), sqlite:PATH, sqlite:///ABSOLUTE/PATH or :memory:';

/**
 * Opens the store named by the config's storage.database (or DEALBOT_DB): a file
 * path, ':memory:', or a `sqlite:` URL. The composition root calls this and never
 * names an engine, so another one (postgres://…) is added here alone. Until the bot
 * runs on PostgreSQL (src/store/postgres/ is its engine, used so far by
 * `dealbot migrate-store`), another scheme is refused by name rather than taken for
 * a file or folder name.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Store {
  return openSqliteStore(sqliteFile(location), options);
}

/** The SQLite file (or ':memory:') a location names; throws for a scheme this dealbot does not support. */
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
      `the database "${withoutPassword(location)}" (storage.database or DEALBOT_DB) uses ${scheme}:, and running dealbot on PostgreSQL is not available yet (docs/scale-out.md); ` +
        `use ${SUPPORTED_LOCATIONS} for now. Copying a SQLite store into PostgreSQL ahead of it works: npx dealbot migrate-store --to ${withoutPassword(location)}`,
    );
  }
  throw new Error(
    `the database "${withoutPassword(location)}" (storage.database or DEALBOT_DB) uses ${scheme}:, which this dealbot does not support yet; ` +
      `use ${SUPPORTED_LOCATIONS}` +
      (location.includes('://') ? '' : `; for a file whose name has a colon, write ./${location}`),
  );
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, so a refusal never prints a password. */
function withoutPassword(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/**
 * Whether `location` holds a database a command that only reads can open: an existing
 * file. Such commands never create one, and ':memory:' holds nothing another process
 * stored. Throws, like openStore, for a scheme this dealbot does not support.
 */
export function storedDatabaseExists(location: string): boolean {
  const file = sqliteFile(location);
  return file !== ':memory:' && existsSync(file);
}
