import { z } from 'zod';
import type { CommandInvocation } from '../../messages/chat-adapter.js';

/**
 * The fields of a Slack slash-command body that dealbot uses, checked at the edge:
 * Bolt has verified the signature, this checks the shape before anything reaches
 * the command engine. Slack sends more fields (token, team_domain, api_app_id, …);
 * they are ignored.
 */
export const slashCommandPayloadSchema = z.object({
  command: z.string().regex(/^\/\S{1,32}$/),
  text: z.string().max(4000).default(''),
  user_id: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  user_name: z.string().optional(),
  channel_id: z.string().regex(/^[CDGZ][A-Z0-9]{2,}$/),
  team_id: z.string().optional(),
  response_url: z.url({ protocol: /^https?$/ }),
});

export type SlashCommandPayload = z.infer<typeof slashCommandPayloadSchema>;

/** The neutral invocation the engine takes; the admin check reads user.id (the U… id, never the name). */
export function toInvocation(payload: SlashCommandPayload): CommandInvocation {
  return {
    platform: 'slack',
    command: payload.command.slice(1),
    text: unescapeSlackText(payload.text),
    user: { id: payload.user_id, ...(payload.user_name ? { name: payload.user_name } : {}) },
    channel: { id: payload.channel_id },
  };
}

/**
 * Slack sends typed text with &, < and > as HTML entities (even with should_escape
 * off): "M&A" arrives as "M&amp;A", a link's "?a=1&utm_source=x" as "&amp;utm_source".
 * The engine reads what the user typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
