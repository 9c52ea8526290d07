import { asyncFromSync } from '../../src/store/async-store.js';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Poller } from '../../src/feeds/poller.js';
import { createLogger } from '../../src/log/logger.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { feedsConfig, ok, scriptedFetch } from './poller-fixtures.js';

/**
 * In production every line on stderr is JSON: node-cron's own warnings about the
 * poller's tick (a slot missed while the event loop was blocked) go through pino,
 * never to the console as "[NODE-CRON] [WARN] …" text.
 */

let poller: Poller | undefined;
afterEach(async () => {
  await poller?.stop();
  vi.restoreAllMocks();
});

describe('node-cron warnings of the feed poller', () => {
  it('a missed tick is logged as a JSON line from pino, not on the console', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const consoleCalls = [
      vi.spyOn(console, 'warn').mockImplementation(() => undefined),
      vi.spyOn(console, 'info').mockImplementation(() => undefined),
      vi.spyOn(console, 'error').mockImplementation(() => undefined),
      vi.spyOn(console, 'log').mockImplementation(() => undefined),
    ];
    const store = openSyncStore(':memory:');
    poller = new Poller({
      store: asyncFromSync(store),
      getFeeds: () => feedsConfig([]),
      fetchFeed: scriptedFetch(() => ok([])).fetchFeed,
      logger: createLogger({ level: 'info', destination }),
      tick: '* * * * * *',
    });
    poller.start();
    // Block the event loop past a few one-second slots (node-cron tolerates 1 s of lateness).
    const until = Date.now() + 3500;
    while (Date.now() < until) {
      /* busy */
    }
    const deadline = Date.now() + 4000;
    while (!lines.some((l) => l.includes('missed execution')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await poller.stop();
    store.close();

    const missed = lines.find((l) => l.includes('missed execution'));
    expect(missed).toBeDefined();
    const entry = JSON.parse(missed!) as { level: number; name: string; source: string; msg: string };
    expect(entry).toMatchObject({ level: 40, name: 'dealbot', source: 'node-cron' });
    expect(entry.msg).toMatch(/^missed execution at /);
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
  });
});
