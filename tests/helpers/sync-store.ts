import type { Store } from '../../src/store/store.js';
import { sqliteFile } from '../../src/store/open-store.js';
import { openSqliteStore, type OpenSqliteOptions } from '../../src/store/sqlite/open-sqlite-store.js';

/**
 * The SQLite store in its plain (synchronous) form, for a test's own seeding and
 * reading; hand `asyncFromSync(store)` (src/store/async-store.ts) to product code,
 * which takes the asynchronous contract, as openStore gives it to the bot.
 */
export function openSyncStore(location: string, options: OpenSqliteOptions = {}): Store {
  return openSqliteStore(sqliteFile(location), options);
}
