import { postToAdmins } from './adapters/admin-notices.js';
import type { ChatAdapter } from './adapters/chat-adapter.js';
import { ADAPTER_MODULES } from './adapters/index.js';
import { TerminalAdapter } from './adapters/terminal/terminal-adapter.js';
import { createCommandEngine } from './commands/engine.js';
import type { Services } from './commands/services.js';
import { LiveBotFiles } from './config/live-bot-files.js';
import { loadBotFiles } from './config/load-bot-files.js';
import { createDigestJob } from './digests/digest-job.js';
import { createFeedWatcher } from './feeds/feed-watcher.js';
import type { Logger } from './log/logger.js';
import { createDigestCandidateSource } from './matching/digest-candidates.js';
import { MatchService } from './matching/match-service.js';
import { openStore } from './store/open-store.js';

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
}

/** Something that runs in the background while the bot is up (poller, digest schedules). */
export interface BackgroundJob {
  name: string;
  start(): void | Promise<void>;
  /** Finishes what is in flight, then stops. */
  stop(): Promise<void>;
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
  const files = new LiveBotFiles(await loadBotFiles(options.configFile, env), options.configFile, env, logger);
  const getConfig = () => files.current.loaded.config;
  const getBriefs = () => files.current.briefs;
  const store = openStore(files.current.loaded.databasePath);
  const services: Services = { store };

  const engine = createCommandEngine({
    getConfig,
    getBriefs,
    services,
    onError: (err, inv) => logger.error({ err, platform: inv.platform, user: inv.user.id, text: inv.text }, 'command failed'),
  });

  const adapters: ChatAdapter[] = [];
  for (const module of ADAPTER_MODULES) {
    const adapter = module.fromEnv({ env, logger: logger.child({ platform: module.platform }), getConfig, getBriefs });
    if (adapter) adapters.push(adapter);
  }
  let terminal: TerminalAdapter | undefined;
  if (adapters.length === 0) {
    const command = getConfig().bot.command;
    const hints = ADAPTER_MODULES.filter((m) => m.platform !== 'terminal').map((m) => `  ${m.connectHint}`);
    terminal = new TerminalAdapter({
      input: options.input,
      output: options.output,
      command,
      prompt: options.interactive,
      banner: options.interactive
        ? [
            `dealbot is running in this terminal — no Slack or Discord tokens are set.`,
            `Try /${command} facts, /${command} reactions or /${command} help; "exit" quits.`,
            ...(hints.length ? ['To connect a chat platform, set its tokens (see .env.example) and restart:', ...hints] : []),
            '',
          ]
        : [],
    });
    adapters.push(terminal);
  }

  // New stories are filtered and matched as they are stored; a relevant one may alert at once.
  const matching = new MatchService({ store, getBriefs, getConfig });
  // In the terminal the person at the prompt is the admin: without admins.notices, tell them there.
  const notices = terminal ? { platform: 'terminal', channel: 'notices' } : undefined;
  const digests = createDigestJob({
    getConfig,
    getBriefs,
    ledger: store.ledger,
    candidates: createDigestCandidateSource(store),
    adapters,
    logger,
    notifyAdmins: (message) => postToAdmins(getConfig(), adapters, message, logger, notices),
  });
  const feeds = createFeedWatcher({
    store,
    getConfig,
    adapters,
    logger,
    filter: matching.filter,
    fallbackNotices: notices,
    onNewStories: (ids, info) => {
      matching.onNewStories(ids);
      if (ids.length > (info?.backlogIds.length ?? 0)) digests.checkAlerts().catch((err: unknown) => logger.error({ err }, 'alert check failed'));
    },
  });
  // Stories stored before a brief was added or edited get a decision too.
  files.onReload(() => {
    matching.backfill();
    digests.reload().catch((err: unknown) => logger.error({ err }, 'digest schedules could not be reloaded'));
  });
  matching.backfill();
  const jobs: BackgroundJob[] = [feeds, digests];

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      files.close();
      // Jobs first: a digest being posted still has its adapter; then stop taking commands.
      await Promise.allSettled(jobs.map((j) => j.stop()));
      await Promise.allSettled(adapters.map((a) => a.stop()));
      store.close();
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
