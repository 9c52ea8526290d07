import type { Async } from '../store/async-store.js';
import { createTask, type ScheduledTask } from 'node-cron';
import type { ChatAdapter } from '../messages/chat-adapter.js';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { BackgroundJob } from './background-job.js';
import type { DigestLedger } from '../store/digest-ledger.js';
import { AlertDispatcher } from '../digests/alerts.js';
import type { DigestCandidateSource } from '../digests/candidate-source.js';
import type { Message } from '../messages/message.js';
import { cronLogger } from '../log/cron-logger.js';
import { DigestDeliverer } from '../digests/deliver-digest.js';
import { DigestScheduler } from '../digests/digest-scheduler.js';
import type { RetryPolicy } from '../digests/retry-backoff.js';

export interface DigestJobDeps {
  getConfig: () => Config;
  getBriefs: () => BriefRegistry;
  ledger: Async<DigestLedger>;
  candidates: DigestCandidateSource;
  /** The running adapters; read at each delivery. */
  adapters: ChatAdapter[];
  logger: Logger;
  now?: () => Date;
  retry?: RetryPolicy;
  lateAfterMs?: number;
  /** Tells the admins (admins.notices) when a post keeps failing or lacks a permission, and when it went through. */
  notifyAdmins?: (message: Message) => unknown;
}

/** The digests background job, with hooks for the composition root. */
export interface DigestJob extends BackgroundJob {
  /** Call after a config reload. */
  reload(): Promise<void>;
  /** Call when new matches are stored, so alerts go out at once rather than at the next minute. */
  checkAlerts(): Promise<void>;
  readonly scheduler: DigestScheduler;
  readonly alerts: AlertDispatcher;
  readonly deliverer: DigestDeliverer;
  /** Settles once every schedule's first-seen time is recorded: await it before the feeds' first poll. */
  readonly registered: Promise<void>;
}

/**
 * Scheduled digests and alerts as one BackgroundJob: main.ts adds it to its
 * jobs list and calls reload() from the config's onReload. Create it before the
 * feed watcher starts, and await its `registered`: creating it registers the schedules.
 */
export function createDigestJob(deps: DigestJobDeps): DigestJob {
  const logger = deps.logger.child({ job: 'digests' });
  const now = deps.now ?? (() => new Date());
  const adapterFor = (platform: string) => deps.adapters.find((a) => a.platform === platform);
  const hasAdapter = (platform: string) => Boolean(adapterFor(platform));
  const deliverer = new DigestDeliverer({
    ledger: deps.ledger,
    adapterFor,
    logger,
    now,
    retry: deps.retry,
    notifyAdmins: deps.notifyAdmins,
    claimTtlMs: deps.getConfig().storage.lease,
  });
  const shared = {
    getConfig: deps.getConfig,
    getBriefs: deps.getBriefs,
    ledger: deps.ledger,
    candidates: deps.candidates,
    deliverer,
    hasAdapter,
    logger,
    now,
  };
  const scheduler = new DigestScheduler({ ...shared, lateAfterMs: deps.lateAfterMs });
  // Now, before the feed watcher's first poll can store a story: a new channel's alerts and
  // first digest start from when it was configured, and that must not be after its first news.
  const registered = scheduler.register();
  // Awaited by whoever starts the feeds (DigestJob.registered); never left unhandled meanwhile.
  registered.catch(() => undefined);
  const alerts = new AlertDispatcher(shared);
  let alertTask: ScheduledTask | undefined;
  const sweep = () => alerts.sweep().then(() => undefined);

  return {
    name: 'digests',
    scheduler,
    alerts,
    deliverer,
    registered,
    async start() {
      await scheduler.start();
      // A minute's sweep bounds how late an alert can be when nobody calls checkAlerts().
      alertTask = createTask('* * * * *', sweep, {
        name: 'digest alerts',
        noOverlap: true,
        logger: cronLogger(logger),
      });
      void alertTask.start();
      void sweep().catch((err: unknown) => logger.error({ err }, 'alert check failed'));
    },
    async stop() {
      await alertTask?.destroy();
      await scheduler.stop();
      await deliverer.stop();
    },
    reload: () => scheduler.reload(),
    checkAlerts: sweep,
  };
}
