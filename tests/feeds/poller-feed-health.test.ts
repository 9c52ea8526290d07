import { asyncFromSync } from '../../src/store/async-store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feedsCommand } from '../../src/cli/commands/feeds.js';
import { pollCommand } from '../../src/cli/commands/poll.js';
import { SUBCOMMANDS } from '../../src/commands/subcommands/index.js';
import { buildFeedHealth, formatFeedHealthTable, relativeTime } from '../../src/feeds/feed-health.js';
import { freshFeedState } from '../../src/feeds/poll-feed.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { FeedState } from '../../src/store/store.js';
import { rss, startFeedServer } from '../helpers/local-feed-server.js';
import { shippedBriefs } from '../helpers/paths.js';
import { createTestBot, tempProject } from '../helpers/test-bot.js';
import { feedsConfig } from './poller-fixtures.js';
import { captureIO } from '../helpers/capture-io.js';

const now = new Date('2025-10-28T12:00:00.000Z');
const later = (min: number) => new Date(now.getTime() + min * 60_000).toISOString();

function state(feedId: string, url: string, extra: Partial<FeedState>): FeedState {
  return { ...freshFeedState({ id: feedId, url }, null), status: 'ok', ...extra };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('feed health model', () => {
  const feeds = feedsConfig([
    { id: 'ok-feed', url: 'https://a.example/rss', note: 'Metals desk' },
    { id: 'failing-feed', url: 'https://b.example/rss' },
    { id: 'dead-feed', url: 'https://c.example/rss' },
    { id: 'fixed-feed', url: 'https://d.example/new' },
    { id: 'never', url: 'https://e.example/rss' },
    { id: 'off', url: 'https://f.example/rss', enabled: false },
  ]).list;
  const states = [
    state('ok-feed', 'https://a.example/rss', {
      lastSuccessAt: later(-3),
      nextDueAt: later(12),
      storyCount: 41,
      movedTo: 'https://a.example/feed.xml',
    }),
    state('failing-feed', 'https://b.example/rss', {
      status: 'failing',
      consecutiveFailures: 4,
      lastError: 'The server answered 503.',
      lastErrorAt: later(-1),
      nextDueAt: later(120),
    }),
    state('dead-feed', 'https://c.example/rss', {
      status: 'dead',
      lastError: 'Gone. Not polled again until its URL changes in the config.',
      storyCount: 7,
    }),
    state('fixed-feed', 'https://d.example/old', { status: 'dead', lastError: 'Gone.' }),
  ];

  it('gives each configured feed a state in plain words', () => {
    const rows = buildFeedHealth(feeds, states);
    expect(rows.map((r) => [r.feedId, r.stateText])).toEqual([
      ['ok-feed', 'ok'],
      ['failing-feed', 'failing (4 in a row)'],
      ['dead-feed', 'dead'],
      ['fixed-feed', 'new (not polled yet)'], // its URL changed: the old URL's death no longer applies
      ['never', 'new (not polled yet)'],
      ['off', 'disabled'],
    ]);
    expect(rows[0]).toMatchObject({ stories: 41, movedTo: 'https://a.example/feed.xml', note: 'Metals desk' });
    expect(rows[2]).toMatchObject({ nextPoll: null, stories: 7 });
  });

  it('prints a table with problems first, errors and moves spelled out', () => {
    const table = formatFeedHealthTable(buildFeedHealth(feeds, states), now);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^FEED\s+STATE\s+LAST SUCCESS\s+STORIES\s+NEXT POLL$/);
    expect(lines[1]).toMatch(/^dead-feed\s+dead\s+—\s+7\s+never \(fix its URL\)$/);
    expect(table).toContain('error: The server answered 503. (1m ago)');
    expect(table).toMatch(/ok-feed\s+ok\s+3m ago\s+41\s+in 12m/);
    expect(table).toContain('moved to: https://a.example/feed.xml — update its url in the config');
    expect(lines.at(-1)).toBe('6 feeds, 1 ok, 1 failing, 1 dead, 2 new, 1 disabled');
  });

  it('says times relative to now', () => {
    expect(relativeTime(later(-90), now)).toBe('2h ago');
    expect(relativeTime(later(3 * 24 * 60), now)).toBe('in 3d');
    expect(relativeTime(null, now)).toBe('—');
  });
});

describe('/deal feeds', () => {
  it('shows admins the table and refuses others', async () => {
    const dir = tempProject({
      'config/dealbot.yaml': `bot: { briefs_dir: ${JSON.stringify(shippedBriefs)} }\nadmins: { slack: { users: [UADMIN] } }\nfeeds:\n  list:\n    - { id: metals, url: "https://metals.example/rss" }\n`,
    });
    const store = openSyncStore(':memory:');
    cleanups.push(() => store.close());
    store.feeds.save(
      state('metals', 'https://metals.example/rss', {
        status: 'failing',
        consecutiveFailures: 3,
        lastError: 'The server answered 500.',
      }),
    );
    const bot = await createTestBot({
      configFile: path.join(dir, 'config/dealbot.yaml'),
      services: { store: asyncFromSync(store) },
      subcommands: SUBCOMMANDS,
    });
    cleanups.push(() => bot.close());
    const answer = await bot.ask('/deal feeds');
    expect(answer).toContain('metals');
    expect(answer).toContain('failing (3 in a row)');
    expect(answer).toContain('The server answered 500.');
    const refused = await bot.reply('feeds', { platform: 'slack', user: { id: 'USOMEONE' } });
    expect(JSON.stringify(refused.message)).not.toContain('failing (3 in a row)');
    const admin = await bot.reply('feeds', { platform: 'slack', user: { id: 'UADMIN' } });
    expect(admin.message.intro).toBe('1 feed, 0 ok, 1 failing');
  });
});

describe('dealbot poll --once and dealbot feeds', () => {
  it('prints a line per feed and a summary, exits 1 when a feed failed, and feeds shows the result', async () => {
    const server = await startFeedServer({
      routes: {
        '/good': {
          body: rss([
            { guid: '1', title: 'Rare earths deal', link: 'https://n.example/1' },
            { guid: '2', title: 'Casino bonus offer', link: 'https://n.example/2' },
          ]),
          etag: '"e1"',
        },
        '/gone': { status: 410 },
      },
    });
    cleanups.push(() => server.close());
    const dir = tempProject({
      'config/dealbot.yaml': [
        `bot: { briefs_dir: ${JSON.stringify(shippedBriefs)} }`,
        'feeds:',
        '  defaults: { allow_private_network: true }',
        '  list:',
        `    - { id: good, url: "${server.url('/good')}", exclude: [casino] }`,
        `    - { id: gone, url: "${server.url('/gone')}" }`,
        `    - { id: off, url: "${server.url('/off')}", enabled: false }`,
      ].join('\n'),
    });
    const config = path.join(dir, 'config/dealbot.yaml');
    const env = { DEALBOT_DB: path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-cli-')), 'db', 'dealbot.db') };

    const first = captureIO(env);
    expect(await pollCommand.run(['--once', '--config', config], first)).toBe(1);
    expect(first.out()).toMatch(/^ {2}good\s+200\s+1 new, 0 updated, 1 filtered out/m); // the config's exclude, applied as the bot does
    expect(first.out()).toMatch(
      /^ {2}gone\s+error\s+The server answered 410 Gone: the feed has been removed for good.*only once its URL changes/m,
    );
    expect(first.out()).toMatch(
      /Polled 2 feeds in [\d.]+ s: 1 changed, 0 not modified, 1 failed; 1 new story, 0 updated\.$/m,
    );
    expect(first.out()).not.toMatch(/^\s+off\s/m);

    const second = captureIO(env);
    expect(await pollCommand.run(['--once', '--config', config, '--feed', 'good'], second)).toBe(0);
    expect(second.out()).toMatch(/^ {2}good\s+304\s+not modified/m);

    const table = captureIO(env);
    expect(await feedsCommand.run(['--config', config], table)).toBe(0);
    expect(table.out()).toMatch(/^gone\s+dead\s/m);
    expect(table.out()).toMatch(/^good\s+ok\s+(now|\S+ ago)\s+1\s+in /m);
    expect(table.out()).toContain('3 feeds, 1 ok, 1 dead, 1 disabled');
  });

  it('poll without --once explains itself', async () => {
    const io = captureIO({});
    expect(await pollCommand.run([], io)).toBe(2);
    expect(io.err()).toContain('--once');
  });
});
