import { parseArgs } from 'node:util';
import { assessHealth, type HealthReport } from '../../bot/assess-health.js';
import { readBotStatus, statusFileFor } from '../../bot/bot-status.js';
import { openStore, storedDatabaseExists } from '../../store/open-store.js';
import type { FeedState } from '../../store/store.js';
import type { CliCommand } from '../cli-command.js';
import { loadConfigOrReport } from '../load-or-report.js';

/**
 * Is the running bot healthy? For Docker's HEALTHCHECK and monitoring scripts:
 * opens the database read-only (feed states: when a feed last polled
 * successfully) and reads the status file the bot rewrites every 30 s (its
 * adapters, its last heartbeat). Prints one line; exits 0 healthy, 1 unhealthy.
 */
export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'is the running bot healthy? database, last heartbeat, adapters connected, last poll (exit 0 or 1)',
  usage: 'dealbot health [--config FILE] [--json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const print = (report: Pick<HealthReport, 'healthy' | 'line'> & Partial<HealthReport>) => {
      io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${report.line}\n`);
      return report.healthy ? 0 : 1;
    };
    const unhealthy = (why: string) => print({ healthy: false, line: `unhealthy: ${why}` });

    const loaded = await loadConfigOrReport(values.config, io);
    if (!loaded) return unhealthy('the config is invalid (problems above); npx dealbot check-config shows them');
    const { databasePath } = loaded;
    // Never create the database: a missing file means no bot has run here.
    if (!storedDatabaseExists(databasePath)) {
      return unhealthy(
        `no database at ${databasePath}; start the bot (npm start or npx dealbot run) or set DEALBOT_DB`,
      );
    }
    let feedStates: FeedState[];
    try {
      const store = await openStore(databasePath, { readonly: true });
      try {
        feedStates = await store.feeds.list();
      } finally {
        await store.close();
      }
    } catch (err) {
      return unhealthy(`cannot read the database: ${(err as Error).message}`);
    }
    let status;
    try {
      status = readBotStatus(statusFileFor(databasePath));
    } catch (err) {
      return unhealthy((err as Error).message);
    }
    return print(
      assessHealth({
        status,
        statusFile: statusFileFor(databasePath),
        feeds: loaded.config.feeds,
        feedStates,
        now: new Date(),
      }),
    );
  },
};
