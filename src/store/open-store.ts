import type { Store } from './store.js';
import { openSqliteStore, type OpenSqliteOptions } from './sqlite/open-sqlite-store.js';

/** How to open the store; `readonly` opens an existing database without changing it. */
export type OpenStoreOptions = OpenSqliteOptions;

/**
 * Opens the store named by the config's storage.database (or DEALBOT_DB): a file
 * path, ':memory:', or a `sqlite:` URL. The composition root calls this and never
 * names an engine, so another one (postgres://…) is added here alone.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Store {
  if (location === ':memory:') return openSqliteStore(location, options);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return openSqliteStore(location, options);
  if (scheme === 'sqlite')
    return openSqliteStore(decodeURIComponent(location.slice('sqlite://'.length)) || ':memory:', options);
  throw new Error(`storage.database "${location}": the ${scheme} engine is not supported; use a SQLite file path`);
}
