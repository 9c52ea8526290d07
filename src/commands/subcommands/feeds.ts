import { buildFeedHealth, feedHealthMessage } from '../../feeds/feed-health.js';
import type { Subcommand } from '../subcommand.js';

/** Feed health for admins: which feeds work, which fail and why, which moved or died. */
export const feedsSubcommand: Subcommand = {
  name: 'feeds',
  summary: 'feed health: state, last success, last error, stories, next poll',
  usage: 'feeds',
  adminOnly: true,
  run(ctx) {
    const store = ctx.services.store;
    if (!store) {
      return {
        title: 'Feeds',
        intro: 'Feed health is not available here: this session has no database open.',
        sections: [],
        footer: 'Run dealbot feeds on the bot’s machine to see it.',
        tone: 'warning',
      };
    }
    return feedHealthMessage(buildFeedHealth(ctx.config.feeds.list, store.feeds.list()), ctx.now);
  },
};
