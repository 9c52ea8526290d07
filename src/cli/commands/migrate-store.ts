import { parseArgs } from 'node:util';
import { copySqliteToPostgres } from '../../store/copy-store.js';
import type { CliCommand } from '../cli-command.js';
import { loadConfigOrReport } from '../load-or-report.js';

const USAGE = 'dealbot migrate-store --to postgres://USER@HOST:5432/DB [--config FILE | --from SQLITE_FILE] [--force]';

/**
 * Copies the configured SQLite store (stories with their feeds, decisions, events'
 * keys and notes, the stored events, filtered stories, feed state, the delivery ledger and schedule
 * cursors) into PostgreSQL. Run it again to bring the copy up to date: nothing is
 * copied twice. The bot keeps running on SQLite meanwhile (docs/scale-out.md).
 */
export const migrateStoreCommand: CliCommand = {
  name: 'migrate-store',
  summary: 'copy the SQLite store into a PostgreSQL database (again to bring the copy up to date)',
  usage: USAGE,
  async run(argv, io) {
    let values: { to?: string; from?: string; config?: string; force?: boolean };
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          to: { type: 'string' },
          from: { type: 'string' },
          config: { type: 'string' },
          force: { type: 'boolean' },
        },
      }));
    } catch (err) {
      io.stderr.write(`dealbot migrate-store: ${(err as Error).message}\nusage: ${USAGE}\n`);
      return 2;
    }
    if (!values.to) {
      io.stderr.write(`dealbot migrate-store: say where to copy to with --to\nusage: ${USAGE}\n`);
      return 2;
    }
    let from = values.from;
    if (from === undefined) {
      const loaded = await loadConfigOrReport(values.config, io);
      if (!loaded) return 1;
      from = loaded.databasePath;
    }
    try {
      const report = await copySqliteToPostgres(from, values.to, {
        force: values.force,
        onTable: (c) =>
          io.stdout.write(
            `${c.table}: ${c.source} in the source; ${c.inserted} copied, ${c.updated} updated, ${c.unchanged} already there` +
              (c.skipped ? `, ${c.skipped} skipped (their story's URL belongs to another story there)` : '') +
              '\n',
          ),
      });
      const copied = report.counts.reduce((n, c) => n + c.inserted + c.updated, 0);
      io.stdout.write(
        `Copied ${report.source} into PostgreSQL ${report.target}: ${copied} row(s) new or updated.` +
          ' Running the bot on PostgreSQL is not available yet (docs/scale-out.md); it keeps using SQLite.\n',
      );
      return 0;
    } catch (err) {
      io.stderr.write(`dealbot migrate-store: ${(err as Error).message}\n`);
      return 1;
    }
  },
};
