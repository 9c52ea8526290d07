import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DigestDeliverer } from '../../src/digests/deliver-digest.js';
import { silentLogger } from '../../src/log/logger.js';
import type { ChatAdapter } from '../../src/messages/chat-adapter.js';
import type { NewDelivery } from '../../src/store/digest-ledger.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { FakePlatform, tally } from '../digests/helpers.js';
import { createTestDatabase, PG_TEST_URL, truncateAll, type TestDatabase } from '../helpers/pg-test-db.js';

/**
 * Two replicas' deliverers on one PostgreSQL ledger posting one channel's queue:
 * each delivery is claimed by one of them per attempt, so it reaches the platform
 * once; one a killed replica left mid-post is finished by the other after the claim
 * expires, by finding the post rather than posting again.
 */

const CHANNEL = { platform: 'slack', channel: 'C1' };
const delivery = (id: string, createdAt: string): NewDelivery => ({
  id,
  channelKey: 'slack:C1',
  kind: 'digest',
  slot: createdAt,
  late: false,
  message: { title: `Digest ${id}`, sections: [] },
  status: 'pending',
  createdAt,
});

describe.skipIf(!PG_TEST_URL)('deliverers of two replicas on one ledger (PostgreSQL)', () => {
  let db: TestDatabase;
  let one: PostgresStore;
  let two: PostgresStore;
  const deliverers: DigestDeliverer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('deliver_replicas');
    [one, two] = await Promise.all([
      openPostgresStore(db.url, { holder: 'replica-a' }),
      openPostgresStore(db.url, { holder: 'replica-b' }),
    ]);
  });
  afterEach(async () => {
    await Promise.all(deliverers.splice(0).map((d) => d.stop()));
    await truncateAll(one.pool);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  /** A deliverer of `store` posting through `adapter`, whose posts take 30 ms (so two replicas overlap). */
  function delivererOf(store: PostgresStore, adapter: ChatAdapter, claimTtlMs: number): DigestDeliverer {
    const slow: ChatAdapter = {
      ...adapter,
      postToChannel: async (...args) => {
        await new Promise((r) => setTimeout(r, 30));
        return adapter.postToChannel(...args);
      },
    };
    const d = new DigestDeliverer({
      ledger: store.ledger,
      adapterFor: () => slow,
      logger: silentLogger(),
      now: () => new Date(),
      claimTtlMs,
    });
    deliverers.push(d);
    return d;
  }

  it('both flushing one queue at once: every delivery posted once, in order, all sent', async () => {
    const platform = new FakePlatform();
    for (let i = 0; i < 5; i++) await one.ledger.reserve(delivery(`d${i}`, `2025-10-28T10:0${i}:00.000Z`), []);
    const a = delivererOf(one, platform.adapter(), 2_000);
    const b = delivererOf(two, platform.adapter(), 2_000);
    await Promise.all([a.flush(CHANNEL), b.flush(CHANNEL)]);
    await Promise.all([a.flush(CHANNEL), b.flush(CHANNEL)]);
    expect(platform.posts.map((p) => p.key)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect([...tally(platform.calls.filter((c) => c.startsWith('post '))).values()].every((n) => n === 1)).toBe(true);
    expect(await one.ledger.pending()).toEqual([]);
  });

  it('a delivery a killed replica left mid-post is finished by the other once the claim expires, without a second post', async () => {
    const platform = new FakePlatform();
    await one.ledger.reserve(delivery('d0', '2025-10-28T10:00:00.000Z'), []);
    // What replica A leaves when killed just after the platform accepted its post: its claim, the attempt, the post.
    expect(await one.ledger.claimPost!('d0', 400)).toBe(true);
    await one.ledger.startAttempt('d0', new Date().toISOString());
    await platform.adapter().postToChannel('C1', { title: 'Digest d0', sections: [] }, { idempotencyKey: 'd0' });
    platform.calls.length = 0;

    const b = delivererOf(two, platform.adapter(), 400);
    await b.flush(CHANNEL);
    expect(platform.calls).toEqual(['find d0']);
    expect(platform.posts).toHaveLength(1);
    expect(await two.ledger.get('d0')).toMatchObject({ status: 'sent', messageId: 'm1' });
  });
});
