import type { HealthProbe } from '../adapters/adapter-module.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { ChatAdapter } from '../messages/chat-adapter.js';
import type { AsyncStore } from '../store/async-store.js';
import { assessHealth } from './assess-health.js';
import type { BackgroundJob } from './background-job.js';
import { statusFileFor } from './bot-status.js';
import { createHealthServer, healthListenFromEnv } from './health-server.js';
import { createHeartbeat } from './heartbeat.js';

export interface BotHealthOptions {
  databasePath: string;
  store: AsyncStore;
  getConfig: () => Config;
  /** The bot's adapters; may be filled after this is created (the probe is handed to them). */
  adapters: readonly ChatAdapter[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

export interface BotHealth {
  /** The verdict now, for GET /healthz in this process. */
  probe: HealthProbe;
  /** The heartbeat, and the HEALTH_PORT server when that variable is set. */
  jobs: BackgroundJob[];
}

/**
 * How the running bot reports its health: a heartbeat in the status file beside
 * the database (read by `dealbot health` in another process), and GET /healthz
 * on HEALTH_PORT when set. Both give the same verdict (src/bot/assess-health.ts).
 */
export function createBotHealth(options: BotHealthOptions): BotHealth {
  const statusFile = statusFileFor(options.databasePath);
  const heartbeat = createHeartbeat({ file: statusFile, adapters: options.adapters, logger: options.logger });
  const probe: HealthProbe = async () =>
    assessHealth({
      status: heartbeat.snapshot(),
      statusFile,
      feeds: options.getConfig().feeds,
      feedStates: await options.store.feeds.list(),
      now: new Date(),
    });
  const listen = healthListenFromEnv(options.env);
  const jobs: BackgroundJob[] = [heartbeat];
  if (listen) jobs.push(createHealthServer({ ...listen, probe, logger: options.logger }));
  return { probe, jobs };
}
