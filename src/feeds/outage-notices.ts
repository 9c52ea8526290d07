import type { Message } from '../messages/message.js';
import type { StoreUnavailableError } from '../store/store-unavailable.js';

/**
 * What admins are told (in admins.notices) when the database stops answering and
 * when it answers again: once each per outage, by the poller, which meets it
 * first (it reads the feed states every tick).
 */

export function storeDownNotice(err: StoreUnavailableError): Message {
  return {
    title: 'The database is not answering',
    intro: `dealbot cannot reach the database at ${err.target} (${err.reason}).`,
    sections: [
      {
        items: [
          {
            label: 'What still works',
            text: 'Commands that read the briefs (facts, reactions, sources, help) answer as usual; those that read stored news ask people to try again in a minute.',
          },
          {
            label: 'What waits',
            text: 'Feeds are not polled and digests wait; nothing is lost: once the database answers, feeds are polled from where they were and late digests are posted, marked late.',
          },
          {
            label: 'What to do',
            text: `Check that PostgreSQL is up and reachable from this host (${err.target}). You will get one message when it answers again.`,
          },
        ],
      },
    ],
    footer: "The bot's log has the details; /healthz answers 503 meanwhile.",
    tone: 'error',
  };
}

export function storeBackNotice(target: string, downSince: Date, now: Date): Message {
  const minutes = Math.max(1, Math.round((now.getTime() - downSince.getTime()) / 60_000));
  return {
    title: 'The database answers again',
    intro: `The database at ${target} answers again after about ${minutes} minute${minutes === 1 ? '' : 's'}; polling and digests resume.`,
    sections: [],
    tone: 'info',
  };
}
