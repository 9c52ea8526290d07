import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/open-store.js';
import { seedSeenFeeds, startFeedServers, type FeedServers } from './feed-servers.js';
import type { FromReplica, ToReplica } from './pg-poll-replica.js';
import { orSkipped, scratchDatabase } from './pg-server.js';

/**
 * The 1,000-feed poll of poll-bench.ts (the same loopback servers and feeds,
 * feed-servers.ts: 50 hosts, half the feeds answering 304, matching on) on
 * PostgreSQL, with one replica and then with two on a fresh database each time,
 * the replicas sharing the feeds through the store's feed leases as the bot does.
 * Each replica is its own process (pg-poll-replica.ts) with its own store and
 * pool, as deployed replicas are: in one process two pollers would share one
 * event loop and one parser pool, and the second replica could not add any CPU.
 * Printed: wall time from the replicas' start signal to the end of the last poll
 * (fetch, parse, store, match), the ratio one/two, the feeds each replica fetched
 * (the servers count requests by User-Agent), total fetches (each feed must be
 * fetched exactly once), each replica's peak RSS and CPU.
 * Targets: one replica as poll-bench's (< 30 s for 1,000 feeds, < 200 MB peak
 * RSS per replica); two replicas faster than one (on a 2-core machine that also
 * runs the servers and PostgreSQL the ratio is bounded well below 2).
 */

const HOSTS = 50;
const FEEDS_PER_HOST = 20;
const ITEMS_PER_FEED = 20;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const LEASE_MS = 60_000;
// A poll that has not fetched every feed by then is reported as such, not waited for forever.
const GIVE_UP_MS = 180_000;
// Beside this file, with its extension (.js built, .ts under tsx).
const REPLICA = fileURLToPath(new URL(`./pg-poll-replica${path.extname(import.meta.url)}`, import.meta.url));

interface Run {
  wallMs: number;
  perReplica: { fetched: number; peakRss: number; cpuMs: number; newStories: number }[];
  totalFetches: number;
  feedsFetched: number;
  states: { ok: number; notModified: number; other: number };
}

export async function benchPgPoll(): Promise<string> {
  return orSkipped('pg-poll', async () => {
    const servers = await startFeedServers(
      { hosts: HOSTS, feedsPerHost: FEEDS_PER_HOST, itemsPerFeed: ITEMS_PER_FEED, latencyMs: LATENCY_MS },
      CONCURRENCY,
    );
    try {
      const one = await pollWith(1, servers);
      const two = await pollWith(2, servers);
      const total = HOSTS * FEEDS_PER_HOST;
      const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
      const describe = (name: string, run: Run) => {
        const once = run.totalFetches === total && run.feedsFetched === total;
        return (
          `  ${name}: ${(run.wallMs / 1000).toFixed(1)} s wall; fetched per replica ${run.perReplica.map((r) => r.fetched).join(' + ')} = ` +
          `${run.totalFetches} fetches of ${run.feedsFetched}/${total} feeds (${once ? 'each once' : 'NOT EACH ONCE'}); ` +
          `feed states ${run.states.ok} × 200, ${run.states.notModified} × 304, ${run.states.other} other; ` +
          `new stories ${run.perReplica.map((r) => r.newStories).join(' + ')}; ` +
          `peak RSS ${run.perReplica.map((r) => mb(r.peakRss)).join(', ')}; CPU ${run.perReplica.map((r) => `${(r.cpuMs / 1000).toFixed(1)} s`).join(', ')}`
        );
      };
      const ratio = one.wallMs / two.wallMs;
      const within =
        one.wallMs < 30_000 && [...one.perReplica, ...two.perReplica].every((r) => r.peakRss < 200 * 1024 * 1024);
      return [
        `pg-poll: ${total} feeds on ${HOSTS} hosts, concurrency ${CONCURRENCY} per replica, ${LATENCY_MS} ms server latency, ` +
          `matching on, PostgreSQL, each replica its own process (servers in the parent, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)})`,
        describe('one replica', one),
        describe('two replicas', two),
        `  ratio one/two: ${ratio.toFixed(2)}× (${ratio > 1 ? 'two faster' : 'two NOT faster'}) — ${within ? 'within targets' : 'OVER TARGET'}`,
      ].join('\n');
    } finally {
      await servers.close();
    }
  });
}

/** One poll of every feed by `count` replicas on a fresh database. */
async function pollWith(count: number, servers: FeedServers): Promise<Run> {
  const db = await scratchDatabase();
  const children: ChildProcess[] = [];
  try {
    {
      const store = await openStore(db.url);
      await seedSeenFeeds(store, servers.feeds);
      await store.close();
    }
    servers.requestsBy.clear();
    servers.requestsPer.clear();
    const agents = Array.from({ length: count }, (_, i) => `dealbot-bench-replica-${i + 1}`);
    const done: Promise<Extract<FromReplica, { type: 'done' }>>[] = [];
    const ready: Promise<unknown>[] = [];
    for (const userAgent of agents) {
      const child = fork(REPLICA, [], { execArgv: process.execArgv, stdio: 'inherit' });
      children.push(child);
      ready.push(next(child, 'ready'));
      const finished = next(child, 'done');
      finished.catch(() => undefined); // awaited below; a crash before then is reported by `ready`
      done.push(finished);
      child.send({
        type: 'start',
        url: db.url,
        feeds: servers.feeds,
        userAgent,
        leaseMs: LEASE_MS,
      } satisfies ToReplica);
    }
    await Promise.all(ready);
    const start = Date.now();
    for (const child of children) child.send({ type: 'go' } satisfies ToReplica);
    const total = servers.feeds.list.length;
    while (servers.requestsPer.size < total && Date.now() - start < GIVE_UP_MS) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const child of children) child.send({ type: 'finish' } satisfies ToReplica);
    const reports = await Promise.all(done);
    const wallMs = Math.max(...reports.map((r) => r.lastPollEndedAt)) - start;

    const store = await openStore(db.url, { readonly: true });
    const states = await store.feeds.list();
    await store.close();
    return {
      wallMs,
      perReplica: reports.map((r, i) => ({
        fetched: servers.requestsBy.get(agents[i]!) ?? 0,
        peakRss: r.peakRss,
        cpuMs: r.cpuMs,
        newStories: r.newStories,
      })),
      totalFetches: [...servers.requestsPer.values()].reduce((a, b) => a + b, 0),
      feedsFetched: servers.requestsPer.size,
      states: {
        ok: states.filter((s) => s.lastStatus === 200).length,
        notModified: states.filter((s) => s.lastStatus === 304).length,
        other: states.filter((s) => s.lastStatus !== 200 && s.lastStatus !== 304).length,
      },
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await db.drop();
  }
}

/** The child's next message of `type`; rejects if it exits first. */
function next<T extends FromReplica['type']>(child: ChildProcess, type: T): Promise<Extract<FromReplica, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromReplica) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m as Extract<FromReplica, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`a bench replica exited (code ${code}) before saying ${type}`)));
  });
}
