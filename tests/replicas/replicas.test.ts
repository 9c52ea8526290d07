import { afterEach, describe, expect, it } from 'vitest';
import { nonceFor } from '../../src/adapters/discord/channel-posts.js';
import { PG_TEST_URL } from '../helpers/pg-test-db.js';
import {
  counts,
  DISCORD_CHANNEL,
  feedId,
  FEEDS,
  LEASE_MS,
  pidOf,
  POLL_INTERVAL_MS,
  SLACK_CHANNEL,
  slackKey,
  startRig,
  waitFor,
  type ReplicaRig,
} from './replica-harness.js';

/**
 * Replicas of the bot sharing one PostgreSQL database, as real processes (see
 * replica-harness.ts): every feed fetched by one of them per interval, every
 * digest posted once per channel per slot, and a replica killed (SIGKILL) while
 * polling or posting taken over by the others once its leases expire, with
 * nothing lost and nothing sent twice.
 */

// A feed's next poll comes after its interval less the backoff's jitter (10%).
const MIN_GAP_MS = POLL_INTERVAL_MS * 0.9 - 250;

interface DeliveryRow {
  id: string;
  channel_key: string;
  slot: string | null;
  status: string;
}

async function digestDeliveries(rig: ReplicaRig): Promise<DeliveryRow[]> {
  const { rows } = await rig.pool.query<DeliveryRow>(
    `SELECT id, channel_key, slot, status FROM digest_deliveries WHERE kind = 'digest' ORDER BY slot, channel_key`,
  );
  return rows;
}

/** Digest slots every channel has had sent. */
async function sentSlots(rig: ReplicaRig): Promise<Set<string>> {
  const rows = await digestDeliveries(rig);
  const sent = (channel: string) =>
    new Set(rows.filter((r) => r.channel_key === channel && r.status === 'sent').map((r) => r.slot!));
  const slack = sent(`slack:${SLACK_CHANNEL}`);
  return new Set([...sent(`discord:${DISCORD_CHANNEL}`)].filter((s) => slack.has(s)));
}

/** Posts that reached each platform, by delivery id: Slack calls and messages, Discord POSTs and messages. */
function platformPosts(rig: ReplicaRig) {
  const discordPosts = rig.discord.requests.filter(
    (r) => r.method === 'POST' && r.path === `/channels/${DISCORD_CHANNEL}/messages`,
  );
  return {
    slackCalls: counts(rig.slack.callsTo('chat.postMessage').map((c) => slackKey(c.body))),
    slackMessages: counts(
      rig.slack.messages.map((m) => m.metadata?.event_payload.idempotency_key as string | undefined),
    ),
    discordCalls: counts(discordPosts.map((r) => (r.body as { nonce?: string }).nonce)),
    discordMessages: counts(
      (rig.discord.messages.get(DISCORD_CHANNEL) ?? []).map((m) => m.nonce as string | undefined),
    ),
  };
}

/** Every digest delivery reached its channel once (one call, one message). */
async function expectEachDigestPostedOnce(rig: ReplicaRig, options: { allowRetriedCall?: string } = {}) {
  const rows = await digestDeliveries(rig);
  const posts = platformPosts(rig);
  for (const row of rows) {
    expect(row.status, `digest ${row.id} for ${row.channel_key} at ${row.slot}`).toBe('sent');
    if (row.channel_key.startsWith('slack:')) {
      expect(posts.slackMessages.get(row.id), `Slack messages of ${row.id}`).toBe(1);
      if (row.id !== options.allowRetriedCall) expect(posts.slackCalls.get(row.id), `Slack posts of ${row.id}`).toBe(1);
    } else {
      expect(posts.discordMessages.get(nonceFor(row.id)), `Discord messages of ${row.id}`).toBe(1);
      expect(posts.discordCalls.get(nonceFor(row.id)), `Discord posts of ${row.id}`).toBe(1);
    }
  }
  // Nothing posted that the ledger does not know (a second delivery for a slot would be one).
  expect([...posts.slackMessages.keys()].every((k) => rows.some((r) => r.id === k))).toBe(true);
  expect(rows.filter((r) => r.channel_key.startsWith('slack:')).length).toBe(posts.slackMessages.size);
  expect(rows.filter((r) => r.channel_key.startsWith('discord:')).length).toBe(posts.discordMessages.size);
}

/** No feed fetched twice within its interval (less jitter), except `except` (a killed replica's, fetched again). */
function expectOncePerInterval(rig: ReplicaRig, except: Set<string> = new Set()) {
  for (let i = 0; i < FEEDS; i++) {
    const id = feedId(i);
    if (except.has(id)) continue;
    const times = rig.fetches.get(id) ?? [];
    const gaps = times.slice(1).map((t, k) => t - times[k]!);
    expect(
      Math.min(...gaps, Infinity),
      `shortest gap between fetches of ${id} (${times.length} fetches)`,
    ).toBeGreaterThanOrEqual(MIN_GAP_MS);
  }
}

describe.skipIf(!PG_TEST_URL)('replicas on one PostgreSQL database (processes)', () => {
  let rig: ReplicaRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('two replicas: every feed fetched once per interval, every digest posted once per channel per slot', async () => {
    rig = await startRig('two');
    const [a, b] = await rig.start(2);
    // Three digest slots on both channels, and every feed fetched at least twice.
    await waitFor('three digest slots sent on both channels', async () => (await sentSlots(rig!)).size >= 3, 45_000, a);
    await waitFor(
      'every feed fetched twice',
      () => Array.from({ length: FEEDS }, (_, i) => rig!.fetches.get(feedId(i))?.length ?? 0).every((n) => n >= 2),
      20_000,
      a,
    );
    // A second post of a slot would come at once, not later: look now.
    await new Promise((r) => setTimeout(r, 1_000));
    expectOncePerInterval(rig);
    await expectEachDigestPostedOnce(rig);
    // Both did part of the polling.
    expect(a!.polled().length, 'feeds polled by the first replica').toBeGreaterThan(0);
    expect(b!.polled().length, 'feeds polled by the second replica').toBeGreaterThan(0);
    // One replica holds Discord's gateway (the store's named lease): one session identified.
    expect(rig.discord.gateway.identifies, 'Discord gateway sessions').toHaveLength(1);
    // Every story of every feed is stored once.
    const { rows } = await rig.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stories');
    expect(rows[0]!.n).toBe(FEEDS * 2);
  }, 90_000);

  it('three replicas, one killed mid-poll and one mid-post: the others finish their work within the lease, once', async () => {
    rig = await startRig('kill');
    // Ten feeds answer slowly, so a replica is caught holding them mid-poll.
    const slowFeeds = Array.from({ length: 10 }, (_, i) => feedId(i * 20));
    for (const id of slowFeeds) rig.slow.set(id, 2_500);
    const replicas = await rig.start(3);

    // Mid-poll: a replica holding a slow feed whose request the server has received.
    const held = await waitFor(
      'a replica holding a slow feed mid-fetch',
      async () => {
        const { rows } = await rig!.pool.query<{ feed_id: string; holder: string }>(
          `SELECT feed_id, holder FROM feed_leases WHERE holder IS NOT NULL AND feed_id = ANY($1)`,
          [slowFeeds],
        );
        return rows.find((r) => (rig!.fetches.get(r.feed_id)?.length ?? 0) > 0);
      },
      20_000,
      replicas[0],
    );
    const victim = replicas.find((r) => r.pid === pidOf(held.holder))!;
    expect(victim, `the holder ${held.holder} is one of the replicas`).toBeDefined();
    const { rows: itsLeases } = await rig.pool.query<{ feed_id: string }>(
      'SELECT feed_id FROM feed_leases WHERE holder = $1',
      [held.holder],
    );
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    await victim.exited;
    const orphaned = new Set(itsLeases.map((r) => r.feed_id));
    // Taken over once the lease ran out (and at the latest by the next tick, every 15 s): each fetched again and stored.
    await waitFor(
      "the killed replica's feeds fetched again by the others",
      () => [...orphaned].every((id) => (rig!.fetches.get(id) ?? []).some((t) => t > killedAt + 1_000)),
      LEASE_MS + 20_000,
    );
    await waitFor(
      "the killed replica's feeds stored",
      async () => {
        const { rows } = await rig!.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM story_feeds WHERE feed_id = ANY($1)',
          [[...orphaned]],
        );
        return rows[0]!.n === orphaned.size * 2;
      },
      10_000,
    );

    // Mid-post: the next Slack post answers after 2 s (within the lease); its poster is killed meanwhile.
    const survivors = replicas.filter((r) => r !== victim);
    const queuedAt = Date.now();
    rig.slack.queue('chat.postMessage', { delayMs: 2_000 });
    const call = await waitFor(
      'a Slack digest post under way',
      () => rig!.slack.callsTo('chat.postMessage').find((c) => c.at >= queuedAt && slackKey(c.body)?.startsWith('dg-')),
      20_000,
    );
    const key = slackKey(call.body)!;
    const { rows: claim } = await rig.pool.query<{ post_holder: string | null }>(
      'SELECT post_holder FROM digest_deliveries WHERE id = $1',
      [key],
    );
    const poster = survivors.find((r) => r.pid === pidOf(claim[0]!.post_holder ?? ''))!;
    expect(poster, `the poster ${claim[0]!.post_holder} is a live replica`).toBeDefined();
    // Feeds it holds now may be caught mid-fetch too: fetched again after its leases expire.
    const { rows: posterLeases } = await rig.pool.query<{ feed_id: string }>(
      'SELECT feed_id FROM feed_leases WHERE holder = $1',
      [claim[0]!.post_holder],
    );
    poster.child.kill('SIGKILL');
    await poster.exited;
    for (const r of posterLeases) orphaned.add(r.feed_id);
    const last = survivors.find((r) => r !== poster)!;
    // The last replica claims it once the lease runs out, finds the post that landed, and records it sent.
    await waitFor(
      `delivery ${key} recorded sent by the last replica`,
      async () => (await digestDeliveries(rig!)).find((r) => r.id === key)?.status === 'sent',
      LEASE_MS + 15_000,
      last,
    );
    expect(last.stderr()).toContain('found the post of an earlier attempt; not posting again');
    // And the slots after it go on, posted once.
    const slotsNow = (await sentSlots(rig)).size;
    await waitFor(
      'one more slot sent on both channels',
      async () => (await sentSlots(rig!)).size > slotsNow,
      25_000,
      last,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    await expectEachDigestPostedOnce(rig);
    expectOncePerInterval(rig, orphaned);
  }, 120_000);
});
