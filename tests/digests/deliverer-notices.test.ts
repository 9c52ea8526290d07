import { promised } from '../../src/store/async-store.js';
import { describe, expect, it, vi } from 'vitest';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { silentLogger } from '../../src/log/logger.js';
import { ChatPermissionError, type ChatAdapter } from '../../src/messages/chat-adapter.js';
import type { Message } from '../../src/messages/message.js';
import type { RetryPolicy } from '../../src/digests/retry-backoff.js';
import { fakeClockEachTest, FakePlatform, openLedger, tempDbFile } from './helpers.js';

const T0 = '2025-03-10T08:00:00.000Z';
const SEC = 1_000;
const MIN = 60_000;
const C1 = { platform: 'slack', channel: 'C1' };

const cleanups = fakeClockEachTest(T0);

function pendingDigest(ledger: ReturnType<typeof openLedger>['ledger'], id = 'dg-test-1'): void {
  ledger.reserve(
    {
      id,
      channelKey: 'slack:C1',
      kind: 'digest',
      slot: null,
      late: false,
      message: { title: 'Digest', sections: [{ items: [{ text: 'A story', url: 'https://example.com/a' }] }] },
      status: 'pending',
      createdAt: new Date().toISOString(),
    },
    [],
  );
}

function deliverer(
  ledger: ReturnType<typeof openLedger>['ledger'],
  adapter: ChatAdapter,
  notices: Message[],
  retry?: RetryPolicy,
) {
  const d = new DigestDeliverer({
    ledger: promised(ledger),
    adapterFor: () => adapter,
    logger: silentLogger(),
    now: () => new Date(),
    retry,
    notifyAdmins: (m) => void notices.push(m),
  });
  cleanups.push(() => d.stop());
  return d;
}

function setup(file = tempDbFile()) {
  const opened = openLedger(file);
  cleanups.push(opened.close);
  return { file, ...opened };
}

const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

describe('admins hear of a failing post promptly, once, and when it goes through', () => {
  it('exactly five failures: told at 10 minutes (not before, not at each attempt), and once more when it is posted', async () => {
    const { ledger } = setup();
    pendingDigest(ledger);
    const platform = new FakePlatform();
    platform.next('fail', 'fail', 'fail', 'fail', 'fail');
    const notices: Message[] = [];
    const d = deliverer(ledger, platform.adapter(), notices);
    await d.post(C1);
    // Attempts at 0, 5 s, 35 s, 2 min 35 s, 12 min 35 s; the notice falls due in between.
    await vi.advanceTimersByTimeAsync(10 * MIN - SEC);
    expect(notices).toEqual([]);
    await vi.advanceTimersByTimeAsync(SEC);
    expect(notices.map((n) => n.title)).toEqual(['A digest for slack:C1 has kept failing for 10 min']);
    const text = notices[0]!.sections[0]!.items.map((i) => i.text).join('\n');
    expect(text).toContain('platform said 503');
    expect(text).toContain('stays pending');
    expect(text).toContain('npx dealbot digest --platform slack --channel C1 --send-now');
    expect(ledger.get('dg-test-1')).toMatchObject({ noticedAt: at(10 * MIN), failingSince: T0, firstAttemptAt: T0 });

    await vi.advanceTimersByTimeAsync(40 * MIN);
    expect(platform.posts).toHaveLength(1);
    expect(platform.posts[0]!.at).toBe(at(42 * MIN + 35 * SEC));
    expect(notices.map((n) => n.title)).toEqual([
      'A digest for slack:C1 has kept failing for 10 min',
      'The digest for slack:C1 went through',
    ]);
    expect(notices[1]!.sections[0]!.items[0]!.text).toBe('It was posted after failing for 43 min (6 attempts).');
  });

  it('a three-hour outage is one notice, not one per retry cycle; retries go on every 30 minutes', async () => {
    const { ledger } = setup();
    pendingDigest(ledger);
    const platform = new FakePlatform();
    // 0, 5 s, 35 s, 2:35, 12:35, 42:35, then every 30 min: 1:12:35 … 2:42:35 fail, 3:12:35 succeeds.
    platform.next(...Array<'fail'>(10).fill('fail'));
    const notices: Message[] = [];
    const d = deliverer(ledger, platform.adapter(), notices);
    await d.post(C1);
    await vi.advanceTimersByTimeAsync(3 * 60 * MIN);
    expect(platform.posts).toHaveLength(0);
    expect(notices).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15 * MIN);
    expect(platform.posts.map((p) => p.at)).toEqual([at(3 * 60 * MIN + 12 * MIN + 35 * SEC)]);
    expect(notices.map((n) => n.tone)).toEqual(['warning', 'info']);
  });

  it('a restart does not tell again; the recovery is still told', async () => {
    const { file, ledger } = setup();
    pendingDigest(ledger);
    const platform = new FakePlatform();
    // Four failures before the restart (0, 5 s, 35 s, 2 min 35 s), one after it.
    platform.next(...Array<'fail'>(5).fill('fail'));
    const notices: Message[] = [];
    const first = deliverer(ledger, platform.adapter(), notices);
    await first.post(C1);
    await vi.advanceTimersByTimeAsync(11 * MIN);
    expect(notices).toHaveLength(1);
    await first.stop();

    const again = setup(file);
    const second = deliverer(again.ledger, platform.adapter(), notices);
    await second.post(C1); // fails, long after the first failure: already told
    expect(notices).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5 * SEC);
    expect(platform.posts).toHaveLength(1);
    expect(notices.map((n) => n.title)).toEqual([
      'A digest for slack:C1 has kept failing for 10 min',
      'The digest for slack:C1 went through',
    ]);
  });

  it('a missing permission is told at once, naming it, and only once', async () => {
    const { ledger } = setup();
    pendingDigest(ledger);
    let granted = false;
    const posted: string[] = [];
    const adapter: ChatAdapter = {
      platform: 'slack',
      start: async () => undefined,
      stop: async () => undefined,
      postToChannel: async (channel) => {
        if (!granted)
          throw new ChatPermissionError('slack', 'chat:write', 'Slack refused the post: missing_scope (chat:write)');
        posted.push(channel);
        return { channelId: channel, messageId: 'm1' };
      },
    };
    const notices: Message[] = [];
    const d = deliverer(ledger, adapter, notices);
    await d.post(C1);
    expect(notices.map((n) => n.title)).toEqual([
      'A digest for slack:C1 is blocked: slack refuses the permission "chat:write"',
    ]);
    expect(notices[0]!.sections[0]!.items[1]!.text).toContain('Grant "chat:write"');
    await vi.advanceTimersByTimeAsync(15 * MIN);
    expect(notices).toHaveLength(1);
    granted = true;
    await vi.advanceTimersByTimeAsync(30 * MIN);
    expect(posted).toEqual(['C1']);
    expect(notices.map((n) => n.title)).toHaveLength(2);
    expect(notices[1]!.title).toBe('The digest for slack:C1 went through');
  });

  it('a person waiting on a manual send hears of a missing permission at once, without the retries', async () => {
    const { ledger } = setup();
    pendingDigest(ledger);
    const adapter: ChatAdapter = {
      platform: 'slack',
      start: async () => undefined,
      stop: async () => undefined,
      postToChannel: async () => {
        throw new ChatPermissionError('slack', 'chat:write', 'missing_scope');
      },
    };
    const d = deliverer(ledger, adapter, [], { delaysMs: [2_000, 10_000] });
    const result = await d.flush(C1);
    expect(result.pending[0]).toMatchObject({
      attempts: 1,
      lastError: 'missing_scope (missing permission: chat:write)',
    });
  });

  it('asks findPosted to look back to the first attempt (the adapter allows for clock differences)', async () => {
    const { ledger } = setup();
    pendingDigest(ledger);
    const platform = new FakePlatform();
    platform.next('fail', 'fail');
    const d = deliverer(ledger, platform.adapter(), []);
    await d.post(C1);
    await vi.advanceTimersByTimeAsync(40 * SEC);
    expect(platform.finds).toEqual([
      { key: 'dg-test-1', since: at(0) },
      { key: 'dg-test-1', since: at(0) },
    ]);
    expect(platform.posts).toHaveLength(1);
  });
});
