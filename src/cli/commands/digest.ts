import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import type { ChatAdapter } from '../../messages/chat-adapter.js';
import { TerminalAdapter } from '../../adapters/terminal/terminal-adapter.js';
import { type BotFiles } from '../../bot/load-bot-files.js';
import type { DigestConfig } from '../../config/schema.js';
import type { RetryPolicy } from '../../digests/retry-backoff.js';
import type { Delivery } from '../../store/digest-ledger.js';
import { DigestDeliverer } from '../../digests/deliver-digest.js';
import { digestEntriesFor, previewDigest, sendDigestNow, type DigestReadDeps } from '../../digests/manual-digest.js';
import { createLogger, silentLogger } from '../../log/logger.js';
import { createDigestCandidateSource } from '../../digests/store-candidates.js';
import type { Message } from '../../messages/message.js';
import { renderText } from '../../render/text.js';
import { openStore } from '../../store/open-store.js';
import type { AsyncStore } from '../../store/async-store.js';
import type { CliCommand, CliIO } from '../cli-command.js';
import { loadFilesOrReport } from '../load-or-report.js';

/** Retries for a manual send: short, since a person is waiting; what fails stays pending for the bot. */
const SEND_NOW_RETRY: RetryPolicy = { delaysMs: [2_000, 10_000] };

/** The digest command; tests give a shorter retry schedule. */
export function createDigestCommand(options: { sendNowRetry?: RetryPolicy } = {}): CliCommand {
  const retry = options.sendNowRetry ?? SEND_NOW_RETRY;
  const command: CliCommand = {
    name: 'digest',
    summary: "preview a channel's digest as its platform would get it (--preview), or send one now (--send-now)",
    usage: 'dealbot digest --channel ID [--platform slack|discord|terminal] (--preview | --send-now) [--config FILE]',
    async run(argv, io) {
      const { values } = parseArgs({
        args: argv,
        options: {
          channel: { type: 'string' },
          platform: { type: 'string' },
          preview: { type: 'boolean', default: false },
          'send-now': { type: 'boolean', default: false },
          config: { type: 'string' },
        },
      });
      if (!values.channel || values.preview === values['send-now']) {
        io.stderr.write(
          `dealbot digest: give --channel and one of --preview or --send-now.\nUsage: ${command.usage}\n`,
        );
        return 2;
      }
      const files = await loadFilesOrReport(values.config, io);
      if (!files) return 1;
      const { config } = files.loaded;
      const entries = digestEntriesFor(config, values.channel, values.platform);
      if (entries.length === 0) {
        const known = config.digests.map((d) => `${d.platform}:${d.channel}`);
        io.stderr.write(
          `dealbot digest: no digest for channel "${values.channel}"${values.platform ? ` on ${values.platform}` : ''} in ${files.loaded.file}. ${known.length ? `Configured: ${known.join(', ')}.` : 'digests: is empty.'}\n`,
        );
        return 2;
      }
      const platforms = new Set(entries.map((e) => e.platform));
      if (platforms.size > 1) {
        io.stderr.write(
          `dealbot digest: channel "${values.channel}" has digests on ${[...platforms].join(' and ')}; pick one with --platform.\n`,
        );
        return 2;
      }
      if (entries.length > 1)
        io.stderr.write(
          `dealbot digest: channel "${values.channel}" has ${entries.length} schedules; using the first (${entries[0]!.cron} ${entries[0]!.timezone}).\n`,
        );
      const entry = entries[0]!;

      const store = await openStore(files.loaded.databasePath, {
        onBusy: (m) => io.stderr.write(`dealbot digest: ${m}\n`),
      });
      try {
        const deps = {
          config,
          briefs: files.briefs,
          ledger: store.ledger,
          candidates: createDigestCandidateSource(store),
        };
        if (values.preview) return await preview(io, entry, (await previewDigest(deps, entry, new Date())).message);
        return await sendNow(io, files, store, entry, deps, retry);
      } finally {
        await store.close();
      }
    },
  };
  return command;
}

/** Shows what a channel's digest would say now, or sends one through the ledger. */
export const digestCommand: CliCommand = createDigestCommand();

async function preview(io: CliIO, entry: DigestConfig, message: Message | null): Promise<number> {
  if (!message) {
    io.stdout.write(
      `Nothing would be sent to ${entry.platform}:${entry.channel} now: no new stories, and quiet_day is "skip".\n`,
    );
    return 0;
  }
  if (entry.platform === 'terminal') io.stdout.write(`${renderText(message)}\n`);
  else {
    const { adapterModule } = await import('../../adapters/index.js');
    const module = await adapterModule(entry.platform);
    if (!module) throw new Error(`no adapter module for platform "${entry.platform}"`);
    io.stdout.write(`${JSON.stringify(module.render(message, { visibility: 'channel' }), null, 2)}\n`);
  }
  return 0;
}

async function sendNow(
  io: CliIO,
  files: BotFiles,
  store: AsyncStore,
  entry: DigestConfig,
  deps: DigestReadDeps,
  retry: RetryPolicy,
): Promise<number> {
  const logger = io.env.LOG_LEVEL ? createLogger({ level: io.env.LOG_LEVEL, destination: io.stderr }) : silentLogger();
  const config = files.loaded.config;
  let adapter: ChatAdapter | null;
  if (entry.platform === 'terminal') {
    adapter = new TerminalAdapter({
      input: new PassThrough(),
      output: io.stdout,
      command: config.bot.command,
      prompt: false,
    });
  } else {
    const { adapterModule } = await import('../../adapters/index.js');
    const { SUBCOMMANDS } = await import('../../commands/subcommands/index.js');
    const module = await adapterModule(entry.platform);
    adapter =
      module?.fromEnv({
        env: io.env,
        logger,
        getConfig: () => config,
        getBriefs: () => files.briefs,
        commands: SUBCOMMANDS,
      }) ?? null;
    if (!adapter) {
      io.stderr.write(
        `dealbot digest: the ${entry.platform} tokens are not set in the environment (see .env.example); nothing was sent.\n`,
      );
      return 1;
    }
  }
  const deliverer = new DigestDeliverer({
    ledger: store.ledger,
    adapterFor: () => adapter!,
    logger,
    now: () => new Date(),
    retry,
  });
  try {
    const result = await sendDigestNow({ ...deps, deliverer }, entry, new Date());
    const target = `${entry.platform}:${entry.channel}`;
    const mine = result.flush.sent.find((d) => d.id === result.deliveryId);
    const earlier = result.flush.sent.filter((d) => d.id !== result.deliveryId).length;
    if (earlier) io.stderr.write(`Also sent ${earlier} earlier delivery(ies) that were pending for ${target}.\n`);
    if (!mine) {
      io.stderr.write(failureReport(target, result.deliveryId, result.flush.pending[0]));
      return 1;
    }
    if (entry.platform !== 'terminal')
      io.stdout.write(
        `Sent digest ${mine.id} to ${target}: ${result.composed.shown.length} item(s), ${result.composed.more.length} more (message ${mine.messageId}).\n`,
      );
    return 0;
  } finally {
    await deliverer.stop();
    if (entry.platform !== 'terminal') await adapter.stop().catch(() => undefined);
  }
}

/** What a failed manual send says: the platform's answer, which post it was, and what happens to it now. */
function failureReport(target: string, mine: string, head: Delivery | undefined): string {
  if (!head) return `dealbot digest: nothing was posted to ${target}, and nothing is pending for it.\n`;
  const platform = target.split(':')[0];
  const lines = [
    `dealbot digest: posting to ${target} failed (${head.attempts} attempt(s)).`,
    `  ${platform} answered: ${head.lastError ?? 'no answer (no adapter for the platform is running)'}`,
  ];
  if (head.id !== mine)
    lines.push(
      `  That was an earlier ${head.kind} (${head.id}) still pending for this channel: it goes first, and this digest waits behind it.`,
    );
  lines.push(
    '  Nothing is lost: the digest stays pending, and the running bot keeps retrying it (then every 30 min) and tells admins.notices if it keeps failing.',
  );
  return `${lines.join('\n')}\n`;
}
