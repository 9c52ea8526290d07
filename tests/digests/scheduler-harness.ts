import { promised } from '../../src/store/async-store.js';
import { vi } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { DigestScheduler } from '../../src/digests/digest-scheduler.js';
import type { RetryPolicy } from '../../src/digests/retry-backoff.js';
import { silentLogger } from '../../src/log/logger.js';
import type { DigestLedger } from '../../src/store/digest-ledger.js';
import { BRIEFS, openLedger, type FakePlatform, type MemoryCandidates } from './helpers.js';

export interface RunningScheduler {
  scheduler: DigestScheduler;
  deliverer: DigestDeliverer;
  ledger: DigestLedger;
  /** Stops timers and closes the database, like a process exiting. */
  stop(): Promise<void>;
}

/**
 * One "process" of the bot's digest side over a SQLite file: start another
 * over the same file to simulate a restart. The platform (FakePlatform) lives
 * outside and survives it.
 */
export async function startScheduler(options: {
  file: string;
  /** The config, or a getter so a test can swap it and call reload(). */
  config: Config | (() => Config);
  platform: FakePlatform;
  candidates: MemoryCandidates;
  retry?: RetryPolicy;
  findPosted?: boolean;
}): Promise<RunningScheduler> {
  const { ledger, close } = openLedger(options.file);
  const adapter = options.platform.adapter({ platform: 'slack', findPosted: options.findPosted });
  const logger = silentLogger();
  const now = () => new Date();
  const deliverer = new DigestDeliverer({
    ledger: promised(ledger),
    adapterFor: (p) => (p === 'slack' ? adapter : undefined),
    logger,
    now,
    retry: options.retry,
  });
  const scheduler = new DigestScheduler({
    getConfig: typeof options.config === 'function' ? options.config : () => options.config as Config,
    getBriefs: () => BRIEFS,
    ledger: promised(ledger),
    candidates: options.candidates,
    deliverer,
    hasAdapter: (p) => p === 'slack',
    logger,
    now,
  });
  await scheduler.start();
  return {
    scheduler,
    deliverer,
    ledger,
    async stop() {
      await scheduler.stop();
      await deliverer.stop();
      close();
    },
  };
}

/** Moves the fake clock forward in steps, letting node-cron's timers and our awaits run. */
export async function advance(ms: number, step = 3_600_000): Promise<void> {
  for (let left = ms; left > 0; left -= step) await vi.advanceTimersByTimeAsync(Math.min(step, left));
}
