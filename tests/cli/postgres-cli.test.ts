import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../helpers/pg-test-db.js';
import { rss, startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { shippedBriefs } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';
import { openStore } from '../../src/store/open-store.js';

/**
 * The real CLI on PostgreSQL: `dealbot poll --once` against a local feed server with
 * DEALBOT_DB=postgres://… (a throwaway database), then `dealbot ask "/deal latest"` and
 * `dealbot feeds`, which read it; each answers as the same run on a SQLite file does.
 */

// Recent, so a feed's first poll stores them as news, not backlog.
const hour = (h: number) => new Date(Date.now() - h * 3_600_000);
const WIRE = [
  {
    guid: 'w1',
    title: 'Japan and US sign rare earths deal in Tokyo',
    link: 'https://reuters.example/w1',
    pubDate: hour(3),
  },
  {
    guid: 'w2',
    title: 'Takaichi and Trump sign rare earth minerals pact in Tokyo',
    link: 'https://nikkei.example/w2',
    pubDate: hour(2),
  },
  {
    guid: 'w3',
    title: 'Dodgers win the World Series in extra innings',
    link: 'https://espn.example/w3',
    pubDate: hour(1),
  },
];

describe.skipIf(!PG_TEST_URL)('dealbot on PostgreSQL (the real CLI)', () => {
  let feeds: LocalFeedServer;
  let db: TestDatabase;
  let configFile: string;
  let sqliteFile: string;

  beforeAll(async () => {
    feeds = await startFeedServer({ routes: { '/wire.xml': { body: rss(WIRE) } } });
    db = await createTestDatabase('cli');
    const dir = tempProject({
      'config/dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: {
          defaults: { allow_private_network: true },
          list: [{ id: 'wire', url: feeds.url('/wire.xml') }],
        },
      }),
    });
    configFile = path.join(dir, 'config', 'dealbot.yaml');
    sqliteFile = path.join(dir, 'data', 'dealbot.db');
  });
  afterAll(async () => {
    await feeds?.close();
    await db?.drop();
  });

  const run = (args: string[], database: string) =>
    runCli([...args, '--config', configFile], { env: { DEALBOT_DB: database }, timeoutMs: 60_000 });

  it('polls, stores and matches into PostgreSQL, and reads it back as SQLite does', async () => {
    const answers: Record<string, { latest: string; feeds: string }> = {};
    for (const [engine, database] of [
      ['sqlite', sqliteFile],
      ['postgres', db.url],
    ] as const) {
      const polled = await run(['poll', '--once'], database);
      expect(polled.stderr).toBe('');
      expect(polled.code).toBe(0);
      expect(polled.stdout).toMatch(/wire\s+200\s+3 new/);
      const latest = await run(['ask', '/deal latest'], database);
      expect(latest.code).toBe(0);
      const listed = await run(['feeds'], database);
      expect(listed.code).toBe(0);
      answers[engine] = { latest: latest.stdout, feeds: listed.stdout };
    }
    // The relevant stories, as one event, on both engines alike; the off-topic one is not listed.
    expect(answers.postgres!.latest).toContain('Takaichi and Trump sign rare earth minerals pact in Tokyo');
    expect(answers.postgres!.latest).toContain('also covered by reuters.example');
    expect(answers.postgres!.latest).not.toContain('Dodgers');
    expect(answers.postgres!.latest).toBe(answers.sqlite!.latest);
    // The feed's state and story count were saved in PostgreSQL (times aside, which differ between the runs).
    const stable = (text: string) => text.replace(/\d+\s?(s|m|min|h) ago|in \d+\s?(s|m|min|h)/g, '…');
    expect(stable(answers.postgres!.feeds)).toBe(stable(answers.sqlite!.feeds));
    expect(answers.postgres!.feeds).toMatch(/wire\s+ok\s.*\s3\s/);
  }, 120_000);

  // Due or not: the test takes the lease as a replica polling the feed right now would hold it.
  const ANY_TIME = '9999-12-31T00:00:00.000Z';

  it('poll --once beside a running replica leaves it the feed it is polling, and polls the feed once it is free', async () => {
    const replica = await openStore(db.url, { holder: 'replica-b' });
    try {
      const taken = await replica.feedLeases!.take({
        feedIds: ['wire'],
        limit: 1,
        ttlMs: 60_000,
        dueBy: ANY_TIME,
      });
      expect(taken.map((l) => l.feedId)).toEqual(['wire']);
      const before = feeds.hits.get('/wire.xml') ?? 0;
      const busy = await run(['poll', '--once'], db.url);
      expect(busy.code).toBe(0);
      expect(busy.stdout).toMatch(/wire\s+busy\s+a running replica is polling it now/);
      expect(busy.stdout).toContain('1 feed left to the replica polling it now.');
      expect(feeds.hits.get('/wire.xml') ?? 0).toBe(before);

      await replica.feedLeases!.release(['wire']);
      const free = await run(['poll', '--once'], db.url);
      expect(free.code).toBe(0);
      expect(free.stdout).toMatch(/wire\s+(200|304)\s/);
      expect(feeds.hits.get('/wire.xml')).toBe(before + 1);
      // Its lease was given back after the poll: the replica can take the feed again.
      const again = await replica.feedLeases!.take({ feedIds: ['wire'], limit: 1, ttlMs: 60_000, dueBy: ANY_TIME });
      expect(again.map((l) => l.feedId)).toEqual(['wire']);
    } finally {
      await replica.close();
    }
  }, 120_000);
});
