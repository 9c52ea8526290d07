import type { FeedConfig } from '../config/schema.js';
import type { Message } from '../messages/message.js';
import type { FeedState } from '../store/store.js';

/**
 * The messages admins get (in admins.notices) when a feed dies, keeps failing, or
 * recovers. One per change of state: the poller records what it told them.
 */

function feedItems(feed: FeedConfig, state: FeedState) {
  return [
    { label: 'Feed', text: feed.id, url: state.url, ...(feed.note ? { meta: feed.note } : {}) },
    ...(state.movedTo
      ? [
          {
            label: 'Moved to',
            text: state.movedTo,
            url: state.movedTo,
            meta: 'the server says the feed moved for good; update its URL in the config',
          },
        ]
      : []),
  ];
}

export function deadFeedNotice(feed: FeedConfig, state: FeedState): Message {
  return {
    title: `Feed "${feed.id}" is dead and no longer polled`,
    intro: state.lastError ?? 'The server says the feed is gone.',
    sections: [
      {
        items: [
          ...feedItems(feed, state),
          {
            label: 'What to do',
            text: `Fix or replace its url in the config (feeds.list → ${feed.id}), or remove it. dealbot polls it again as soon as the URL changes.`,
          },
        ],
      },
    ],
    footer: 'npx dealbot feeds (or /deal feeds) shows every feed’s health',
    tone: 'error',
  };
}

export function failingFeedNotice(feed: FeedConfig, state: FeedState): Message {
  return {
    title: `Feed "${feed.id}" keeps failing`,
    intro: `${state.consecutiveFailures} polls in a row failed. The latest: ${state.lastError ?? 'unknown error'}`,
    sections: [
      {
        items: [
          ...feedItems(feed, state),
          {
            label: 'What happens now',
            text: `dealbot keeps trying, less and less often (at most every 6 hours)${state.nextDueAt ? `; next try ${state.nextDueAt}` : ''}. You will get one message when it works again.`,
          },
        ],
      },
    ],
    footer: 'npx dealbot feeds (or /deal feeds) shows every feed’s health',
    tone: 'warning',
  };
}

export function recoveredFeedNotice(feed: FeedConfig, state: FeedState): Message {
  return {
    title: `Feed "${feed.id}" works again`,
    intro: 'The last poll succeeded; stories from it are flowing again.',
    sections: [{ items: feedItems(feed, state) }],
    tone: 'info',
  };
}
