import { describe, expect, it } from 'vitest';
import { StoryAlreadyDeliveredError, type LedgerStory, type NewDelivery } from '../../../src/store/digest-ledger.js';
import { forEachEngine } from './engines.js';

const at = '2025-10-28T08:30:00.000Z';

const delivery = (id: string, over: Partial<NewDelivery> = {}): NewDelivery => ({
  id,
  channelKey: 'slack:C1',
  kind: 'digest',
  slot: at,
  late: false,
  message: { title: `Digest ${id}`, intro: 'Two stories', sections: [], tone: 'info' },
  status: 'pending',
  createdAt: at,
  timeZone: 'Asia/Tokyo',
  ...over,
});

const shown = (storyId: string, clusterKey = storyId): LedgerStory => ({
  storyId,
  briefId: 'rare-earths',
  clusterKey,
  role: 'shown',
});

forEachEngine('ledger', (store) => {
  describe('reserve', () => {
    it('records a delivery with its stories in order, and gives it back whole', async () => {
      const stories = [shown('s2'), shown('s1'), { ...shown('s3', 's1'), role: 'folded' as const }];
      expect(await store().ledger.reserve(delivery('d1'), stories)).toBe(true);
      expect(await store().ledger.get('d1')).toEqual({
        ...delivery('d1'),
        attempts: 0,
        firstAttemptAt: null,
        failingSince: null,
        noticedAt: null,
        lastError: null,
        sentAt: null,
        messageId: null,
        stories,
      });
      expect(await store().ledger.get('nope')).toBeNull();
    });

    it('a known id writes nothing and returns false; a story the channel has is refused atomically', async () => {
      await store().ledger.reserve(delivery('d1'), [shown('s1')]);
      expect(
        await store().ledger.reserve(delivery('d1', { createdAt: '2025-10-29T00:00:00.000Z' }), [shown('s9')]),
      ).toBe(false);
      expect(await store().ledger.deliveredStories('slack:C1', ['s9'])).toEqual(new Set());
      const refused = Promise.resolve().then(() => store().ledger.reserve(delivery('d2'), [shown('s2'), shown('s1')]));
      await expect(refused).rejects.toBeInstanceOf(StoryAlreadyDeliveredError);
      await expect(refused).rejects.toMatchObject({ channelKey: 'slack:C1', storyIds: ['s1'] });
      expect(await store().ledger.get('d2')).toBeNull();
      expect(await store().ledger.deliveredStories('slack:C1', ['s2'])).toEqual(new Set());
      // Another channel may have the same story.
      expect(await store().ledger.reserve(delivery('d3', { channelKey: 'discord:7' }), [shown('s1')])).toBe(true);
    });

    it('a quiet delivery has no message and is not pending', async () => {
      await store().ledger.reserve(delivery('q1', { status: 'quiet', message: null, timeZone: undefined }), []);
      expect(await store().ledger.get('q1')).toMatchObject({ status: 'quiet', message: null, timeZone: null });
      expect(await store().ledger.pending()).toEqual([]);
    });
  });

  describe('attempts, failures, notices and sending', () => {
    it('keeps the first attempt and failure times, counts attempts, and clears the error when sent', async () => {
      await store().ledger.reserve(delivery('d1'), [shown('s1')]);
      await store().ledger.startAttempt('d1', '2025-10-28T08:30:01.000Z');
      await store().ledger.recordFailure('d1', 'HTTP 500', '2025-10-28T08:30:02.000Z');
      await store().ledger.startAttempt('d1', '2025-10-28T08:31:00.000Z');
      await store().ledger.recordFailure('d1', 'x'.repeat(3000), '2025-10-28T08:31:01.000Z');
      await store().ledger.markNoticed('d1', '2025-10-28T08:40:00.000Z');
      await store().ledger.markNoticed('d1', '2025-10-28T08:50:00.000Z');
      expect(await store().ledger.get('d1')).toMatchObject({
        attempts: 2,
        firstAttemptAt: '2025-10-28T08:30:01.000Z',
        failingSince: '2025-10-28T08:30:02.000Z',
        noticedAt: '2025-10-28T08:40:00.000Z',
        lastError: 'x'.repeat(2000),
        status: 'pending',
      });
      await store().ledger.markSent('d1', 'ts-1', '2025-10-28T08:45:00.000Z', true);
      await store().ledger.markSent('d1', 'ts-1', '2025-10-28T08:45:00.000Z', false);
      expect(await store().ledger.get('d1')).toMatchObject({
        status: 'sent',
        messageId: 'ts-1',
        sentAt: '2025-10-28T08:45:00.000Z',
        lastError: null,
        late: true,
      });
    });

    it('pending lists unsent deliveries oldest first, for one channel or all', async () => {
      await store().ledger.reserve(delivery('late', { createdAt: '2025-10-28T09:00:00.000Z' }), [shown('a')]);
      await store().ledger.reserve(delivery('early'), [shown('b')]);
      await store().ledger.reserve(delivery('tie'), [shown('c')]);
      await store().ledger.reserve(delivery('other', { channelKey: 'discord:7' }), [shown('a')]);
      await store().ledger.markSent('tie', 'm', at);
      expect((await store().ledger.pending()).map((d) => d.id)).toEqual(['early', 'other', 'late']);
      expect((await store().ledger.pending('slack:C1')).map((d) => d.id)).toEqual(['early', 'late']);
    });
  });

  describe('what a channel already has', () => {
    it('deliveredStories, deliveredClusters, alert counts and holds', async () => {
      await store().ledger.reserve(delivery('d1'), [shown('s1', 'e1'), shown('s2', 'e2')]);
      await store().ledger.reserve(
        delivery('a1', { kind: 'alert', slot: null, createdAt: '2025-10-28T09:00:00.000Z' }),
        [shown('s3', 'e1')],
      );
      await store().ledger.reserve(
        delivery('a2', { kind: 'alert', slot: null, channelKey: 'discord:7', createdAt: '2025-10-28T09:10:00.000Z' }),
        [shown('s3')],
      );
      expect(await store().ledger.deliveredStories('slack:C1', ['s1', 's3', 's4', 's1'])).toEqual(
        new Set(['s1', 's3']),
      );
      expect(await store().ledger.deliveredStories('slack:C1', [])).toEqual(new Set());
      expect(await store().ledger.deliveredClusters('slack:C1', ['e1', 'e2', 'e3'])).toEqual(new Set(['e1', 'e2']));
      expect(await store().ledger.countAlertsSince('slack:C1', '2025-10-28T08:59:00.000Z')).toBe(1);
      expect(await store().ledger.countAlertsSince('slack:C1', '2025-10-28T09:00:00.001Z')).toBe(0);
      await store().ledger.holdForDigest('slack:C1', ['s7', 's8', 's7'], at);
      await store().ledger.holdForDigest('slack:C1', ['s8'], at);
      expect(await store().ledger.heldForDigest('slack:C1', ['s7', 's8', 's9'])).toEqual(new Set(['s7', 's8']));
      expect(await store().ledger.heldForDigest('discord:7', ['s7'])).toEqual(new Set());
    });
  });

  describe('schedule cursors', () => {
    it('are saved, and a later save moves only the last slot', async () => {
      expect(await store().ledger.getCursor('k')).toBeNull();
      await store().ledger.saveCursor({ scheduleKey: 'k', channelKey: 'slack:C1', registeredAt: at, lastSlot: null });
      await store().ledger.saveCursor({
        scheduleKey: 'k',
        channelKey: 'slack:C2',
        registeredAt: '2025-10-29T00:00:00.000Z',
        lastSlot: '2025-10-28T23:30:00.000Z',
      });
      expect(await store().ledger.getCursor('k')).toEqual({
        scheduleKey: 'k',
        channelKey: 'slack:C1',
        registeredAt: at,
        lastSlot: '2025-10-28T23:30:00.000Z',
      });
    });
  });
});
