import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE } from '../../config/load-config.js';
import { formatProblems, InvalidFileError } from '../../files/problems.js';
import { createLogger } from '../../log/logger.js';
import { startBot } from '../../main.js';
import { TerminalLog } from '../../adapters/terminal/index.js';
import type { CliCommand } from '../cli-command.js';

/** Starts the bot: chat platforms whose tokens are set, else the terminal. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'start the bot (Slack/Discord when their tokens are set, else an interactive terminal)',
  usage: 'dealbot run [--config FILE]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } } });
    const configFile = values.config ?? DEFAULT_CONFIG_FILE;
    const interactive = Boolean((io.stdin as NodeJS.ReadStream).isTTY);
    const inTerminal = !hasPlatformTokens(io.env);
    // A person at the prompt reads log lines as text above it (JSON stays for pipes and platforms),
    // and only warnings and errors unless LOG_LEVEL asks for more.
    const terminalLog = interactive && inTerminal ? new TerminalLog(io.stderr) : undefined;
    const logger = createLogger({
      level: io.env.LOG_LEVEL ?? (inTerminal ? 'warn' : 'info'),
      destination: terminalLog ?? io.stderr,
    });
    let bot;
    try {
      bot = await startBot({
        configFile,
        env: io.env,
        logger,
        input: io.stdin,
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
    const running = bot;
    return new Promise<number>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        void running.stop().then(() => resolve(0));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGHUP', () => void running.files.reload());
      // A terminal session ends with its input (Ctrl-D, "exit", or the end of piped commands).
      void running.terminal?.closed.then(() => shutdown('end of input'));
    });
  },
};

function hasPlatformTokens(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN);
}
