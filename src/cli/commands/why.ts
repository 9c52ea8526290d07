import { parseArgs } from 'node:util';
import { whyReport } from '../../commands/why-report.js';
import { renderText } from '../../render/text.js';
import { openStore, storedDatabaseExists } from '../../store/open-store.js';
import type { CliCommand } from '../cli-command.js';
import { loadFilesOrReport } from '../load-or-report.js';

/** What happened to one story: the same report as /deal why, read from the bot's database. */
export const whyCommand: CliCommand = {
  name: 'why',
  summary: 'explain what happened to a story: feed, score and reasons, brief, filters, digests',
  usage: 'dealbot why [--config FILE] URL|ID',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { config: { type: 'string' } },
      allowPositionals: true,
    });
    const target = positionals.join(' ').trim();
    if (!target) {
      io.stderr.write('usage: dealbot why [--config FILE] URL|ID\n');
      return 2;
    }
    const files = await loadFilesOrReport(values.config, io);
    if (!files) return 1;
    const { databasePath, config } = files.loaded;
    // Asking must not create a database, nor take a lock (it runs beside the bot).
    if (!storedDatabaseExists(databasePath)) {
      io.stderr.write(`dealbot why: no database at ${databasePath} yet; the bot has not stored any story.\n`);
      return 1;
    }
    const store = await openStore(databasePath, { readonly: true });
    try {
      const message = await whyReport(target, { store, briefs: files.briefs, config });
      io.stdout.write(renderText(message) + '\n');
      return message.title === 'Why: story not found' ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};
