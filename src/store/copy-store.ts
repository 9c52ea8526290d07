import { sqliteFile } from './open-store.js';
import { openPostgresStore } from './postgres/open-postgres-store.js';
import { importStore, targetState, type TableCount } from './postgres/pg-import.js';
import { redactUrl } from './postgres/pg-pool.js';
import { openSqliteExport } from './sqlite/sqlite-export.js';

/**
 * Copies a SQLite store into PostgreSQL (`dealbot migrate-store`). Beside
 * open-store.ts, the one other file that names engines: it reads one and writes
 * the other. The target's schema is created or brought up to date first.
 * The source is read through the synchronous SQLite engine (openSqliteExport), not
 * the asynchronous contract the bot uses: the copy must read one moment of the file
 * in one read transaction, which only a same-process synchronous read can hold
 * open across every table (SQLite migrations are synchronous for the same reason).
 */

export interface CopyOptions {
  /** Copy into a database that already holds another store's data (rows already there by key are kept). */
  force?: boolean;
  /** Told after each table. */
  onTable?: (count: TableCount) => void;
}

export interface CopyReport {
  source: string;
  /** "host:port/database". */
  target: string;
  counts: TableCount[];
}

/** The target holds data that did not come from this store: nothing was copied. */
export class CopyRefusedError extends Error {}

export async function copySqliteToPostgres(
  sqliteLocation: string,
  postgresUrl: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  if (!/^postgres(ql)?:\/\//i.test(postgresUrl)) {
    throw new Error(
      `--to must be a PostgreSQL URL such as postgres://user@host:5432/dealbot, not "${redactUrl(postgresUrl)}"`,
    );
  }
  const source = openSqliteExport(sqliteFile(sqliteLocation));
  try {
    const target = await openPostgresStore(postgresUrl, { maxConnections: 2 });
    try {
      const state = await targetState(target.pool);
      const origin = source.origin();
      if (!state.empty && !options.force && (state.origin === null || state.origin !== origin)) {
        throw new CopyRefusedError(
          `the PostgreSQL database ${target.name} already holds ${
            state.origin === null
              ? 'data that migrate-store did not copy'
              : `another store's data (its oldest story: ${state.origin})`
          }, so copying ${source.name} into it would mix two stores; nothing was copied. ` +
            'Point --to at an empty database, or add --force to merge them (rows already there by id or URL are kept).',
        );
      }
      const counts = await importStore(target.pool, source, options.onTable);
      return { source: source.name, target: target.name, counts };
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
