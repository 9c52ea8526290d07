import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli-command.js';
import { loadConfigOrReport } from '../load-or-report.js';

/** Prints the URL a server admin opens to add the bot, with only the permissions it needs. */
export const discordInviteCommand: CliCommand = {
  name: 'discord-invite',
  summary: 'print the URL that adds the bot to a Discord server, asking only for the permissions it needs',
  usage: 'dealbot discord-invite [--config FILE] [--app ID]',
  async details() {
    // The same list the URL is built from, so the two cannot disagree.
    const { BOT_PERMISSIONS, BOT_SCOPES } = await import('../../adapters/discord/discord-setup.js');
    const width = Math.max(...BOT_PERMISSIONS.map((p) => p.name.length));
    return [
      `The URL asks for the scopes ${BOT_SCOPES.join(' and ')} and for ${BOT_PERMISSIONS.length} permissions:`,
      ...BOT_PERMISSIONS.map((p) => `  ${p.name.padEnd(width)}  ${p.why}`),
      '',
      'The application id comes from --app, DISCORD_APPLICATION_ID, or the DISCORD_TOKEN.',
    ].join('\n');
  },
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, app: { type: 'string' } },
    });
    const { applicationIdFromToken } = await import('../../adapters/discord/discord-env.js');
    const token = io.env.DISCORD_TOKEN?.trim();
    const applicationId =
      values.app ??
      (io.env.DISCORD_APPLICATION_ID?.trim() || undefined) ??
      (token ? applicationIdFromToken(token) : undefined);
    if (!applicationId) {
      io.stderr.write(
        'dealbot discord-invite: pass --app ID or set DISCORD_APPLICATION_ID (developer portal → General Information → Application ID).\n',
      );
      return 2;
    }
    if (!/^\d{17,20}$/.test(applicationId)) {
      io.stderr.write(`dealbot discord-invite: "${applicationId}" is not an application id (17–20 digits).\n`);
      return 2;
    }
    // Like every command, it reads the config: the next step names its slash command.
    const loaded = await loadConfigOrReport(values.config, io);
    if (!loaded) return 1;
    const { inviteUrl } = await import('../../adapters/discord/discord-setup.js');
    io.stdout.write(`${inviteUrl(applicationId)}\n`);
    io.stderr.write(
      `Open it as someone with Manage Server and pick the server; then \`npx dealbot register-commands\` adds /${loaded.config.bot.command}.\n`,
    );
    return 0;
  },
};
