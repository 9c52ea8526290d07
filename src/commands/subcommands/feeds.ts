import { buildFeedHealth, feedHealthMessage } from '../../feeds/feed-health.js';
import { requireStore, type Subcommand } from '../subcommand.js';

/** Feed health for admins: which feeds work, which fail and why, which moved or died. */
export const feedsSubcommand: Subcommand = {
  name: 'feeds',
  summary: 'feed health: state, last success, last error, stories, next poll',
  usage: 'feeds',
  adminOnly: true,
  needsStore: true,
  run(ctx) {
    return feedHealthMessage(buildFeedHealth(ctx.config.feeds.list, requireStore(ctx).feeds.list()), ctx.now);
  },
};
