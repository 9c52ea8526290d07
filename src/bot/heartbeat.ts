import type { Logger } from '../log/logger.js';
import type { ChatAdapter } from '../messages/chat-adapter.js';
import type { BackgroundJob } from './background-job.js';
import { writeBotStatus, type AdapterStatus, type BotStatus } from './bot-status.js';

/** How often the running bot rewrites its status file. */
export const HEARTBEAT_INTERVAL_MS = 30_000;

export interface HeartbeatOptions {
  /** The status file (statusFileFor(databasePath)). */
  file: string;
  /** The bot's adapters; read at each beat, so the list may be filled after this is created. */
  adapters: readonly ChatAdapter[];
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}

export interface Heartbeat extends BackgroundJob {
  /** Writes the first beat at once, synchronously. */
  start(): void;
  /** The bot's status now (what the next beat writes): for /healthz in the same process. */
  snapshot(): BotStatus;
}

/**
 * Writes the bot's status file at start, every HEARTBEAT_INTERVAL_MS, and once
 * more when it stops. A beat that stops coming means the bot is stuck (a blocked
 * event loop) or gone; `dealbot health` tells which from the file.
 */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ job: 'heartbeat' });
  const startedAt = now().toISOString();
  const adapterStates = new Map<string, AdapterStatus>();
  let stoppedAt: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let warned = false;

  const snapshot = (): BotStatus => {
    const at = now().toISOString();
    const adapters = options.adapters.map((adapter) => {
      const connected = adapter.isConnected?.() ?? true;
      const previous = adapterStates.get(adapter.platform);
      const state = previous?.connected === connected ? previous : { platform: adapter.platform, connected, since: at };
      adapterStates.set(adapter.platform, state);
      return state;
    });
    return { pid: process.pid, startedAt, heartbeatAt: at, stoppedAt, adapters };
  };

  const beat = () => {
    try {
      writeBotStatus(options.file, snapshot());
      warned = false;
    } catch (err) {
      // Once per failure streak: a read-only data folder must not flood the log every 30 s.
      if (!warned)
        logger.warn(
          { err, file: options.file },
          'cannot write the status file; the health check will report the bot as down',
        );
      warned = true;
    }
  };

  return {
    name: 'heartbeat',
    snapshot,
    start() {
      beat();
      timer = setInterval(beat, options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      stoppedAt = now().toISOString();
      beat();
    },
  };
}
