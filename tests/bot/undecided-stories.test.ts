import { asyncFromSync } from '../../src/store/async-store.js';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BriefRegistry } from '../../src/briefs/brief-registry.js';
import { MatchService } from '../../src/bot/match-service.js';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/log/logger.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { migrate, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import type { Story } from '../../src/store/story.js';
import { startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { repoRoot, shippedBriefs } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';
import { makeBrief } from '../matching/make-brief.js';

/**
 * Issue #12 item 1: no story is ever left undecided. Every stored story enters
 * the durable undecided queue in the transaction that stores it and leaves it
 * with its decision; the queue is drained at start, after each poll, and at the
 * end of `poll --once` and `ingest`, however long it is. Counts come from the
 * database itself, not from the code under test.
 */

const BRIEF = 'us-japan-rare-earths-2025';

/** Stories and decisions as the database holds them. */
function counts(dbFile: string): { stories: number; decided: number; undecided: number; queued: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
    return {
      stories: one('SELECT COUNT(*) FROM stories'),
      decided: one('SELECT COUNT(*) FROM story_matches'),
      undecided: one(
        'SELECT COUNT(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_matches m WHERE m.story_id = s.id)',
      ),
      queued: one('SELECT COUNT(*) FROM undecided_stories'),
    };
  } finally {
    db.close();
  }
}

function manyStories(n: number, prefix: string): Story[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    feedId: 'wire',
    title:
      i % 40 === 0
        ? `Japan and US agree rare earth supply pact, round ${i}`
        : `Local council ${prefix} approves budget item ${i} for parks`,
    summary: '',
    url: `https://news.example.com/${prefix}/${i}`,
    published: new Date(Date.UTC(2025, 9, 1) + i * 60_000).toISOString(),
    author: null,
    lang: 'en',
  }));
}

/** An RSS feed of `n` items numbered from `from`, one in 40 about the brief. */
function bigFeed(from: number, n: number): string {
  const items: string[] = [];
  for (let i = from; i < from + n; i++) {
    const title =
      i % 40 === 0
        ? `Trump and Takaichi sign rare earths deal in Tokyo, update ${i}`
        : `City council approves budget item ${i} for parks and libraries`;
    const date = new Date(Date.now() - (from + n - i) * 1000).toUTCString();
    items.push(
      `<item><title>${title}</title><link>https://news.example.com/a/${i}</link><guid>https://news.example.com/a/${i}</guid><pubDate>${date}</pubDate><description>Item ${i} of a big feed.</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Big feed</title><link>https://news.example.com/</link>${items.join('')}</channel></rss>`;
}

function projectConfig(feedUrl?: string): string {
  return stringify({
    bot: { default_brief: BRIEF, briefs_dir: shippedBriefs },
    storage: { database: '../data/dealbot.db' },
    admins: { terminal: { users: ['local'] } },
    feeds: {
      defaults: { allow_private_network: true },
      list: feedUrl ? [{ id: 'big', url: feedUrl }] : [],
    },
  });
}

const dirs: string[] = [];
let bot: RunningBot | undefined;
let server: LocalFeedServer | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await server?.close();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(feedUrl?: string): { dir: string; configFile: string; dbFile: string } {
  const dir = tempProject({ 'config/dealbot.yaml': projectConfig(feedUrl) });
  dirs.push(dir);
  return { dir, configFile: path.join(dir, 'config/dealbot.yaml'), dbFile: path.join(dir, 'data/dealbot.db') };
}

describe('the undecided queue in the store', () => {
  it('migration 5 queues the stories stored without a decision, oldest first; triggers keep it in step', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    const insert = db.prepare(
      `INSERT INTO stories (id, feed_id, title, lang, first_seen, sort_time) VALUES (?, 'wire', ?, 'en', '2025-10-01', '2025-10-01')`,
    );
    for (const id of ['s1', 's2', 's3', 's4']) insert.run(id, `Title ${id}`);
    db.prepare(
      `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_score, reasons) VALUES ('s2', '2025-10-01', 0, 0, 0, '[]')`,
    ).run();
    migrate(db);
    const queue = () => db.prepare('SELECT story_id FROM undecided_stories ORDER BY seq').pluck().all();
    expect(queue()).toEqual(['s1', 's3', 's4']);
    insert.run('s5', 'Title s5');
    expect(queue()).toEqual(['s1', 's3', 's4', 's5']);
    db.prepare(
      `INSERT INTO story_matches (story_id, decided_at, relevant, score, brief_score, reasons) VALUES ('s3', '2025-10-01', 0, 0, 0, '[]')`,
    ).run();
    db.prepare(`DELETE FROM stories WHERE id = 's4'`).run();
    expect(queue()).toEqual(['s1', 's5']);
    db.close();
  });

  it('drainUndecided decides 12,000 stored stories in batches of at most 500, then reports none left', async () => {
    const store = openSyncStore(':memory:');
    try {
      for (let i = 0; i < 12; i++) store.stories.upsert(manyStories(1000, `p${i}`), { seenAt: '2025-10-02T00:00:00Z' });
      expect(store.matches.undecided(20_000)).toHaveLength(12_000);
      const limits: number[] = [];
      const read = store.matches.undecided.bind(store.matches);
      store.matches.undecided = (limit) => (limits.push(limit), read(limit));
      const briefs = new BriefRegistry(
        [makeBrief('minerals', { groups: { japan: ['Japan'], us: ['US'] }, strong: ['rare earth'] })],
        'minerals',
      );
      const config = configSchema.parse({});
      const service = new MatchService({
        store: asyncFromSync(store),
        getBriefs: () => briefs,
        getConfig: () => config,
      });
      expect(await service.drainUndecided({ batch: 500 })).toBe(12_000);
      // At most 500 a batch; fewer when 500 would hold the event loop too long (sized by time).
      expect(Math.max(...limits)).toBeLessThanOrEqual(500);
      expect(limits.length).toBeGreaterThanOrEqual(12_000 / 500 + 1);
      expect(store.matches.undecided(10)).toEqual([]);
      expect(store.matches.getMany(['p0-0', 'p11-999']).size).toBe(2);
      expect(store.matches.get('p0-0')!.relevant).toBe(true);
      expect(await service.drainUndecided()).toBe(0);
    } finally {
      store.close();
    }
  });

  it('the bot decides every stored story when it starts: 12,000 undecided ones, not only the newest 5,000', async () => {
    const { configFile, dbFile } = project();
    const store = openSyncStore(dbFile);
    for (let i = 0; i < 12; i++) store.stories.upsert(manyStories(1000, `b${i}`), { seenAt: '2025-10-02T00:00:00Z' });
    store.close();
    expect(counts(dbFile)).toMatchObject({ stories: 12_000, decided: 0, queued: 12_000 });

    bot = await startBot({
      configFile,
      env: {},
      logger: createLogger({ level: 'silent' }),
      input: new PassThrough(),
      output: new PassThrough(),
      interactive: false,
    });
    for (let i = 0; i < 600 && counts(dbFile).queued > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(counts(dbFile)).toEqual({ stories: 12_000, decided: 12_000, undecided: 0, queued: 0 });
  }, 60_000);
});

describe('dealbot ingest and poll --once decide what they store', () => {
  it('ingest with a config decides every story it stores; without one it leaves them queued for the bot', async () => {
    const { dir, configFile, dbFile } = project();
    const feedFile = path.join(dir, 'big.xml');
    writeFileSync(feedFile, bigFeed(0, 800));
    const r = await runCli(['ingest', '--config', configFile, feedFile], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('800 new, 0 updated; 800 decided against the briefs');
    expect(counts(dbFile)).toEqual({ stories: 800, decided: 800, undecided: 0, queued: 0 });

    // No config file in the working folder: stored, queued, and decided by the next run that has briefs.
    const empty = tempProject({});
    dirs.push(empty);
    const bare = path.join(empty, 'bare.db');
    const plain = await runCli(['ingest', feedFile], { cwd: empty, env: { DEALBOT_DB: bare }, timeoutMs: 60_000 });
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      'not decided (no config/dealbot.yaml, so no briefs): the bot decides them when it starts',
    );
    expect(counts(bare)).toEqual({ stories: 800, decided: 0, undecided: 800, queued: 800 });
    const later = await runCli(['ingest', '--config', configFile, feedFile], {
      env: { DEALBOT_DB: bare },
      timeoutMs: 60_000,
    });
    expect(later.stdout).toContain('0 new, 0 updated; 800 decided against the briefs');
    expect(counts(bare)).toEqual({ stories: 800, decided: 800, undecided: 0, queued: 0 });
  }, 90_000);

  it('kill -9 at many moments of a big poll --once: after the next run, every stored story has a decision', async () => {
    const ITEMS = 5_000;
    const requested = new Map<string, () => void>();
    // Each moment is a separate project polled at once (two cores do them faster side by side);
    // a moment is counted from the feed being served (fetching, parsing), from the first stories being
    // stored (they are stored in slices), or from the feed's state (its ETag) being saved after the last slice.
    const moments: { from: 'served' | 'stored' | 'saved'; ms: number }[] = [
      { from: 'served', ms: 0 },
      { from: 'served', ms: 800 },
      { from: 'stored', ms: 0 },
      { from: 'stored', ms: 60 },
      { from: 'saved', ms: 0 },
    ];
    const routes = Object.fromEntries(
      moments.map((_, i) => [
        `/big-${i}.xml`,
        () => {
          requested.get(`/big-${i}.xml`)?.();
          // With an ETag: a run after a kill once the feed state was saved gets 304 and nothing new to decide,
          // the case where nothing but the undecided queue remembers the stories.
          return {
            etag: `"big-${i}"`,
            body: bigFeed(i * 10_000, ITEMS),
          };
        },
      ]),
    );
    server = await startFeedServer({ routes });
    const projects = moments.map((_, i) => project(server!.url(`/big-${i}.xml`)));
    const cli = path.join(repoRoot, 'src/cli/index.ts');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };

    const killed = await Promise.all(
      moments.map(async (moment, i) => {
        const { configFile, dbFile } = projects[i]!;
        const child = spawn(process.execPath, ['--import', 'tsx', cli, 'poll', '--once', '--config', configFile], {
          cwd: repoRoot,
          env,
          stdio: 'ignore',
        });
        let done = false;
        const exited = new Promise<void>((resolve) =>
          child.on('exit', () => {
            done = true;
            resolve();
          }),
        );
        const served = new Promise<void>((resolve) => requested.set(`/big-${i}.xml`, resolve));
        await Promise.race([served, exited]);
        if (moment.from === 'stored') {
          while (!done && storedSoFar(dbFile) === 0) await new Promise((r) => setTimeout(r, 5));
        }
        if (moment.from === 'saved') {
          while (!done && !etagSaved(dbFile)) await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, moment.ms));
        const finishedFirst = done;
        child.kill('SIGKILL');
        await exited;
        return { finishedFirst, ...counts(dbFile) };
      }),
    );
    // The kills landed mid-poll, and some between storing and deciding (else this test proves nothing).
    expect(killed.filter((k) => k.finishedFirst)).toEqual([]);
    expect(killed.filter((k) => k.undecided > 0).length).toBeGreaterThan(0);

    const again = await Promise.all(
      projects.map((p) => runCli(['poll', '--once', '--config', p.configFile], { env, timeoutMs: 60_000 })),
    );
    expect(again.map((r) => r.code)).toEqual(moments.map(() => 0));
    // At least one of them was told "not modified": only the queue could have brought its stories to a decision.
    expect(again.some((r) => / 304 +not modified/.test(r.stdout))).toBe(true);
    for (const p of projects) {
      expect(counts(p.dbFile)).toEqual({ stories: ITEMS, decided: ITEMS, undecided: 0, queued: 0 });
    }
  }, 90_000);
});

/** Stories committed so far by a process that is still writing (0 before the database or its tables exist). */
function storedSoFar(dbFile: string): number {
  if (!existsSync(dbFile)) return 0;
  try {
    return counts(dbFile).stories;
  } catch {
    return 0;
  }
}

/** Whether the poll has saved the feed's state with the server's ETag (after its last slice of stories). */
function etagSaved(dbFile: string): boolean {
  if (!existsSync(dbFile)) return false;
  try {
    const db = new Database(dbFile, { readonly: true });
    try {
      return db.prepare('SELECT COUNT(*) FROM feed_state WHERE etag IS NOT NULL').pluck().get() !== 0;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
