import { fstatSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { isatty } from 'node:tty';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE } from '../../config/load-config.js';
import { formatProblems, InvalidFileError } from '../../files/problems.js';
import { createLogger } from '../../log/logger.js';
import { startBot } from '../../main.js';
import { TerminalLog } from '../../adapters/terminal/index.js';
import type { CliCommand } from '../cli-command.js';
import { onStopSignals } from '../stop-signals.js';

export const HEADLESS_NOTICE =
  'no chat platform and no terminal: running headless (polling, storing, deciding, terminal-channel digests on stdout); set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, or DISCORD_TOKEN, to answer /deal';

/**
 * Starts the bot: chat platforms whose tokens are set, else the terminal. With neither
 * (stdin is /dev/null or closed, as in a container without -i or a systemd unit, or
 * --headless) it runs headless until stopped instead of ending with its empty input.
 */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'start the bot (Slack/Discord when their tokens are set, else an interactive terminal, else headless)',
  usage: 'dealbot run [--config FILE] [--headless]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, headless: { type: 'boolean', default: false } },
    });
    const configFile = values.config ?? DEFAULT_CONFIG_FILE;
    const inTerminal = !hasPlatformTokens(io.env);
    // Piped commands (`dealbot run < commands.txt`, `echo … | dealbot run`) still end with their input.
    const headless = inTerminal && (values.headless || stdinIsNothing(io.stdin));
    const interactive = !headless && Boolean((io.stdin as NodeJS.ReadStream).isTTY);
    // A person at the prompt reads log lines as text above it (JSON stays for pipes and platforms),
    // and only warnings and errors unless LOG_LEVEL asks for more.
    const terminalLog = interactive && inTerminal ? new TerminalLog(io.stderr) : undefined;
    const logger = createLogger({
      level: io.env.LOG_LEVEL ?? (inTerminal && !headless ? 'warn' : 'info'),
      destination: terminalLog ?? io.stderr,
    });
    let bot;
    try {
      bot = await startBot({
        configFile,
        env: io.env,
        logger,
        // Headless, the terminal adapter only posts terminal-channel digests: give it an input that never ends.
        input: headless ? new PassThrough() : io.stdin,
        output: io.stdout,
        interactive,
        terminalLog,
      });
    } catch (err) {
      if (!(err instanceof InvalidFileError)) throw err;
      io.stderr.write(
        `dealbot will not start with an invalid config or brief.\n${formatProblems(err.problems)}\nFix these (npx dealbot check-config shows them again) and start it again.\n`,
      );
      return 1;
    }
    if (headless) logger.warn(HEADLESS_NOTICE);
    const running = bot;
    return new Promise<number>((resolve) => {
      let shuttingDown: Promise<void> | undefined;
      // Stopping closes the terminal, whose end would call this again.
      const shutdown = (signal: string) =>
        (shuttingDown ??= (async () => {
          logger.info({ signal }, 'shutting down');
          await running.stop();
          resolve(0);
        })());
      onStopSignals(shutdown, (line) => logger.warn(line));
      process.on('SIGHUP', () => void running.files.reload());
      // A terminal session ends with its input (Ctrl-D, "exit", or the end of piped commands).
      void running.terminal?.closed.then(() => shutdown('end of input'));
    });
  },
};

/** stdin is /dev/null (a character device that is not a terminal) or not open at all: nobody can type. */
function stdinIsNothing(stdin: NodeJS.ReadableStream): boolean {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return false;
  try {
    return fstatSync(fd).isCharacterDevice() && !isatty(fd);
  } catch {
    return true;
  }
}

function hasPlatformTokens(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN);
}
