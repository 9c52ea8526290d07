import { parseArgs } from 'node:util';
import { PLATFORM_IDS } from '../../adapters/index.js';
import { createCommandEngine } from '../../commands/engine.js';
import type { Services } from '../../commands/services.js';
import { renderText } from '../../render/text.js';
import { openStore, storedDatabaseExists } from '../../store/open-store.js';
import type { CliCommand } from '../cli-command.js';
import { loadFilesOrReport } from '../load-or-report.js';

/** Answers one command and exits: for scripts, checks, and previews of what a platform would be sent. */
export const askCommand: CliCommand = {
  name: 'ask',
  summary:
    'answer one command and exit, e.g. npx dealbot ask "/deal facts" (--render text|slack|discord); exit 1 if it was refused',
  usage: 'dealbot ask [--config FILE] [--render text|slack|discord] [--platform P --user ID] "/deal facts"',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        render: { type: 'string', default: 'text' },
        platform: { type: 'string', default: 'terminal' },
        user: { type: 'string', default: 'local' },
      },
      allowPositionals: true,
    });
    const text = positionals.join(' ');
    if (!PLATFORM_IDS.includes(values.platform!)) {
      io.stderr.write(
        `dealbot ask: unknown --platform "${values.platform}"; use one of the registered platforms: ${PLATFORM_IDS.join(', ')} (src/adapters/index.ts).\n`,
      );
      return 2;
    }
    const files = await loadFilesOrReport(values.config, io);
    if (!files) return 1;
    const { config } = files.loaded;
    const render = await rendererFor(values.render!);
    if (!render) {
      io.stderr.write(`dealbot ask: unknown --render "${values.render}"; use text, slack or discord.\n`);
      return 2;
    }
    // Answers from stored stories (latest, search) need the database; open it only if it
    // exists, and only to read: no lock, so it answers beside the running bot and on a
    // file the user may only read.
    const { databasePath } = files.loaded;
    const services: Services = storedDatabaseExists(databasePath)
      ? { store: await openStore(databasePath, { readonly: true }) }
      : {};
    try {
      const engine = createCommandEngine({
        getConfig: () => config,
        getBriefs: () => files.briefs,
        services,
        onError: (err) => io.stderr.write(`dealbot ask: ${(err as Error).stack ?? err}\n`),
      });
      const reply = await engine({
        platform: values.platform!,
        command: config.bot.command,
        text,
        user: { id: values.user! },
        channel: { id: 'cli' },
      });
      io.stdout.write(render(reply.message, reply.visibility) + '\n');
      // A refused command (a typo, a loose word, admins only) still prints its answer, but fails the script.
      if (reply.refused) {
        io.stderr.write(`dealbot ask: "${text}" was not answered as asked: ${reply.message.title}\n`);
        return 1;
      }
      return 0;
    } finally {
      await services.store?.close();
    }
  },
};

type Render = (message: Parameters<typeof renderText>[0], visibility: 'private' | 'channel') => string;

async function rendererFor(name: string): Promise<Render | undefined> {
  if (name === 'text') return (m) => renderText(m);
  // Platform renderers load their SDK; only pay for that when asked.
  const { adapterModule } = await import('../../adapters/index.js');
  const module = await adapterModule(name);
  if (!module || name === 'terminal') return undefined;
  return (m, visibility) => JSON.stringify(module.render(m, { visibility }), null, 2);
}
