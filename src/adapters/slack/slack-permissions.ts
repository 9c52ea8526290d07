import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { ChatPermissionError } from '../../messages/chat-adapter.js';

/**
 * Slack refusals that no retry can fix, as ChatPermissionErrors that say what to grant:
 * a scope the app lacks (`missing_scope`, with Slack's `needed`), a channel the bot
 * is not in (`not_in_channel`), a channel where the workspace lets only some post
 * (`restricted_action`).
 */

export type SlackAction = 'post' | 'history';

/** The scopes each action needs when Slack does not say (public and private channels). */
const SCOPES: Record<SlackAction, string> = {
  post: 'chat:write',
  history: 'channels:history, groups:history',
};

/** Slack's missing_scope answer names the scope it wanted. */
const neededSchema = z.object({ needed: z.string().min(1) });

const WHY: Record<SlackAction, string> = {
  post: '',
  history:
    ' (dealbot reads it after a failed or interrupted post to check whether the post went out before sending it again)',
};

/** The ChatPermissionError for a refused call, or undefined when the failure is something else. */
export function slackPermissionError(
  err: unknown,
  action: SlackAction,
  channelId: string,
  botName: string | undefined,
): ChatPermissionError | undefined {
  if (!(err instanceof webApi.WebAPIPlatformError)) return undefined;
  const what = action === 'post' ? `post in ${channelId}` : `read the history of ${channelId}`;
  const code = err.data.error;
  const fail = (permission: string, how: string) =>
    new ChatPermissionError('slack', permission, `Slack: the bot may not ${what} (${code})${WHY[action]}. ${how}`, {
      cause: err,
    });
  if (code === 'missing_scope') {
    const said = neededSchema.safeParse(err.data);
    const needed = said.success ? said.data.needed : SCOPES[action];
    return fail(
      needed,
      `The app lacks the scope ${needed}: add it under api.slack.com/apps → your app → OAuth & Permissions → Bot Token Scopes (npx dealbot slack-manifest lists them all), then reinstall the app to the workspace.`,
    );
  }
  if (code === 'not_in_channel')
    return fail('channel membership', `Invite the bot: type /invite @${botName ?? 'dealbot'} in that channel.`);
  if (code === 'restricted_action')
    return fail(
      'posting in the channel',
      'The workspace or channel only lets some members post there: ask a Slack admin to let the app post in it.',
    );
  return undefined;
}
