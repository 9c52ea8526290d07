import type { CliCommand } from './cli-command.js';
import { askCommand } from './commands/ask.js';
import { checkConfigCommand } from './commands/check-config.js';
import { configSchemaCommand } from './commands/config-schema.js';
import { digestCommand } from './commands/digest.js';
import { feedsCommand } from './commands/feeds.js';
import { ingestCommand } from './commands/ingest.js';
import { pollCommand } from './commands/poll.js';
import { discordInviteCommand } from './commands/discord-invite.js';
import { matchCommand } from './commands/match.js';
import { registerCommandsCommand } from './commands/register-commands.js';
import { runCommand } from './commands/run.js';
import { slackManifestCommand } from './commands/slack-manifest.js';
import { whyCommand } from './commands/why.js';

/** Every `dealbot` subcommand; add one by adding its file under commands/ and a line here. */
export const CLI_COMMANDS: CliCommand[] = [
  runCommand,
  askCommand,
  checkConfigCommand,
  configSchemaCommand,
  pollCommand,
  feedsCommand,
  digestCommand,
  ingestCommand,
  registerCommandsCommand,
  discordInviteCommand,
  matchCommand,
  whyCommand,
  slackManifestCommand,
];
