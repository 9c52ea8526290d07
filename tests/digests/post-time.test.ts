import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { candidate, config, FakePlatform, MemoryCandidates, tempDbFile } from './helpers.js';
import { startScheduler, type RunningScheduler } from './scheduler-harness.js';

const MIN = 60_000;
const T0 = '2025-03-01T00:00:00.000Z';
/** Tokyo 08:30 = 23:30 UTC the day before. */
const SLOT = '2025-03-01T23:30:00.000Z';
const CONFIG = config([{ platform: 'slack', channel: 'C-TOKYO', cron: '30 8 * * *', timezone: 'Asia/Tokyo' }]);

const open: RunningScheduler[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(T0));
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.stop();
  vi.useRealTimers();
});

async function run(failures: number) {
  const platform = new FakePlatform();
  platform.next(...Array<'fail'>(failures).fill('fail'));
  // First seen 31 minutes before the slot.
  const candidates = new MemoryCandidates([
    candidate({ storyId: 'pact', story: { firstSeen: '2025-03-01T22:59:00.000Z' } }),
  ]);
  const r = await startScheduler({ file: tempDbFile(), config: CONFIG, platform, candidates });
  open.push(r);
  await vi.advanceTimersByTimeAsync(Date.parse(SLOT) - Date.parse(T0));
  return { platform, r };
}

describe('a digest held up by platform failures', () => {
  it('is marked late and shows story ages as of when it is posted, not when it was composed', async () => {
    // Fails at 0, 5 s, 35 s, 2 min 35 s and 12 min 35 s; goes through at 42 min 35 s.
    const { platform, r } = await run(5);
    expect(platform.posts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(45 * MIN);
    expect(platform.posts).toHaveLength(1);
    const post = platform.posts[0]!;
    expect(post.at).toBe('2025-03-02T00:12:35.000Z');
    expect(post.message.sections[0]!.items[0]!.meta).toMatch(/^Nikkei · 1h ago\b/);
    expect(post.message.footer).toBe('Sent late: due at 08:30 (Asia/Tokyo); posting it kept failing until now.');
    // The ledger keeps the message as composed (31m) and records the post as late.
    const delivery = r.ledger.get(post.key!)!;
    expect(delivery.message!.sections[0]!.items[0]!.meta).toMatch(/^Nikkei · 31m ago\b/);
    expect(delivery.late).toBe(true);
  });

  it('a short hold-up (under 15 minutes) is not marked late, but its ages are still as of posting', async () => {
    // Fails at 0, 5 s, 35 s, 2 min 35 s; goes through at 12 min 35 s.
    const { platform, r } = await run(4);
    await vi.advanceTimersByTimeAsync(13 * MIN);
    const post = platform.posts[0]!;
    expect(post.at).toBe('2025-03-01T23:42:35.000Z');
    expect(post.message.sections[0]!.items[0]!.meta).toMatch(/^Nikkei · 43m ago\b/);
    expect(post.message.footer).toBeUndefined();
    expect(r.ledger.get(post.key!)!.late).toBe(false);
  });
});
