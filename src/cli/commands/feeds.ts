import { parseArgs } from 'node:util';
import { buildFeedHealth, formatFeedHealthTable } from '../../feeds/feed-health.js';
import { openStore, storedDatabaseExists } from '../../store/open-store.js';
import type { FeedState } from '../../store/store.js';
import type { CliCommand } from '../cli-command.js';
import { loadConfigOrReport } from '../load-or-report.js';

/** Prints the feeds table: which feeds work, which fail and why, which moved or died. */
export const feedsCommand: CliCommand = {
  name: 'feeds',
  summary: 'show feed health: state, last success, last error, stories, next poll, moved-to',
  usage: 'dealbot feeds [--config FILE] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const loaded = await loadConfigOrReport(values.config, io);
    if (!loaded) return 1;
    // Reading the table must not create a database (without one, every feed is simply new)
    // nor take a lock: it runs beside the bot and on a file the user may only read.
    let states: FeedState[] = [];
    if (storedDatabaseExists(loaded.databasePath)) {
      const store = await openStore(loaded.databasePath, { readonly: true });
      try {
        states = await store.feeds.list();
      } finally {
        await store.close();
      }
    }
    const rows = buildFeedHealth(loaded.config.feeds.list, states);
    io.stdout.write(
      values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatFeedHealthTable(rows, new Date())}\n`,
    );
    return 0;
  },
};
