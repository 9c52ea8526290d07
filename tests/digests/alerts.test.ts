import { promised } from '../../src/store/async-store.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertDispatcher } from '../../src/digests/alerts.js';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { DigestScheduler } from '../../src/digests/digest-scheduler.js';
import { silentLogger } from '../../src/log/logger.js';
import { BRIEFS, candidate, config, FakePlatform, MemoryCandidates, openLedger, tally, tempDbFile } from './helpers.js';

const T0 = '2025-03-10T00:00:00.000Z';
const MIN = 60_000;

let closers: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(T0));
});
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
  vi.useRealTimers();
});

function setup(alerts: Record<string, unknown>, candidates = new MemoryCandidates()) {
  const platform = new FakePlatform();
  const { ledger, close } = openLedger(tempDbFile());
  const adapter = platform.adapter();
  const logger = silentLogger();
  const now = () => new Date();
  const cfg = config([
    {
      platform: 'slack',
      channel: 'C-ALERTS',
      cron: '0 8 * * *',
      timezone: 'UTC',
      max_items: 10,
      alerts: { enabled: true, ...alerts },
    },
  ]);
  const deliverer = new DigestDeliverer({
    ledger: promised(ledger),
    adapterFor: () => adapter,
    logger,
    now,
    retry: { delaysMs: [] },
  });
  const shared = {
    getConfig: () => cfg,
    getBriefs: () => BRIEFS,
    ledger: promised(ledger),
    candidates,
    deliverer,
    hasAdapter: () => true,
    logger,
    now,
  };
  const alertsDispatcher = new AlertDispatcher(shared);
  const scheduler = new DigestScheduler(shared);
  closers.push(async () => {
    await scheduler.stop();
    await deliverer.stop();
    close();
  });
  return { platform, candidates, alerts: alertsDispatcher, scheduler, ledger };
}

const at = (minutes: number) => new Date(Date.parse(T0) + minutes * MIN).toISOString();

describe('alerts', () => {
  it('posts a story above min_score at once and leaves the rest for the digest', async () => {
    const { platform, candidates, alerts, scheduler } = setup({ min_score: 0.85 });
    await scheduler.start();
    candidates.add(
      candidate({ storyId: 'big', score: 0.92, story: { title: 'Deal signed', firstSeen: at(5) } }),
      candidate({ storyId: 'minor', score: 0.6, story: { firstSeen: at(5) } }),
    );
    await vi.advanceTimersByTimeAsync(6 * MIN);
    const outcome = await alerts.sweep();
    expect(outcome[0]?.alerted).toHaveLength(1);
    expect(platform.posts).toHaveLength(1);
    expect(platform.posts[0]!.message.title).toBe('Alert — US–Japan rare-earths deal');
    expect(platform.posts[0]!.message.sections[0]!.items[0]).toMatchObject({
      text: 'Deal signed',
      url: 'https://news.example/big',
    });
    expect(platform.posts[0]!.key).toMatch(/^al-/);

    // A second sweep posts nothing new; the digest at 08:00 carries only the minor story.
    await alerts.sweep();
    await vi.advanceTimersByTimeAsync(8 * 60 * MIN);
    expect(platform.posts).toHaveLength(2);
    expect(platform.posts[1]!.message.sections[0]!.items.map((i) => i.url)).toEqual(['https://news.example/minor']);
  });

  it('caps alerts per channel per hour and rolls the overflow into the next digest', async () => {
    const { platform, candidates, alerts, scheduler } = setup({ min_score: 0.8, max_per_hour: 2 });
    await scheduler.start();
    for (let i = 0; i < 5; i++)
      candidates.add(candidate({ storyId: `hot${i}`, score: 0.95 - i * 0.01, story: { firstSeen: at(10) } }));
    await vi.advanceTimersByTimeAsync(11 * MIN);
    const [outcome] = await alerts.sweep();
    expect(outcome?.alerted).toHaveLength(2);
    expect(outcome?.heldForDigest).toHaveLength(3);
    expect(platform.posts.map((p) => p.message.sections[0]!.items[0]!.url)).toEqual([
      'https://news.example/hot0',
      'https://news.example/hot1',
    ]);

    // An hour later the cap has room again, but the held stories stay held for the digest.
    candidates.add(candidate({ storyId: 'hot-later', score: 0.9, story: { firstSeen: at(80) } }));
    await vi.advanceTimersByTimeAsync(70 * MIN);
    const [later] = await alerts.sweep();
    expect(later?.alerted).toHaveLength(1);
    expect(platform.posts).toHaveLength(3);
    expect(platform.posts[2]!.message.sections[0]!.items[0]!.url).toBe('https://news.example/hot-later');

    await vi.advanceTimersByTimeAsync(8 * 60 * MIN);
    const digest = platform.posts[3]!.message;
    expect(digest.title).toMatch(/^Digest/);
    expect(digest.sections[0]!.items.map((i) => i.url)).toEqual([
      'https://news.example/hot2',
      'https://news.example/hot3',
      'https://news.example/hot4',
    ]);
    expect([...tally(platform.storyUrls()).values()].every((n) => n === 1)).toBe(true);
  });

  it('alerts an event once, even when several outlets carry it, and folds later stories of it into the digest', async () => {
    const { platform, candidates, alerts, scheduler, ledger } = setup({ min_score: 0.85 });
    await scheduler.start();
    candidates.add(
      candidate({
        storyId: 'wire',
        clusterKey: 'signing',
        score: 0.9,
        outlets: ['Reuters'],
        story: { firstSeen: at(5) },
      }),
      candidate({
        storyId: 'local',
        clusterKey: 'signing',
        score: 0.88,
        outlets: ['NHK'],
        story: { firstSeen: at(5) },
      }),
    );
    await vi.advanceTimersByTimeAsync(6 * MIN);
    await alerts.sweep();
    expect(platform.posts).toHaveLength(1);
    expect(platform.posts[0]!.message.sections[0]!.items[0]!.meta).toBe(
      'Reuters · 1m ago · also covered by NHK · new: not in the brief',
    );
    candidates.add(
      candidate({ storyId: 'late-echo', clusterKey: 'signing', score: 0.95, story: { firstSeen: at(30) } }),
    );
    await vi.advanceTimersByTimeAsync(30 * MIN);
    await alerts.sweep();
    expect(platform.posts).toHaveLength(1);
    // The 08:00 digest has nothing new to show (quiet_day: skip) but records the echo as folded into the event.
    await vi.advanceTimersByTimeAsync(8 * 60 * MIN);
    expect(platform.posts).toHaveLength(1);
    expect(ledger.deliveredStories('slack:C-ALERTS', ['late-echo'])).toEqual(new Set(['late-echo']));
  });

  it('does not alert stale or backlog stories, nor stories below the threshold', async () => {
    const { platform, candidates, alerts, scheduler } = setup({ min_score: 0.85 });
    await scheduler.start();
    vi.setSystemTime(new Date(at(12 * 60)));
    candidates.add(
      candidate({ storyId: 'stale', score: 0.99, story: { firstSeen: at(60) } }),
      candidate({ storyId: 'backlog', score: 0.99, story: { firstSeen: at(11 * 60 + 50), backlog: true } }),
      candidate({ storyId: 'weak', score: 0.84, story: { firstSeen: at(11 * 60 + 50) } }),
    );
    await alerts.sweep();
    expect(platform.posts).toHaveLength(0);
  });

  it('alerts only channels that turned them on', async () => {
    const { platform, candidates, alerts } = setup({ enabled: false, min_score: 0.5 });
    candidates.add(candidate({ score: 0.99, story: { firstSeen: at(1) } }));
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(await alerts.sweep()).toEqual([]);
    expect(platform.posts).toHaveLength(0);
  });
});
