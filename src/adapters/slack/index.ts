import type { AdapterModule } from '../adapter-module.js';
import { renderSlackReply } from './slack-blocks.js';
import { SlackAdapter } from './slack-adapter.js';
import { parseSlackEnv } from './slack-env.js';

/**
 * Slack: on when SLACK_BOT_TOKEN is set, in Socket Mode with SLACK_APP_TOKEN (the
 * default) or HTTP mode with SLACK_SIGNING_SECRET. `render` gives the exact body
 * a slash command's answer is sent as (for `dealbot ask --render slack`).
 */
export const slackModule: AdapterModule = {
  platform: 'slack',
  fromEnv({ env, logger, getConfig, health }) {
    const slackEnv = parseSlackEnv(env);
    return slackEnv ? new SlackAdapter({ env: slackEnv, logger, getConfig, health }) : null;
  },
  render: (message, { visibility }) => renderSlackReply(message, visibility),
  connectHint:
    'Slack: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); npx dealbot slack-manifest prints the app manifest (docs/slack.md).',
};

export { SlackAdapter };
export { parseSlackEnv, SlackEnvError, type SlackEnv } from './slack-env.js';
