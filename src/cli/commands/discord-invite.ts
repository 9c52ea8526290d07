import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli-command.js';

/** Prints the URL a server admin opens to add the bot, with only the permissions it needs. */
export const discordInviteCommand: CliCommand = {
  name: 'discord-invite',
  summary: 'print the URL that adds the bot to a Discord server (View Channel, Send Messages, Embed Links)',
  usage: 'dealbot discord-invite [--app ID]',
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { app: { type: 'string' } } });
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
    const { inviteUrl } = await import('../../adapters/discord/discord-setup.js');
    io.stdout.write(`${inviteUrl(applicationId)}\n`);
    return 0;
  },
};
