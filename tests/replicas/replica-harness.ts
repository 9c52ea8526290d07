import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord-server.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack-api.js';
import { rss, startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { repoRoot } from '../helpers/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg-test-db.js';

/**
 * Several `dealbot run` processes (the real entry point, through tsx as run-cli.ts
 * runs it) on one throwaway PostgreSQL database, with 200 feeds served from four
 * loopback addresses (every fetch's time kept per feed), a fake Slack and a fake
 * Discord (every post kept), and a config whose digests fire every 10 seconds
 * (node-cron's seconds field; quiet_day: short-line, so every slot posts) and whose
 * leases last 4 seconds, so a killed replica's work is taken over quickly.
 */

export const FEEDS = 200;
export const POLL_INTERVAL_MS = 10_000;
export const LEASE_MS = 4_000;
export const SLACK_CHANNEL = 'C0REPLICAS';
export const DISCORD_CHANNEL = '1300000000000000001';
const ITEMS_PER_FEED = 2;
const APP = '1100000000000000001';
const DISCORD_TOKEN = `${Buffer.from(APP).toString('base64url')}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB`;

// tsx's loader by its full path: the replicas run in a folder outside the repository.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export const feedId = (i: number) => `f${String(i).padStart(3, '0')}`;

export interface Replica {
  child: ChildProcess;
  pid: number;
  stderr: () => string;
  /** Feeds this replica reports polled (its 'feed polled' log lines). */
  polled: () => string[];
  /** Resolves once the process has exited. */
  exited: Promise<void>;
}

export interface ReplicaRig {
  db: TestDatabase;
  pool: pg.Pool;
  feeds: LocalFeedServer;
  slack: FakeSlack;
  discord: FakeDiscord;
  /** When each feed was fetched (ms), by feed id. */
  fetches: Map<string, number[]>;
  /** Feeds that answer this many ms late (to be caught mid-poll). */
  slow: Map<string, number>;
  replicas: Replica[];
  start(count: number): Promise<Replica[]>;
  close(): Promise<void>;
}

export async function startRig(label: string): Promise<ReplicaRig> {
  const db = await createTestDatabase(label);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  // As the product's pools do (src/store/postgres/pg-pool.ts): an idle connection the server ends
  // (the database dropped WITH (FORCE) at close) makes the pool emit 'error', which unheard would
  // end the test process; CI saw it once.
  pool.on('error', () => undefined);
  const fetches = new Map<string, number[]>();
  const slow = new Map<string, number>();
  const routes: Record<string, (req: unknown) => { body: string; delayMs?: number }> = {};
  for (let i = 0; i < FEEDS; i++) {
    const id = feedId(i);
    const body = rss(
      Array.from({ length: ITEMS_PER_FEED }, (_, k) => ({
        title: `Harbour report ${id} number ${k}`,
        link: `https://news.example/${id}/${k}`,
        guid: `${id}-${k}`,
        pubDate: new Date(Date.now() - k * 60_000).toUTCString(),
      })),
      `Feed ${id}`,
    );
    routes[`/${id}.xml`] = () => {
      fetches.set(id, [...(fetches.get(id) ?? []), Date.now()]);
      return { body, delayMs: slow.get(id) };
    };
  }
  const addresses = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];
  const feeds = await startFeedServer({ addresses, routes });
  const [slack, discord] = await Promise.all([startFakeSlack(), startFakeDiscord({ botUserId: APP })]);

  const dir = mkdtempSync(path.join(tmpdir(), `dealbot-${label}-`));
  const config = path.join(dir, 'dealbot.yaml');
  const feedLines = Array.from(
    { length: FEEDS },
    (_, i) => `    - { id: ${feedId(i)}, url: "${feeds.url(`/${feedId(i)}.xml`, i % addresses.length)}" }`,
  );
  writeFileSync(
    config,
    [
      'bot:',
      `  briefs_dir: ${JSON.stringify(path.join(repoRoot, 'briefs'))}`,
      'storage:',
      `  database: ${JSON.stringify(db.url)}`,
      `  lease: ${LEASE_MS / 1000}s`,
      'feeds:',
      '  defaults:',
      `    poll_interval: ${POLL_INTERVAL_MS / 1000}s`,
      '    allow_private_network: true',
      '    concurrency: 8',
      '  list:',
      ...feedLines,
      'digests:',
      `  - { platform: slack, channel: ${SLACK_CHANNEL}, cron: "*/10 * * * * *", quiet_day: short-line }`,
      `  - { platform: discord, channel: "${DISCORD_CHANNEL}", cron: "*/10 * * * * *", quiet_day: short-line }`,
      '',
    ].join('\n'),
  );

  const replicas: Replica[] = [];
  const launch = (): Replica => {
    let err = '';
    const child = spawn(
      process.execPath,
      ['--import', TSX, path.join(repoRoot, 'src/cli/index.ts'), 'run', '--config', config],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_LEVEL: 'info',
          SLACK_BOT_TOKEN: 'xoxb-replicas',
          SLACK_APP_TOKEN: 'xapp-replicas',
          SLACK_API_URL: slack.apiUrl,
          DISCORD_TOKEN,
          DISCORD_API_URL: discord.api,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      child,
      pid: child.pid!,
      stderr: () => err,
      polled: () =>
        err
          .split('\n')
          .filter((line) => line.includes('"feed polled"'))
          .map((line) => (JSON.parse(line) as { feed: string }).feed),
      exited,
    };
  };

  return {
    db,
    pool,
    feeds,
    slack,
    discord,
    fetches,
    slow,
    replicas,
    async start(count) {
      const started = Array.from({ length: count }, launch);
      replicas.push(...started);
      await Promise.all(
        started.map((r) =>
          waitFor(`replica ${r.pid} to start`, () => r.stderr().includes('"dealbot started"'), 30_000, r),
        ),
      );
      return started;
    },
    async close() {
      for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      await Promise.all(replicas.map((r) => r.exited));
      await pool.end();
      await Promise.all([feeds.close(), slack.close(), discord.close()]);
      await db.drop();
    },
  };
}

/** Polls `check` until it returns a truthy value; fails after `timeoutMs` with what was waited for (and a replica's log). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  replica?: Replica,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (replica && replica.child.exitCode !== null) {
      throw new Error(`replica ${replica.pid} exited while waiting for ${what}:\n${replica.stderr().slice(-3000)}`);
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}${replica ? `:\n${replica.stderr().slice(-3000)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The idempotency key of a Slack chat.postMessage call (its metadata, sent as JSON text or an object). */
export function slackKey(body: Record<string, unknown>): string | undefined {
  const raw = body.metadata;
  const metadata = (typeof raw === 'string' ? JSON.parse(raw) : raw) as
    { event_payload?: { idempotency_key?: string } } | undefined;
  return metadata?.event_payload?.idempotency_key;
}

/** How many times each value occurs. */
export function counts(values: (string | undefined)[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) if (v !== undefined) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

/** The pid in a replica's name (host:pid:random, see src/store/postgres/replica-name.ts). */
export const pidOf = (holder: string) => Number(holder.split(':').at(-2));
