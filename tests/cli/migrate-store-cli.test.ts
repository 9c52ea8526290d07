import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventOutlet } from '../../src/bot/event-leads.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../helpers/pg-test-db.js';
import { runCli } from '../helpers/run-cli.js';
import { story } from '../store/story-factory.js';

const seenAt = '2025-10-28T10:00:00.000Z';

/** A SQLite store with a row in every table migrate-store copies. */
function fillSqlite(file: string, prefix = ''): void {
  const store = openSyncStore(file);
  try {
    const url = `https://example.com/${prefix}shared`;
    store.stories.upsert(
      [
        story({ id: `${prefix}a`, title: 'Japan and US sign rare earths framework', url }),
        story({ id: `${prefix}b`, title: '日米、レアアース供給で枠組み合意', lang: 'ja' }),
        story({ id: `${prefix}old`, published: '2025-09-01T00:00:00Z' }),
      ],
      { seenAt, backlogBefore: '2025-10-01T00:00:00Z' },
    );
    store.stories.upsert([story({ id: `${prefix}gnews`, feedId: 'gnews', url })], {
      seenAt: '2025-10-28T11:00:00.000Z',
    });
    store.matches.save([
      {
        storyId: `${prefix}a`,
        decidedAt: seenAt,
        relevant: true,
        score: 0.8125,
        briefId: 'rare-earths',
        briefScore: 0.9,
        reasons: ['title mentions "rare earth"'],
        clusterKey: null,
      },
    ]);
    const [stored] = store.stories.getMany([`${prefix}a`]);
    store.matches.setEvents([
      { storyId: `${prefix}a`, clusterKey: `${prefix}a`, note: 'started the event', outlet: eventOutlet(stored!) },
    ]);
    store.matches.completeEvents([{ key: `${prefix}a`, leadId: `${prefix}a` }]);
    store.matches.recordFiltered({
      storyId: `${prefix}f`,
      url: null,
      feedId: 'feed-a',
      title: 'Celebrity',
      reason: 'feed filter',
      at: seenAt,
    });
    store.feeds.save({
      feedId: `${prefix}feed-a`,
      url: 'https://example.com/feed.xml',
      etag: '"1"',
      lastModified: null,
      lastPollAt: seenAt,
      lastStatus: 200,
      lastSuccessAt: seenAt,
      lastErrorAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextDueAt: '2025-10-28T10:15:00.000Z',
      status: 'ok',
      movedTo: null,
      notified: null,
      storyCount: 0,
    });
    for (const id of ['d1', 'd2']) {
      store.ledger.reserve(
        {
          id: `${prefix}${id}`,
          channelKey: 'slack:C1',
          kind: 'digest',
          slot: seenAt,
          late: false,
          message: { title: 'Digest', sections: [] },
          status: 'pending',
          createdAt: seenAt,
          timeZone: 'Asia/Tokyo',
        },
        id === 'd1' ? [{ storyId: `${prefix}a`, briefId: 'rare-earths', clusterKey: `${prefix}a`, role: 'shown' }] : [],
      );
    }
    store.ledger.startAttempt(`${prefix}d1`, seenAt);
    store.ledger.markSent(`${prefix}d1`, 'ts-1', '2025-10-28T10:00:02.000Z');
    store.ledger.holdForDigest('slack:C1', [`${prefix}b`], seenAt);
    store.ledger.saveCursor({
      scheduleKey: `${prefix}k`,
      channelKey: 'slack:C1',
      registeredAt: seenAt,
      lastSlot: seenAt,
    });
  } finally {
    store.close();
  }
}

/** "table: N in the source; I copied, U updated, A already there" lines as {table: [N, I, U, A]}. */
function counts(stdout: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of stdout.matchAll(/^(\w+): (\d+) in the source; (\d+) copied, (\d+) updated, (\d+) already there/gm))
    out[m[1]!] = [m[2], m[3], m[4], m[5]].map(Number);
  return out;
}

describe('dealbot migrate-store', () => {
  it('needs --to', async () => {
    const r = await runCli(['migrate-store', '--from', '/nonexistent.db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('say where to copy to with --to');
  });
});

describe.skipIf(!PG_TEST_URL)('dealbot migrate-store into PostgreSQL', () => {
  let dir: string;
  let db: TestDatabase;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dealbot-migrate-'));
    db = await createTestDatabase('migrate_store');
    file = path.join(dir, 'dealbot.db');
    fillSqlite(file);
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table, so the PostgreSQL store answers as the SQLite one', async () => {
    const r = await runCli(['migrate-store', '--from', file, '--to', db.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(counts(r.stdout)).toEqual({
      stories: [3, 3, 0, 0],
      story_feeds: [4, 4, 0, 0],
      story_matches: [1, 1, 0, 0],
      // Made by the target's triggers from the decision; the lead chosen by the match step comes with the copy.
      events: [1, 0, 1, 0],
      event_briefs: [1, 0, 0, 1],
      event_outlets: [1, 1, 0, 0],
      filtered_stories: [1, 1, 0, 0],
      feed_state: [1, 1, 0, 0],
      digest_deliveries: [2, 2, 0, 0],
      digest_delivery_stories: [1, 1, 0, 0],
      digest_alert_holds: [1, 1, 0, 0],
      digest_schedules: [1, 1, 0, 0],
    });
    expect(r.stdout).toContain('17 row(s) new or updated');

    const sqlite: Store = openSyncStore(file, { readonly: true });
    const pg = await openPostgresStore(db.url);
    try {
      for (const id of ['a', 'b', 'old', 'https://example.com/shared'])
        expect(await pg.stories.get(id)).toEqual(sqlite.stories.get(id));
      expect(await pg.stories.recent({ limit: 10, includeBacklog: true })).toEqual(
        sqlite.stories.recent({ limit: 10, includeBacklog: true }),
      );
      expect((await pg.stories.search('レアアース', 5)).map((s) => s.id)).toEqual(['b']);
      expect(await pg.matches.get('a')).toEqual(sqlite.matches.get('a'));
      expect(await pg.matches.undecided(10)).toEqual(sqlite.matches.undecided(10));
      expect((await pg.matches.events(['a'])).get('a')).toMatchObject({ leadId: 'a', outletCount: 1 });
      expect(await pg.matches.events(['a'])).toEqual(sqlite.matches.events(['a']));
      const latest = { briefIds: ['rare-earths'], limit: 10 };
      expect(await pg.matches.latestEvents(latest)).toEqual(sqlite.matches.latestEvents(latest));
      expect(await pg.matches.eventBriefCounts('a')).toEqual(sqlite.matches.eventBriefCounts('a'));
      expect(await pg.matches.eventStoryIds(['a'])).toEqual(sqlite.matches.eventStoryIds(['a']));
      expect(await pg.matches.eventsWithoutLead(10)).toEqual([]);
      // The listed outlets as SQLite's json_insert wrote them, byte for byte.
      expect((await pg.pool.query('SELECT outlets FROM events')).rows).toEqual([{ outlets: '["example.com"]' }]);
      expect(await pg.matches.getFiltered('f')).toEqual(sqlite.matches.getFiltered('f'));
      expect(await pg.matches.deliveriesOf!('a')).toEqual(sqlite.matches.deliveriesOf!('a'));
      expect(await pg.feeds.list()).toEqual(sqlite.feeds.list());
      expect(await pg.ledger.get('d1')).toEqual(sqlite.ledger.get('d1'));
      expect(await pg.ledger.pending()).toEqual(sqlite.ledger.pending());
      expect(await pg.ledger.heldForDigest('slack:C1', ['b'])).toEqual(new Set(['b']));
      expect(await pg.ledger.getCursor('k')).toEqual(sqlite.ledger.getCursor('k'));
    } finally {
      sqlite.close();
      await pg.close();
    }
  });

  it('run again, copies nothing twice; after the bot moved on, copies only what changed', async () => {
    const again = await runCli(['migrate-store', '--from', file, '--to', db.url]);
    expect(again.code).toBe(0);
    expect(Object.values(counts(again.stdout)).every(([n, i, u, a]) => i === 0 && u === 0 && a === n)).toBe(true);
    expect(again.stdout).toContain('0 row(s) new or updated');

    const store = openSyncStore(file);
    store.stories.upsert([story({ id: 'c' })], { seenAt: '2025-10-29T00:00:00.000Z' });
    store.ledger.startAttempt('d2', '2025-10-29T00:00:00.000Z');
    store.ledger.markSent('d2', 'ts-2', '2025-10-29T00:00:01.000Z');
    store.close();
    const third = await runCli(['migrate-store', '--from', file, '--to', db.url]);
    expect(counts(third.stdout)).toMatchObject({
      stories: [4, 1, 0, 3],
      story_feeds: [5, 1, 0, 4],
      digest_deliveries: [2, 0, 1, 1],
    });
    const pg = await openPostgresStore(db.url);
    try {
      expect(await pg.ledger.get('d2')).toMatchObject({ status: 'sent', messageId: 'ts-2', attempts: 1 });
      expect(await pg.matches.undecided(10)).toEqual(['b', 'old', 'c']);
    } finally {
      await pg.close();
    }
  });

  it("refuses another store's data unless --force, and then merges", async () => {
    const other = path.join(dir, 'other.db');
    fillSqlite(other, 'x-');
    const refused = await runCli(['migrate-store', '--from', other, '--to', db.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "already holds another store's data (its oldest story: a @ 2025-10-28T10:00:00.000Z), so copying",
    );
    expect(refused.stderr).toContain('nothing was copied. Point --to at an empty database, or add --force');
    const forced = await runCli(['migrate-store', '--from', other, '--to', db.url, '--force']);
    expect(forced.code).toBe(0);
    expect(counts(forced.stdout).stories).toEqual([3, 3, 0, 0]);
  });

  it('names the server and the cause when PostgreSQL cannot be reached', async () => {
    const r = await runCli(['migrate-store', '--from', file, '--to', 'postgres://u:pw@127.0.0.1:1/dealbot']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot connect to PostgreSQL at 127.0.0.1:1/dealbot: connection refused');
    expect(r.stderr).not.toContain('pw');
  });
});
