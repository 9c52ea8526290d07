import { asyncFromSync } from '../../src/store/async-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterModule } from '../../src/adapters/index.js';
import { FEEDS_PAGE_SIZE } from '../../src/commands/subcommands/feeds.js';
import { renderText } from '../../src/render/text.js';
import { freshFeedState } from '../../src/feeds/poll-feed.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { FeedState, Store } from '../../src/store/store.js';
import { createTestBot, type TestBot } from '../helpers/test-bot.js';

/** Issue #13 item 7: /deal feeds ends with a way on (a page number, "failing"), on every platform. */

function state(feedId: string, url: string, extra: Partial<FeedState>): FeedState {
  return { ...freshFeedState({ id: feedId, url }, null), status: 'ok', ...extra };
}

let bot: TestBot;
let store: Store;
let feeds: { id: string; url: string }[];
beforeAll(async () => {
  store = openSyncStore(':memory:');
  bot = await createTestBot({ services: { store: asyncFromSync(store) } });
  feeds = bot.files.loaded.config.feeds.list;
  // The shipped config's 25 feeds: two in trouble, the rest fine.
  feeds.forEach((f, i) =>
    store.feeds.save(
      state(
        f.id,
        f.url,
        i === 3
          ? { status: 'failing', consecutiveFailures: 4, lastError: 'HTTP 503' }
          : i === 7
            ? { status: 'dead', lastError: 'HTTP 410 Gone' }
            : {},
      ),
    ),
  );
});
afterAll(async () => {
  await bot.close();
  store.close();
});

describe('/deal feeds, page by page', () => {
  it('shows the first page, problems first, and ends with the next page and "failing"', async () => {
    expect(feeds.length).toBeGreaterThan(2 * FEEDS_PAGE_SIZE);
    const reply = await bot.reply('/deal feeds');
    const pages = Math.ceil(feeds.length / FEEDS_PAGE_SIZE);
    expect(reply.message.title).toBe(`Feeds — page 1 of ${pages}`);
    const [section] = reply.message.sections;
    expect(section!.items).toHaveLength(FEEDS_PAGE_SIZE);
    expect(section!.items.slice(0, 2).map((i) => i.label)).toEqual([feeds[7]!.id, feeds[3]!.id]);
    expect(section!.more).toEqual({
      count: feeds.length - FEEDS_PAGE_SIZE,
      hint: '/deal feeds 2, or /deal feeds failing for the 2 failing or dead',
    });
    // The summary still counts every feed.
    expect(reply.message.intro).toContain(`${feeds.length} feeds`);
  });

  it('shows a later page, and the last page has no way on', async () => {
    const pages = Math.ceil(feeds.length / FEEDS_PAGE_SIZE);
    const second = await bot.reply('/deal feeds 2');
    expect(second.message.sections[0]!.items[0]!.label).not.toBe(feeds[7]!.id);
    const last = await bot.reply(`/deal feeds ${pages}`);
    expect(last.message.sections[0]!.items).toHaveLength(feeds.length - (pages - 1) * FEEDS_PAGE_SIZE);
    expect(last.message.sections[0]!.more).toBeUndefined();
  });

  it('"failing" shows only the failing and dead feeds', async () => {
    const reply = await bot.reply('/deal feeds failing');
    expect(reply.message.title).toBe('Failing and dead feeds');
    expect(reply.message.sections[0]!.items.map((i) => i.label)).toEqual([feeds[7]!.id, feeds[3]!.id]);
    expect(renderText(reply.message)).toContain('HTTP 503');
  });

  it('refuses a page that does not exist and a word it does not know, saying what it takes', async () => {
    const far = await bot.reply('/deal feeds 9');
    expect(far.refused).toBe(true);
    expect(renderText(far.message)).toContain('There is no page 9');
    const odd = await bot.reply('/deal feeds broken');
    expect(odd.refused).toBe(true);
    expect(renderText(odd.message)).toContain('/deal feeds failing shows only failing and dead feeds');
  });

  it('names the same way on in Slack and Discord, and never "narrow it down"', async () => {
    const reply = await bot.reply('/deal feeds');
    for (const platform of ['slack', 'discord']) {
      const module = (await adapterModule(platform))!;
      const body = JSON.stringify(module.render(reply.message, { visibility: reply.visibility }));
      expect(body, platform).toContain(
        `… and ${feeds.length - FEEDS_PAGE_SIZE} more — /deal feeds 2, or /deal feeds failing`,
      );
      expect(body, platform).not.toContain('narrow it down');
    }
  });
});
