import { parseArgs } from 'node:util';
import { SUBCOMMANDS } from '../../commands/subcommands/index.js';
import type { CliCommand } from '../cli-command.js';
import { loadConfigOrReport } from '../load-or-report.js';

const SNOWFLAKE = /^\d{17,20}$/;

/** Registers /deal with Discord, per guild (instant) or globally; run once after setup and after upgrades. */
export const registerCommandsCommand: CliCommand = {
  name: 'register-commands',
  summary:
    'register the Discord slash command (/deal and its subcommands); --print shows the JSON only, --clear removes it',
  usage: 'dealbot register-commands [--config FILE] [--guild ID] [--app ID] [--print] [--clear]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        guild: { type: 'string' },
        app: { type: 'string' },
        print: { type: 'boolean', default: false },
        clear: { type: 'boolean', default: false },
      },
    });
    if (values.guild !== undefined && !SNOWFLAKE.test(values.guild)) {
      io.stderr.write(
        `dealbot register-commands: --guild expects a server id (17–20 digits; right-click the server → Copy Server ID).\n`,
      );
      return 2;
    }
    const loaded = await loadConfigOrReport(values.config, io);
    if (!loaded) return 1;
    const command = loaded.config.bot.command;
    // discord.js loads only for this command.
    const { commandDefinition } = await import('../../adapters/discord/command-definitions.js');
    // --clear PUTs an empty set: how a guild copy left from testing is removed.
    const body = values.clear ? [] : [commandDefinition(command, SUBCOMMANDS)];
    const scope = values.guild ? `guild ${values.guild}` : 'globally';
    if (values.print) {
      io.stderr.write(`Would PUT this to Discord (${scope}); nothing sent.\n`);
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      return 0;
    }

    const { parseDiscordEnv, DiscordEnvError } = await import('../../adapters/discord/discord-env.js');
    let env;
    try {
      env = parseDiscordEnv(io.env);
    } catch (err) {
      if (!(err instanceof DiscordEnvError)) throw err;
      io.stderr.write(`dealbot register-commands: ${err.message}\n`);
      return 2;
    }
    if (!env) {
      io.stderr.write(
        'dealbot register-commands: set DISCORD_TOKEN (see docs/discord.md), or use --print to see the JSON without sending it.\n',
      );
      return 2;
    }
    const applicationId = values.app ?? env.applicationId;
    if (!applicationId || !SNOWFLAKE.test(applicationId)) {
      io.stderr.write(
        'dealbot register-commands: set DISCORD_APPLICATION_ID or pass --app ID (developer portal → General Information → Application ID).\n',
      );
      return 2;
    }
    const { registerCommands } = await import('../../adapters/discord/discord-setup.js');
    try {
      const { registered } = await registerCommands({
        token: env.token,
        applicationId,
        ...(values.guild ? { guildId: values.guild } : {}),
        ...(env.apiUrl ? { apiUrl: env.apiUrl } : {}),
        body,
      });
      if (values.clear) {
        io.stdout.write(`Removed this application's commands ${scope}.\n`);
        return 0;
      }
      const subs = body[0]!.options?.length ?? 0;
      io.stdout.write(
        `Registered /${command} with ${subs} subcommands ${scope} (${registered.length} command${registered.length === 1 ? '' : 's'} in that scope now).\n` +
          (values.guild
            ? 'It is available in that server now.\n'
            : 'Global commands can take a few minutes to appear; use --guild ID while testing.\n'),
      );
      return 0;
    } catch (err) {
      io.stderr.write(`dealbot register-commands: Discord refused: ${(err as Error).message}${hintFor(err)}\n`);
      return 1;
    }
  },
};

function hintFor(err: unknown): string {
  const status = (err as { status?: number }).status;
  if (status === 401)
    return '\nThe token was not accepted: copy it again from the Bot tab (developer portal) into DISCORD_TOKEN.';
  if (status === 403)
    return '\nThe bot cannot add commands there: invite it with the applications.commands scope (npx dealbot discord-invite), and check the server id.';
  if (status === 404) return '\nUnknown application or server: check DISCORD_APPLICATION_ID / --app and --guild.';
  return '';
}
