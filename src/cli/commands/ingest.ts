import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE } from '../../config/load-config.js';
import type { BriefRegistry } from '../../briefs/brief-registry.js';
import { MatchService } from '../../bot/match-service.js';
import { configSchema, type Config } from '../../config/schema.js';
import { readFeedInput } from '../../feeds/read-feed-input.js';
import { openStore, withoutPassword } from '../../store/open-store.js';
import type { AsyncStore } from '../../store/async-store.js';
import type { Story } from '../../store/story.js';
import type { CliCommand, CliIO } from '../cli-command.js';
import { loadConfigOrReport, loadFilesOrReport } from '../load-or-report.js';

const USAGE = 'dealbot ingest FILE|URL... [--dry-run] [--json] [--config FILE]';

/**
 * Reads feeds from files or URLs through the same pipeline as the poller (same
 * limits, same address policy) and prints the stories, storing them unless
 * --dry-run. For trying a feed before adding it, loading an archive, and
 * debugging what the bot makes of a feed. Stored stories are treated as if their
 * feed had just been added: those older than feeds.defaults.backlog_age are
 * backlog and never digested. Stored stories are decided with the config's
 * briefs, as the poller's are; without a config file they wait in the undecided
 * queue for the bot, which decides them when it starts.
 */
export const ingestCommand: CliCommand = {
  name: 'ingest',
  summary:
    'read feeds from files or URLs, print their stories (--json: one JSON line each) and store them unless --dry-run',
  usage: USAGE,
  async run(argv, io) {
    let values: { 'dry-run'?: boolean; json?: boolean; config?: string };
    let inputs: string[];
    try {
      const parsed = parseArgs({
        args: argv,
        options: {
          'dry-run': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          config: { type: 'string' },
        },
        allowPositionals: true,
      });
      values = parsed.values;
      inputs = parsed.positionals;
    } catch (err) {
      io.stderr.write(`dealbot ingest: ${(err as Error).message}\nUsage: ${USAGE}\n`);
      return 2;
    }
    if (!inputs.length) {
      io.stderr.write(`dealbot ingest: name at least one feed file or URL.\nUsage: ${USAGE}\n`);
      return 2;
    }

    const settings = await loadSettings(values.config, io, !values['dry-run']);
    if (!settings) return 1;
    const { config, databasePath, briefs } = settings;

    let store: AsyncStore | null = null;
    if (!values['dry-run']) {
      try {
        store = await openStore(databasePath, { onBusy: (m) => io.stderr.write(`dealbot ingest: ${m}\n`) });
      } catch (err) {
        io.stderr.write(`dealbot ingest: ${(err as Error).message}\n`);
        return 1;
      }
    }

    const now = new Date();
    const userAgent = `dealbot/0.1 (+${config.feeds.defaults.user_agent_contact})`;
    const totals = { stories: 0, inserted: 0, updated: 0, failed: 0, decided: 0 };
    try {
      for (const input of inputs) {
        const read = await readFeedInput(input, {
          defaults: config.feeds.defaults,
          feeds: config.feeds.list,
          userAgent,
          now,
        });
        if (read.error !== null) {
          totals.failed++;
          io.stderr.write(`dealbot ingest: ${input}: ${read.error}\n`);
          continue;
        }
        const { stories, errors } = read.result!;
        // Items lost from a feed that still gave stories: worth a warning, not a failure.
        for (const problem of errors) io.stderr.write(`dealbot ingest: ${input}: warning: ${problem}\n`);
        for (const story of stories) io.stdout.write(`${values.json ? jsonLine(story) : textLine(story)}\n`);
        totals.stories += stories.length;
        if (store && stories.length) {
          const backlogBefore = new Date(now.getTime() - config.feeds.defaults.backlog_age).toISOString();
          const r = await store.stories.upsert(stories, { seenAt: now.toISOString(), backlogBefore });
          totals.inserted += r.inserted;
          totals.updated += r.updated;
        }
      }
      // Everything undecided, not only this run's stories: an earlier ingest may have been cut short.
      if (store && briefs)
        totals.decided = await new MatchService({
          store,
          getBriefs: () => briefs,
          getConfig: () => config,
        }).drainUndecided();
    } finally {
      await store?.close();
    }

    const summary =
      `${totals.stories} stor${totals.stories === 1 ? 'y' : 'ies'} from ${inputs.length - totals.failed} of ${inputs.length} input${inputs.length === 1 ? '' : 's'}` +
      (store
        ? `; stored in ${withoutPassword(databasePath)}: ${totals.inserted} new, ${totals.updated} updated` +
          (briefs
            ? `; ${totals.decided} decided against the briefs`
            : `; not decided (no ${DEFAULT_CONFIG_FILE}, so no briefs): the bot decides them when it starts`)
        : ' (dry run: nothing stored)');
    // With --json, stdout holds only story lines.
    (values.json ? io.stderr : io.stdout).write(`${summary}\n`);
    return totals.failed ? 1 : 0;
  },
};

/**
 * The config, database path and (when storing) the briefs stories are decided
 * against; without --config and without config/dealbot.yaml, the defaults and no briefs.
 */
async function loadSettings(
  configFlag: string | undefined,
  io: CliIO,
  withBriefs: boolean,
): Promise<{ config: Config; databasePath: string; briefs: BriefRegistry | null } | null> {
  if (configFlag === undefined && !existsSync(DEFAULT_CONFIG_FILE)) {
    const config = configSchema.parse({});
    return { config, databasePath: path.resolve(io.env.DEALBOT_DB ?? config.storage.database), briefs: null };
  }
  if (withBriefs) {
    const files = await loadFilesOrReport(configFlag, io);
    return files && { config: files.loaded.config, databasePath: files.loaded.databasePath, briefs: files.briefs };
  }
  const loaded = await loadConfigOrReport(configFlag, io);
  return loaded && { config: loaded.config, databasePath: loaded.databasePath, briefs: null };
}

function jsonLine(s: Story): string {
  return JSON.stringify({
    id: s.id,
    feed: s.feedId,
    title: s.title,
    summary: s.summary,
    url: s.url,
    published: s.published,
    lang: s.lang,
    author: s.author,
  });
}

/** "2025-05-20  reuters  Title  <https://…>" */
function textLine(s: Story): string {
  const date = s.published ? s.published.slice(0, 10) : 'undated   ';
  return `${date}  ${s.feedId}  ${s.title}${s.url ? `  <${s.url}>` : ''}`;
}
