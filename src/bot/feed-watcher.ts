import { postToAdmins } from './admin-notices.js';
import type { ChatAdapter } from '../messages/chat-adapter.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { AsyncStore } from '../store/async-store.js';
import { Poller, type NewStoriesHandler, type StoryFilter } from '../feeds/poller.js';

/**
 * The poller as the running bot uses it: feeds from the live config, notices to
 * admins.notices through whichever adapter serves that platform. The composition
 * root adds the result to its background jobs (it has name, start and stop).
 */
export interface FeedWatcherOptions {
  store: AsyncStore;
  getConfig: () => Config;
  adapters: ChatAdapter[];
  logger: Logger;
  /** Matching and digests hook in here. */
  onNewStories?: NewStoriesHandler;
  /** After every poll (matching decides what is still undecided). */
  afterPoll?: () => void;
  /** Per-feed include/exclude (matching). */
  filter?: StoryFilter;
  /** Where notices go when the config names no admins.notices channel (the terminal, when the bot runs there). */
  fallbackNotices?: { platform: string; channel: string };
}

export function createFeedWatcher(options: FeedWatcherOptions): Poller {
  const logger = options.logger.child({ job: 'feed-poller' });
  return new Poller({
    store: options.store,
    getFeeds: () => options.getConfig().feeds,
    logger,
    onNewStories: options.onNewStories,
    afterPoll: options.afterPoll,
    filter: options.filter,
    // Replicas on PostgreSQL share the feeds through the store's leases; on SQLite there are none.
    leases: options.store.feedLeases,
    leaseTtlMs: options.getConfig().storage.lease,
    notify: (message) => postToAdmins(options.getConfig(), options.adapters, message, logger, options.fallbackNotices),
  });
}
