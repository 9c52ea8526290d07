import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { slackManifest } from '../../adapters/slack/slack-manifest.js';
import { SUBCOMMANDS } from '../../commands/subcommands/index.js';
import type { CliCommand } from '../cli-command.js';
import { loadFilesOrReport } from '../load-or-report.js';

/** Prints the Slack app manifest for this config (slash command name, brief), ready to paste. */
export const slackManifestCommand: CliCommand = {
  name: 'slack-manifest',
  summary: 'print a Slack app manifest for this config (Socket Mode; --public-url for HTTP mode)',
  usage:
    'dealbot slack-manifest [--config FILE] [--name dealbot] [--public-url https://bot.example.com] [--format yaml|json]',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        name: { type: 'string', default: 'dealbot' },
        'public-url': { type: 'string' },
        format: { type: 'string', default: 'yaml' },
      },
    });
    const publicUrl = values['public-url'];
    if (publicUrl !== undefined && !/^https:\/\/[^\s/]+/.test(publicUrl)) {
      io.stderr.write(
        'dealbot slack-manifest: --public-url must be an https:// URL (Slack only calls HTTPS request URLs).\n',
      );
      return 2;
    }
    if (values.format !== 'yaml' && values.format !== 'json') {
      io.stderr.write(`dealbot slack-manifest: unknown --format "${values.format}"; use yaml or json.\n`);
      return 2;
    }
    const files = await loadFilesOrReport(values.config, io);
    if (!files) return 1;
    const manifest = slackManifest({
      command: files.loaded.config.bot.command,
      subcommands: SUBCOMMANDS.filter((s) => !s.adminOnly).map((s) => s.name),
      about: files.briefs.default.title,
      appName: values.name!,
      ...(publicUrl ? { publicUrl } : {}),
    });
    io.stdout.write(
      values.format === 'json' ? `${JSON.stringify(manifest, null, 2)}\n` : stringify(manifest, { lineWidth: 0 }),
    );
    return 0;
  },
};
