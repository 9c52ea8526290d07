import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE } from '../../config/load-config.js';
import { loadBotFiles } from '../../bot/load-bot-files.js';
import { formatProblems, InvalidFileError } from '../../files/problems.js';
import { withoutPassword } from '../../store/open-store.js';
import type { CliCommand } from '../cli-command.js';

/** Validates the config and every brief, printing every problem at once. */
export const checkConfigCommand: CliCommand = {
  name: 'check-config',
  summary: 'validate the config and every brief; print every problem with file, line and field',
  usage: 'dealbot check-config [FILE] [--config FILE]',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { config: { type: 'string' } },
      allowPositionals: true,
    });
    const file = positionals[0] ?? values.config ?? DEFAULT_CONFIG_FILE;
    try {
      const { loaded, briefs } = await loadBotFiles(file, io.env);
      const c = loaded.config;
      io.stdout.write(
        [
          `${loaded.file}: OK`,
          `  command /${c.bot.command}, default brief "${briefs.default.id}"`,
          `  ${briefs.briefs.length} brief(s): ${briefs.ids().join(', ')}`,
          `  ${c.feeds.list.length} feed(s), ${c.digests.length} digest schedule(s)`,
          `  database ${withoutPassword(loaded.databasePath)}`,
        ].join('\n') + '\n',
      );
      return 0;
    } catch (err) {
      if (!(err instanceof InvalidFileError)) throw err;
      io.stderr.write(`${formatProblems(err.problems)}\nFix these and run npx dealbot check-config again.\n`);
      return 1;
    }
  },
};
