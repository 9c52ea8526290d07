import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/feeds/host-limiter.js';
import { ParseWorkers } from '../../src/feeds/parse-off-thread.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';

/**
 * Big feeds are parsed in a worker thread running the same parseFeed: the stories,
 * the feed title and the problems found must be exactly those of the inline parse,
 * a parse that throws must fail with the same message, and a stop must cancel a
 * parse under way and end its thread.
 */

const opts = {
  feedId: 'wire',
  baseUrl: 'https://feeds.example.com/feed.xml',
  lang: 'en',
  now: new Date('2025-06-01T12:00:00Z'),
};

function feed(n: number, broken = false): string {
  const items = Array.from(
    { length: n },
    (_, i) =>
      `<item><title>Story ${i} &amp; more</title><link>/s/${i}</link><guid>g${i}</guid><pubDate>Sun, 01 Jun 2025 0${i % 10}:00:00 GMT</pubDate>` +
      `<description>&lt;p&gt;Summary ${i}&nbsp;here&lt;/p&gt;</description></item>` +
      (broken && i % 500 === 7 ? '<item><title>Unclosed <b>tag</title></item>' : ''),
  );
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><link>https://feeds.example.com/</link>${items.join('')}</channel></rss>`;
}

let workers: ParseWorkers | undefined;
afterEach(async () => {
  await workers?.close();
  workers = undefined;
});

describe('parsing big feeds off the main thread', () => {
  it('gives exactly what the inline parse gives, for a well-formed and a broken big feed', async () => {
    workers = new ParseWorkers({ thresholdChars: 1_000 });
    for (const text of [feed(3_000), feed(3_000, true)]) {
      const inline = await parseFeed(text, opts);
      const off = await workers.parse(text, opts);
      expect(workers.size).toBe(1);
      expect(off).toEqual(inline);
      expect(off.stories).toHaveLength(inline.stories.length);
    }
    // The broken one really took the recovery path, and says so the same way.
    expect((await workers.parse(feed(3_000, true), opts)).errors[0]).toMatch(/kept \d+ of \d+ items/);
  });

  it('a settled parse stops listening to the signal (the poller keeps one signal for its whole life)', async () => {
    workers = new ParseWorkers({ thresholdChars: 1_000 });
    const life = new AbortController();
    for (let i = 0; i < 3; i++) await workers.parse(feed(200), { ...opts, signal: life.signal });
    expect(getEventListeners(life.signal, 'abort')).toHaveLength(0);
  });

  it('parses small feeds inline: no thread is started', async () => {
    workers = new ParseWorkers({ thresholdChars: 1_000_000 });
    const r = await workers.parse(feed(20), opts);
    expect(r.stories).toHaveLength(20);
    expect(workers.size).toBe(0);
  });

  it('a parse that throws in the thread fails with the message the inline parse throws', async () => {
    workers = new ParseWorkers({ thresholdChars: 1_000 });
    // A "now" that is not a date makes normalizing throw, on either path.
    const bad = { ...opts, now: 'not a date' as unknown as Date };
    const inline = await parseFeed(feed(100), bad).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(inline).not.toBeNull();
    await expect(workers.parse(feed(100), bad)).rejects.toThrow(inline!);
    // The thread survives a failed parse and serves the next one.
    expect((await workers.parse(feed(100), opts)).stories).toHaveLength(100);
  });

  it('cancels a parse under way when its signal aborts, and ends its thread', async () => {
    workers = new ParseWorkers({ thresholdChars: 1_000 });
    const stop = new AbortController();
    const parsing = workers.parse(feed(20_000), { ...opts, signal: stop.signal });
    await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await expect(parsing).rejects.toBeInstanceOf(CancelledError);
    await new Promise((r) => setTimeout(r, 50));
    expect(workers.size).toBe(0);
    // An already aborted signal is refused before any work.
    await expect(workers.parse(feed(100), { ...opts, signal: stop.signal })).rejects.toBeInstanceOf(CancelledError);
  });

  it('close() cancels queued and running parses', async () => {
    workers = new ParseWorkers({ thresholdChars: 1_000, maxWorkers: 1 });
    const running = expect(workers.parse(feed(20_000), opts)).rejects.toBeInstanceOf(CancelledError);
    const queued = expect(workers.parse(feed(20_000), opts)).rejects.toBeInstanceOf(CancelledError);
    await workers.close();
    await running;
    await queued;
    expect(workers.size).toBe(0);
  });
});
