import { ChatPermissionError } from '../messages/chat-adapter.js';
import type { Message } from '../messages/message.js';
import type { Delivery } from '../store/digest-ledger.js';

/** The notices admins get about one delivery: when it keeps failing or lacks a permission, and when it went through. */

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

function retryHint(delivery: Delivery): string {
  const [platform, ...rest] = delivery.channelKey.split(':');
  return `npx dealbot digest --platform ${platform} --channel ${rest.join(':')} --send-now posts what is pending at once and prints the platform's answer.`;
}

export function failingNotice(delivery: Delivery, error: string, failingForMs: number): Message {
  return {
    title: `A ${delivery.kind} for ${delivery.channelKey} has kept failing for ${minutes(failingForMs)} min`,
    sections: [
      {
        items: [
          { text: `The platform said: ${error}` },
          {
            text: "Nothing is lost: it stays pending and is retried (every 30 min once the first retries are spent), then posted with that channel's later posts, in order. Other channels are not held up.",
          },
          {
            text: `Check that the bot is still in the channel, may post there, and that its token is valid. ${retryHint(delivery)}`,
          },
        ],
      },
    ],
    footer: 'You will be told once more when it goes through.',
    tone: 'warning',
  };
}

export function permissionNotice(delivery: Delivery, err: ChatPermissionError): Message {
  return {
    title: `A ${delivery.kind} for ${delivery.channelKey} is blocked: ${err.platform} refuses the permission "${err.permission}"`,
    sections: [
      {
        items: [
          { text: `The platform said: ${err.message}` },
          {
            text: `Grant "${err.permission}" to the bot for that channel. Until then the post stays pending (it is retried, never dropped) and that channel's later posts wait behind it.`,
          },
          { text: retryHint(delivery) },
        ],
      },
    ],
    footer: 'You will be told once more when it goes through.',
    tone: 'error',
  };
}

export function recoveredNotice(delivery: Delivery, sentAt: Date): Message {
  const since = delivery.failingSince ? Date.parse(delivery.failingSince) : null;
  const detail =
    since === null
      ? 'It was posted.'
      : `It was posted after failing for ${minutes(sentAt.getTime() - since)} min (${delivery.attempts} attempts).`;
  return {
    title: `The ${delivery.kind} for ${delivery.channelKey} went through`,
    sections: [{ items: [{ text: detail }] }],
    tone: 'info',
  };
}

/** What a platform's refusal says, for the ledger and for people. */
export function describeError(err: unknown): string {
  if (err instanceof ChatPermissionError) return `${err.message} (missing permission: ${err.permission})`;
  return err instanceof Error ? err.message : String(err);
}
