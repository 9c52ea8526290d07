/**
 * A Slack app manifest for dealbot: paste it into "Create New App → From a
 * manifest" and the app has its slash command, exactly the scopes the bot uses,
 * and Socket Mode (or, given a public URL, HTTP mode). Pure, no Slack SDK.
 */

/** The bot scopes, each for something the adapter does. */
export const SLACK_BOT_SCOPES = [
  'commands', // the slash command
  'chat:write', // digests and alerts in channels the bot was invited to
  'channels:history', // findPosted reads recent messages of public channels (no double digests after a crash)
  'groups:history', // … and of private channels
] as const;

export interface SlackManifestOptions {
  /** The slash command's name without the slash (config bot.command). */
  command: string;
  /** The subcommands everyone may use, for the usage hint. */
  subcommands: string[];
  /** What the bot briefs on (the default brief's title), for the descriptions. */
  about?: string;
  appName?: string;
  /** HTTP mode: the public https base URL; Slack sends commands to {url}/slack/events. Socket Mode when absent. */
  publicUrl?: string;
}

export function slackManifest(options: SlackManifestOptions): Record<string, unknown> {
  const name = (options.appName ?? 'dealbot').slice(0, 35);
  const about = options.about ? clip(`Briefing: ${options.about}`, 100) : 'Briefing on a live news story';
  const slashCommand: Record<string, unknown> = {
    command: `/${options.command}`,
    description: about,
    usage_hint: clip(`[${[...options.subcommands, 'help'].join(' | ')}] [share]`, 1000),
    // Dealbot reads plain words; escaping would turn #channels and @names into ids.
    should_escape: false,
  };
  if (options.publicUrl) slashCommand.url = `${options.publicUrl.replace(/\/+$/, '')}/slack/events`;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description:
        `Keeps the team briefed on a live news story: answers /${options.command}, posts daily digests.`.slice(0, 140),
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: name, always_online: true },
      slash_commands: [slashCommand],
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      org_deploy_enabled: false,
      socket_mode_enabled: !options.publicUrl,
      token_rotation_enabled: false,
    },
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
