import { adapterModules, PLATFORMS, type PlatformRegistry } from './adapters/index.js';
import { terminalFallback, type TerminalAdapter, type TerminalLog } from './adapters/terminal/index.js';
import { AdminNotices } from './bot/admin-notices.js';
import type { BackgroundJob } from './bot/background-job.js';
import { createBotHealth } from './bot/bot-health.js';
import { createDigestJob } from './bot/digest-job.js';
import { createFeedWatcher } from './bot/feed-watcher.js';
import { LiveBotFiles } from './bot/live-bot-files.js';
import { loadBotFiles } from './bot/load-bot-files.js';
import { MatchService } from './bot/match-service.js';
import { createReplicaPresence, leasesOf } from './bot/replica-presence.js';
import { replicaIdOf, thisProcess } from './bot/replica-registration.js';
import { createCommandEngine } from './commands/engine.js';
import type { Services } from './commands/services.js';
import { SUBCOMMANDS } from './commands/subcommands/index.js';
import { createDigestCandidateSource } from './digests/store-candidates.js';
import type { Logger } from './log/logger.js';
import type { ChatAdapter } from './messages/chat-adapter.js';
import { openStore } from './store/open-store.js';
import { isStoreUnavailable } from './store/store-unavailable.js';

/**
 * The composition root: config → store → briefs → engine → adapters → schedules.
 * Everything else receives what it needs as arguments; this is the one place
 * that knows how the pieces fit.
 */

export interface StartOptions {
  configFile: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The terminal's streams, used when no chat platform is configured. */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Show a prompt (stdin is a terminal). */
  interactive: boolean;
  /**
   * The logger's destination when it is a terminal's: once the terminal adapter
   * runs, log lines print above its prompt instead of in the middle of it.
   */
  terminalLog?: TerminalLog;
  /** The platforms to start (default: every one in src/adapters/index.ts). */
  platforms?: PlatformRegistry;
}

export interface RunningBot {
  adapters: ChatAdapter[];
  files: LiveBotFiles;
  services: Services;
  /** Set when the bot runs in the terminal: resolves when its input ends. */
  terminal?: TerminalAdapter;
  stop(): Promise<void>;
}

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { env, logger } = options;
  const platforms = options.platforms ?? PLATFORMS;
  const platformIds = Object.keys(platforms);
  const files = new LiveBotFiles(
    await loadBotFiles(options.configFile, env, platformIds),
    options.configFile,
    env,
    logger,
    platformIds,
  );
  const getConfig = () => files.current.loaded.config;
  const getBriefs = () => files.current.briefs;
  // This process among the replicas sharing the database; its id is the holder of the feed leases,
  // post claims and named leases it takes.
  const place = thisProcess();
  const store = await openStore(files.current.loaded.databasePath, {
    onBusy: (m) => logger.warn(m),
    holder: replicaIdOf(place),
  });
  const services: Services = { store };
  // Registered in the database's replica registry (config differences are logged there).
  const presence = createReplicaPresence({ replicas: store.replicas, getConfig, logger, place });
  // A store shared by replicas (PostgreSQL: it offers feed leases): a connection only one may hold
  // takes a lease. One process on its SQLite file takes none (a lease left by a crash would hold its restart back).
  const shared = Boolean(store.feedLeases);

  const engine = createCommandEngine({
    getConfig,
    getBriefs,
    services,
    subcommands: SUBCOMMANDS,
    onError: (err, inv) =>
      isStoreUnavailable(err)
        ? // An outage, not a bug: one line without a stack (the user was told to try again).
          logger.warn(
            { platform: inv.platform, user: inv.user.id, text: inv.text },
            `command not answered: ${err.message}`,
          )
        : logger.error({ err, platform: inv.platform, user: inv.user.id, text: inv.text }, 'command failed'),
  });

  const modules = await adapterModules(platforms);
  const adapters: ChatAdapter[] = [];
  // The heartbeat `dealbot health` reads, and GET /healthz (HEALTH_PORT, Slack's HTTP mode).
  const health = createBotHealth({
    databasePath: files.current.loaded.databasePath,
    store,
    getConfig,
    adapters,
    env,
    logger,
  });
  for (const module of modules) {
    const adapter = module.fromEnv({
      env,
      logger: logger.child({ platform: module.platform }),
      getConfig,
      getBriefs,
      commands: SUBCOMMANDS,
      health: health.probe,
      ...(shared ? { leases: leasesOf(store.leases, presence.id) } : {}),
    });
    if (adapter) adapters.push(adapter);
  }
  let terminal: TerminalAdapter | undefined;
  if (adapters.length === 0) {
    const connectHints = modules.filter((m) => m.platform !== 'terminal').map((m) => m.connectHint);
    terminal = terminalFallback({
      input: options.input,
      output: options.output,
      interactive: options.interactive,
      command: () => getConfig().bot.command,
      connectHints,
    });
    adapters.push(terminal);
    options.terminalLog?.attach(terminal);
  }

  // New stories are filtered and matched as they are stored; a relevant one may alert at once.
  const matching = new MatchService({
    store,
    getBriefs,
    getConfig,
    // Replicas (a store with feed leases): a story stored a moment ago is being decided by the replica that stored it.
    undecidedGraceMs: shared ? 2 * getConfig().storage.lease : undefined,
  });
  // In the terminal the person at the prompt is the admin: without admins.notices, tell them there.
  const notices = terminal ? { platform: 'terminal', channel: 'notices' } : undefined;
  const adminNotices = new AdminNotices({ getConfig, adapters, logger, fallback: notices });
  const digests = createDigestJob({
    getConfig,
    getBriefs,
    ledger: store.ledger,
    candidates: createDigestCandidateSource(store),
    adapters,
    logger,
    notifyAdmins: (message) => adminNotices.tell(message),
  });
  try {
    await digests.registered;
  } catch (err) {
    await store.close();
    throw err;
  }
  // Stories stored without a decision (a crash between storing and deciding, `dealbot ingest`,
  // a failed match) are decided from the durable queue: at start, after each poll, on reload.
  const drainUndecided = () => {
    matching
      .drainUndecided()
      .then((decided) => {
        if (!decided) return;
        logger.info({ decided }, 'decided stories that were stored without a decision');
        return digests.checkAlerts();
      })
      .catch((err: unknown) => {
        // The poller has said the database is down (once); this runs again after the next poll.
        if (!isStoreUnavailable(err)) logger.error({ err }, 'deciding undecided stories failed');
      });
  };
  const feeds = createFeedWatcher({
    store,
    getConfig,
    adapters,
    logger,
    filter: matching.filter,
    fallbackNotices: notices,
    afterPoll: drainUndecided,
    onNewStories: async (ids, info) => {
      await matching.onNewStories(ids);
      if (ids.length > (info?.backlogIds.length ?? 0))
        digests.checkAlerts().catch((err: unknown) => logger.error({ err }, 'alert check failed'));
    },
  });
  files.onReload(() => {
    terminal?.refreshPrompt();
    void presence.configChanged();
    drainUndecided();
    digests.reload().catch((err: unknown) => logger.error({ err }, 'digest schedules could not be reloaded'));
  });
  drainUndecided();
  const jobs: BackgroundJob[] = [presence, feeds, digests, ...health.jobs];

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      files.close();
      // Jobs and matching first, together (a poll in flight waits for its matching to stop between
      // slices; the poller aborts fetches and parses): a digest being posted still has its adapter.
      // Then stop taking commands, and close the database once nothing uses it.
      await Promise.allSettled([matching.stop(), ...jobs.map((j) => j.stop())]);
      await adminNotices.stop();
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await store.close();
      logger.info('dealbot stopped');
    })());

  try {
    for (const adapter of adapters) await adapter.start(engine);
    for (const job of jobs) await job.start();
  } catch (err) {
    // A platform that refuses to connect (bad token) must not leave the rest running half-started.
    await stop();
    throw err;
  }
  files.watch();
  logger.info({ adapters: adapters.map((a) => a.platform), briefs: files.current.briefs.ids() }, 'dealbot started');
  return { adapters, files, services, terminal, stop };
}
