import type { Store } from './store.js';
import { openSqliteStore } from './sqlite/open-sqlite-store.js';

/**
 * Opens the store named by the config's storage.database (or DEALBOT_DB): a file
 * path, ':memory:', or a `sqlite:` URL. The composition root calls this and never
 * names an engine, so another one (postgres://…) is added here alone.
 */
export function openStore(location: string): Store {
  if (location === ':memory:') return openSqliteStore(location);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return openSqliteStore(location);
  if (scheme === 'sqlite') return openSqliteStore(decodeURIComponent(location.slice('sqlite://'.length)) || ':memory:');
  throw new Error(`storage.database "${location}": the ${scheme} engine is not supported; use a SQLite file path`);
}
