import { buildFeedHealth, feedHealthMessage, needsAttention, sortForAdmins } from '../../feeds/feed-health.js';
import { requireStore, type Subcommand } from '../subcommand.js';
import { UsageProblem } from '../usage-problem.js';

/** Feeds per answer: a page stays well inside one Slack message (50 blocks) and one Discord message (6,000 characters). */
export const FEEDS_PAGE_SIZE = 10;
const FAILING = 'failing';

/**
 * Feed health for admins: which feeds work, which fail and why, which moved or died.
 * Problems come first; "failing" shows only failing and dead feeds, and a number
 * shows that page, so a long list always ends with the way to the rest.
 */
export const feedsSubcommand: Subcommand = {
  name: 'feeds',
  summary: 'feed health: state, last success, last error, stories, next poll',
  usage: `feeds [${FAILING}] [page]`,
  adminOnly: true,
  needsStore: true,
  async run(ctx) {
    const cmd = ctx.config.bot.command;
    const { failingOnly, page } = readArgs(ctx.args, cmd);
    const rows = buildFeedHealth(ctx.config.feeds.list, await requireStore(ctx).feeds.list());
    const listed = sortForAdmins(rows).filter((r) => !failingOnly || needsAttention(r));
    const pages = Math.max(1, Math.ceil(listed.length / FEEDS_PAGE_SIZE));
    const base = `/${cmd} feeds${failingOnly ? ` ${FAILING}` : ''}`;
    if (page > pages) {
      throw new UsageProblem(`There is no page ${page}`, [
        `${listed.length} feed${listed.length === 1 ? '' : 's'} fill${listed.length === 1 ? 's' : ''} ${pages} page${pages === 1 ? '' : 's'}: ${base}${pages > 1 ? ` 1 to ${base} ${pages}` : ''}.`,
      ]);
    }
    const shown = listed.slice((page - 1) * FEEDS_PAGE_SIZE, page * FEEDS_PAGE_SIZE);
    const after = listed.length - page * FEEDS_PAGE_SIZE;
    const troubled = rows.filter(needsAttention).length;
    const hint = [
      `${base} ${page + 1}`,
      ...(!failingOnly && troubled > 0 && troubled < listed.length
        ? [`or ${base} ${FAILING} for the ${troubled} failing or dead`]
        : []),
    ].join(', ');
    const heading = failingOnly ? 'Failing and dead feeds' : 'Feeds';
    return feedHealthMessage(rows, ctx.now, {
      shown,
      title: pages > 1 ? `${heading} — page ${page} of ${pages}` : heading,
      ...(after > 0 ? { more: { count: after, hint } } : {}),
      ...(failingOnly ? { empty: `No feed is failing or dead. /${cmd} feeds lists them all.` } : {}),
    });
  },
};

/** "failing", a page number, both (any order), or nothing. */
function readArgs(args: readonly string[], cmd: string): { failingOnly: boolean; page: number } {
  let failingOnly = false;
  let page: number | undefined;
  for (const word of args) {
    if (word.toLowerCase() === FAILING && !failingOnly) failingOnly = true;
    else if (/^\d+$/.test(word) && page === undefined && Number(word) >= 1) page = Number(word);
    else
      throw new UsageProblem(`"${word}" is not a page number or "${FAILING}"`, [
        `/${cmd} feeds ${FAILING} shows only failing and dead feeds; /${cmd} feeds 2 shows the second page of ${FEEDS_PAGE_SIZE}.`,
      ]);
  }
  return { failingOnly, page: page ?? 1 };
}
