import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { repoRoot, shippedBriefs } from '../helpers/paths.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * A project folder as a newcomer would set one up: config/dealbot.yaml with the
 * shipped briefs (absolute briefs_dir), feeds on the local feed server, and the
 * database in the same temporary folder (passed as DEALBOT_DB, as the README says).
 */

export const fixturesDir = path.join(repoRoot, 'tests/fixtures/e2e');

/** A feed fixture's text (real-looking RSS 2.0 / Atom documents written for these tests). */
export function fixture(name: string): string {
  return readFileSync(path.join(fixturesDir, name), 'utf8');
}

export interface E2eFeed {
  id: string;
  url: string;
  language?: string;
  note?: string;
}

export interface E2eProject {
  dir: string;
  configFile: string;
  dbFile: string;
  /** The environment the bot runs with: DEALBOT_DB in the temporary folder, no chat tokens. */
  env: NodeJS.ProcessEnv;
}

export function e2eProject(options: {
  feeds: E2eFeed[];
  /** A terminal digest channel on '* * * * *' UTC; none when omitted. */
  digestChannel?: string;
  /** feeds.defaults.backlog_age (default as shipped: 3d). */
  backlogAge?: string;
}): E2eProject {
  const config = {
    bot: { command: 'deal', default_brief: 'us-japan-rare-earths-2025', briefs_dir: shippedBriefs },
    storage: { database: 'data/never-used.db' },
    admins: { terminal: { users: ['local'] } },
    feeds: {
      defaults: {
        poll_interval: '15m',
        // The feeds are on 127.0.0.1; without this the address policy refuses them.
        allow_private_network: true,
        ...(options.backlogAge ? { backlog_age: options.backlogAge } : {}),
      },
      list: options.feeds.map((f) => ({
        id: f.id,
        url: f.url,
        language: f.language ?? 'en',
        ...(f.note ? { note: f.note } : {}),
      })),
    },
    digests: options.digestChannel
      ? [
          {
            platform: 'terminal',
            channel: options.digestChannel,
            cron: '* * * * *',
            timezone: 'UTC',
            briefs: ['us-japan-rare-earths-2025'],
            quiet_day: 'skip',
          },
        ]
      : [],
  };
  const dir = tempProject({ 'config/dealbot.yaml': stringify(config) });
  const dbFile = path.join(dir, 'data', 'e2e.db');
  return { dir, configFile: path.join(dir, 'config', 'dealbot.yaml'), dbFile, env: { DEALBOT_DB: dbFile } };
}
