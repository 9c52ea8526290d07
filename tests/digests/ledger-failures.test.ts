import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { candidate, config, FakePlatform, MemoryCandidates, openLedger, tally, tempDbFile } from './helpers.js';
import { advance, startScheduler, type RunningScheduler } from './scheduler-harness.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Tokyo 08:30 = 23:30 UTC the day before. */
const CONFIG = config([
  {
    platform: 'slack',
    channel: 'C-TOKYO',
    cron: '30 8 * * *',
    timezone: 'Asia/Tokyo',
    max_items: 3,
    quiet_day: 'skip',
  },
]);
const T0 = '2025-03-01T00:00:00.000Z';
const SLOT1 = '2025-03-01T23:30:00.000Z';

const open: RunningScheduler[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(T0));
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.stop().catch(() => undefined);
  vi.useRealTimers();
});

async function start(
  file: string,
  platform: FakePlatform,
  candidates: MemoryCandidates,
  extra: { retry?: { delaysMs: number[] }; findPosted?: boolean } = {},
) {
  const r = await startScheduler({ file, config: CONFIG, platform, candidates, ...extra });
  open.push(r);
  return r;
}

/** Stops a "process" without letting it finish anything: what a crash leaves is what the ledger has. */
async function crash(r: RunningScheduler) {
  open.splice(open.indexOf(r), 1);
  await r.stop();
}

/** Stories first seen an hour after T0: all due in the first digest. */
function news(n: number): MemoryCandidates {
  return new MemoryCandidates(
    Array.from({ length: n }, (_, i) =>
      candidate({ storyId: `n${i}`, score: 0.9 - i * 0.01, story: { firstSeen: '2025-03-01T01:00:00.000Z' } }),
    ),
  );
}

/** Every story id recorded for the channel in sent deliveries, with how often. */
function recorded(file: string): Map<string, number> {
  const { db, close } = openLedger(file);
  try {
    const rows = db
      .prepare(
        `SELECT s.story_id AS id FROM digest_delivery_stories s JOIN digest_deliveries d ON d.id = s.delivery_id WHERE d.status = 'sent'`,
      )
      .all() as { id: string }[];
    return tally(rows.map((r) => r.id));
  } finally {
    close();
  }
}

describe('delivery ledger under failures', () => {
  it('retries a failing platform with backoff and posts once when it recovers', async () => {
    const platform = new FakePlatform();
    platform.next('fail', 'fail');
    const file = tempDbFile();
    const r = await start(file, platform, news(2), { retry: { delaysMs: [10_000, 60_000] } });
    await vi.advanceTimersByTimeAsync(Date.parse(SLOT1) - Date.parse(T0));
    expect(platform.calls).toEqual([expect.stringMatching(/^post dg-/)]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(platform.posts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(platform.posts).toHaveLength(1);
    // Retries after a failed attempt ask the platform first, then post with the same key.
    const key = platform.posts[0]!.key!;
    expect(platform.calls).toEqual([`post ${key}`, `find ${key}`, `post ${key}`, `find ${key}`, `post ${key}`]);
    expect(key.length).toBeLessThanOrEqual(25);
    expect(r.ledger.get(key)).toMatchObject({ status: 'sent', attempts: 3, messageId: 'm1', late: false });
    expect([...tally(platform.storyUrls()).values()]).toEqual([1, 1]);
  });

  it('a platform still down after the last retry leaves the digest pending; the next run posts it, then the new one, in order', async () => {
    const platform = new FakePlatform();
    platform.next('fail', 'fail');
    const candidates = news(2);
    const file = tempDbFile();
    await start(file, platform, candidates, { retry: { delaysMs: [10_000] } });
    await advance(Date.parse(SLOT1) - Date.parse(T0) + MIN);
    expect(platform.posts).toHaveLength(0);
    candidates.add(candidate({ storyId: 'next-day', story: { firstSeen: '2025-03-02T06:00:00.000Z' } }));
    await advance(DAY);
    expect(platform.posts).toHaveLength(2);
    expect(platform.posts[0]!.message.sections[0]!.items.map((i) => i.url)).toEqual([
      'https://news.example/n0',
      'https://news.example/n1',
    ]);
    expect(platform.posts[1]!.message.sections[0]!.items.map((i) => i.url)).toEqual(['https://news.example/next-day']);
  });

  it('the process dies before the platform gets the post: a restart sends it once', async () => {
    const platform = new FakePlatform();
    platform.next('crash-before');
    const file = tempDbFile();
    const first = await start(file, platform, news(3), { retry: { delaysMs: [] } });
    await vi.advanceTimersByTimeAsync(Date.parse(SLOT1) - Date.parse(T0));
    await crash(first);
    expect(platform.posts).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(30 * MIN);
    await start(file, platform, news(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts).toHaveLength(1);
    expect([...tally(platform.storyUrls()).values()]).toEqual([1, 1, 1]);
    expect([...recorded(file).values()]).toEqual([1, 1, 1]);
  });

  it('the process dies after the platform accepted the post: a restart finds it and does not post again', async () => {
    const platform = new FakePlatform();
    platform.next('crash-after');
    const file = tempDbFile();
    const first = await start(file, platform, news(3), { retry: { delaysMs: [] } });
    await vi.advanceTimersByTimeAsync(Date.parse(SLOT1) - Date.parse(T0));
    await crash(first);
    expect(platform.posts).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(30 * MIN);
    const second = await start(file, platform, news(3));
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts).toHaveLength(1);
    const key = platform.posts[0]!.key!;
    expect(platform.calls).toEqual([`post ${key}`, `find ${key}`]);
    expect(second.ledger.get(key)).toMatchObject({ status: 'sent', messageId: 'm1' });
    // The next day's digest does not repeat those stories.
    await advance(DAY);
    expect(platform.posts).toHaveLength(1);
    expect([...tally(platform.storyUrls()).values()]).toEqual([1, 1, 1]);
  });

  it('without findPosted, a restart re-posts with the same idempotency key (for the platform to drop)', async () => {
    const platform = new FakePlatform();
    platform.next('crash-after');
    const file = tempDbFile();
    const first = await start(file, platform, news(1), { retry: { delaysMs: [] }, findPosted: false });
    await vi.advanceTimersByTimeAsync(Date.parse(SLOT1) - Date.parse(T0));
    await crash(first);
    await start(file, platform, news(1), { findPosted: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts.map((p) => p.key)).toEqual([platform.posts[0]!.key, platform.posts[0]!.key]);
  });

  it('a slot that passed while the bot was down is sent once on restart, marked late, then the schedule goes on', async () => {
    const platform = new FakePlatform();
    const candidates = news(2);
    const file = tempDbFile();
    const first = await start(file, platform, candidates);
    await advance(Date.parse(SLOT1) - Date.parse(T0) + MIN);
    expect(platform.posts).toHaveLength(1);
    await crash(first);

    // Down for three slots; stories keep arriving in the meantime.
    candidates.add(
      candidate({ storyId: 'while-down-1', story: { firstSeen: '2025-03-02T03:00:00.000Z' } }),
      candidate({ storyId: 'while-down-2', story: { firstSeen: '2025-03-04T03:00:00.000Z' } }),
    );
    vi.setSystemTime(new Date('2025-03-05T02:00:00.000Z'));
    await start(file, platform, candidates);
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts).toHaveLength(2);
    const late = platform.posts[1]!.message;
    expect(late.footer).toBe('Sent late: due at 08:30 (Asia/Tokyo) while the bot was offline.');
    expect(late.sections[0]!.items.map((i) => i.url)).toEqual([
      'https://news.example/while-down-2',
      'https://news.example/while-down-1',
    ]);

    // A second restart the same day does not send it again.
    await crash(open[0]!);
    await start(file, platform, candidates);
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts).toHaveLength(2);

    // The next slot runs on time.
    candidates.add(candidate({ storyId: 'next', story: { firstSeen: '2025-03-05T10:00:00.000Z' } }));
    await advance(Date.parse('2025-03-05T23:30:00.000Z') - Date.parse('2025-03-05T02:00:00.000Z'));
    expect(platform.posts).toHaveLength(3);
    expect(platform.posts[2]!.at).toBe('2025-03-05T23:30:00.000Z');
    expect(platform.posts[2]!.message.footer).toBeUndefined();
    expect([...tally(platform.storyUrls()).values()].every((n) => n === 1)).toBe(true);
  });

  it('a restart does not wait for a catch-up that is riding out a platform outage', async () => {
    const platform = new FakePlatform();
    const file = tempDbFile();
    const first = await start(file, platform, news(1));
    await crash(first);
    vi.setSystemTime(new Date('2025-03-02T03:00:00.000Z'));
    platform.next('fail', 'fail');
    const second = await start(file, platform, news(1), { retry: { delaysMs: [60_000, 60_000] } });
    // The catch-up is reserved and tried once; its retries go on in the channel's queue, holding up nothing.
    let caughtUp = false;
    void second.scheduler.caughtUp.then(() => (caughtUp = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(caughtUp).toBe(true);
    expect(platform.posts).toHaveLength(0);
    expect(second.ledger.pending()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(platform.posts).toHaveLength(1);
    expect(platform.posts[0]!.message.footer).toMatch(/^Sent late/);
  });

  it('a crash between reserving a digest and moving the schedule on does not double it', async () => {
    const platform = new FakePlatform();
    platform.next('crash-before');
    const file = tempDbFile();
    const first = await start(file, platform, news(2), { retry: { delaysMs: [] } });
    await vi.advanceTimersByTimeAsync(Date.parse(SLOT1) - Date.parse(T0));
    await crash(first);
    // Put the cursor back as if the process had died right after reserving.
    const { db, close } = openLedger(file);
    db.prepare('UPDATE digest_schedules SET last_slot = NULL').run();
    close();
    await start(file, platform, news(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(platform.posts).toHaveLength(1);
    expect([...recorded(file).values()]).toEqual([1, 1]);
  });

  it('over a busy week with failures and restarts, every matched story reaches the channel exactly once', async () => {
    const platform = new FakePlatform();
    const candidates = new MemoryCandidates();
    // 40 stories over 5 days, some in shared events, a few backlog.
    for (let i = 0; i < 40; i++) {
      const firstSeen = new Date(Date.parse(T0) + i * 3 * HOUR).toISOString();
      candidates.add(
        candidate({
          storyId: `w${i}`,
          clusterKey: `e${Math.floor(i / 2)}`,
          score: 0.5 + (i % 5) / 10,
          story: { firstSeen, backlog: i % 13 === 12 },
        }),
      );
    }
    const file = tempDbFile();
    platform.next('fail', 'crash-after');
    let r = await start(file, platform, candidates, { retry: { delaysMs: [5 * MIN] } });
    await advance(2 * DAY);
    await crash(r);
    vi.setSystemTime(new Date(Date.parse(T0) + 3 * DAY + 5 * HOUR));
    platform.next('crash-before');
    r = await start(file, platform, candidates, { retry: { delaysMs: [] } });
    await vi.advanceTimersByTimeAsync(0);
    await crash(r);
    await start(file, platform, candidates);
    await advance(3 * DAY);

    const { db, close } = openLedger(file);
    const rows = db
      .prepare(
        `SELECT story_id AS id, role FROM digest_delivery_stories s JOIN digest_deliveries d ON d.id = s.delivery_id WHERE d.status IN ('sent', 'quiet')`,
      )
      .all() as { id: string; role: string }[];
    const pending = db.prepare(`SELECT COUNT(*) AS n FROM digest_deliveries WHERE status = 'pending'`).get() as {
      n: number;
    };
    close();
    const expected = candidates.list
      .filter((c) => !c.story.backlog)
      .map((c) => c.storyId)
      .sort();
    expect(rows.map((x) => x.id).sort()).toEqual(expected);
    expect(pending.n).toBe(0);
    // Shown on the platform at most once each, and never two digests with the same key.
    expect([...tally(platform.storyUrls()).values()].every((n) => n === 1)).toBe(true);
    expect(new Set(platform.posts.map((p) => p.key)).size).toBe(platform.posts.length);
    expect(platform.storyUrls().some((u) => u.endsWith('/w12'))).toBe(false);
  });
});
