import { z } from 'zod';

/**
 * The Slack part of the environment, checked once at start so a typo in a token
 * or a half-set environment stops the bot with a clear message instead of failing
 * on the first command.
 */

/** How the bot connects: Socket Mode (outbound WebSocket, no public URL) or HTTP (Slack calls us). */
export type SlackEnv =
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string }
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; apiUrl?: string };

// `SLACK_APP_TOKEN=` in a .env file means "unset", not "an empty token".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const slackEnvSchema = z.object({
  SLACK_BOT_TOKEN: optional(
    z
      .string()
      .trim()
      .startsWith('xoxb-', 'must be a bot token (xoxb-…): Slack app → OAuth & Permissions → Bot User OAuth Token'),
  ),
  SLACK_APP_TOKEN: optional(
    z
      .string()
      .trim()
      .startsWith(
        'xapp-',
        'must be an app-level token (xapp-…) with connections:write: Slack app → Basic Information → App-Level Tokens',
      ),
  ),
  SLACK_SIGNING_SECRET: optional(z.string().trim().min(1)),
  SLACK_PORT: optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,5}$/, 'must be a port number such as 3000')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be a port number up to 65535')),
  ),
  SLACK_API_URL: optional(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' }),
  ),
});

/** Thrown for a Slack environment that is invalid or only half set; the message says what to fix. */
export class SlackEnvError extends Error {
  override name = 'SlackEnvError';
}

/**
 * The Slack settings, or null when SLACK_BOT_TOKEN is not set (Slack is off).
 * Throws SlackEnvError when the variables are invalid or do not add up.
 */
export function parseSlackEnv(env: NodeJS.ProcessEnv): SlackEnv | null {
  const parsed = slackEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new SlackEnvError(
      `Slack settings in the environment are invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  const apiUrl = e.SLACK_API_URL
    ? e.SLACK_API_URL.endsWith('/')
      ? e.SLACK_API_URL
      : `${e.SLACK_API_URL}/`
    : undefined;
  const extra = { ...(apiUrl ? { apiUrl } : {}) };
  if (!e.SLACK_BOT_TOKEN) {
    const stray = (['SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const).filter((k) => e[k]);
    if (stray.length)
      throw new SlackEnvError(
        `${stray.join(' and ')} ${stray.length > 1 ? 'are' : 'is'} set but SLACK_BOT_TOKEN is not: set the bot token (xoxb-…) too, or unset the others to run without Slack.`,
      );
    return null;
  }
  if (e.SLACK_APP_TOKEN) return { mode: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, ...extra };
  if (e.SLACK_SIGNING_SECRET)
    return {
      mode: 'http',
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      port: e.SLACK_PORT ?? 3000,
      ...extra,
    };
  throw new SlackEnvError(
    'SLACK_BOT_TOKEN is set but Slack cannot reach the bot: set SLACK_APP_TOKEN (xapp-…, Socket Mode, the default) or SLACK_SIGNING_SECRET (HTTP mode, requests at /slack/events). See docs/slack.md.',
  );
}
