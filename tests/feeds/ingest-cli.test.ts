import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSyncStore } from '../helpers/sync-store.js';
import { hasShared, sharedPath } from '../helpers/shared-data.js';
import { runCli } from '../helpers/run-cli.js';
import { rssFeed, RSS_TYPE, send, startFaultServer } from './fault-server.js';

const corpus = sharedPath('feedCorpus');
// Picked from INDEX.tsv: one of each format, and a Shift_JIS feed that declares no charset at all.
const FILES = {
  rss1: { file: path.join(corpus, 'rbren-rss-parser/test/input/craigslist.rss'), items: 25 },
  rss2: { file: path.join(corpus, 'danmactough-node-feedparser/test/feeds/iconv.xml'), items: 10 }, // windows-1251
  atom: { file: path.join(corpus, 'feedjira/spec/sample_feeds/google_alerts_atom.xml'), items: 20 },
  sjis: { file: path.join(corpus, 'kurtmckee-feedparser/tests/illformed/chardet/shiftjis.xml'), items: 1 },
};

function brokenFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-ingest-'));
  const file = path.join(dir, 'broken.xml');
  writeFileSync(file, 'Internal Server Error: upstream timed out\n');
  return file;
}

interface StoryLine {
  id: string;
  feed: string;
  title: string;
  summary: string;
  url: string | null;
  published: string | null;
  lang: string;
}

describe.skipIf(!hasShared('feedCorpus'))('dealbot ingest (files from ../shared/corpora/feeds)', () => {
  it('--dry-run --json prints one JSON line per story for RSS 1.0, RSS 2.0, Atom and Shift_JIS, an error line for a broken file, and exits 1', async () => {
    const broken = brokenFile();
    const r = await runCli(
      ['ingest', '--dry-run', '--json', FILES.rss1.file, FILES.rss2.file, FILES.atom.file, FILES.sjis.file, broken],
      { timeoutMs: 60_000 },
    );
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StoryLine);
    const byFeed = (feed: string) => lines.filter((l) => l.feed === feed);
    expect(byFeed('craigslist')).toHaveLength(FILES.rss1.items);
    expect(byFeed('iconv')).toHaveLength(FILES.rss2.items);
    expect(byFeed('google_alerts_atom')).toHaveLength(FILES.atom.items);
    expect(byFeed('shiftjis')).toHaveLength(FILES.sjis.items);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['id', 'feed', 'title', 'summary', 'url', 'published', 'lang']),
      );
      expect(line.published === null || !Number.isNaN(Date.parse(line.published))).toBe(true);
      expect(line.url === null || /^https?:\/\//.test(line.url)).toBe(true);
    }
    expect(byFeed('iconv')[0]!.title).toMatch(/[А-Яа-я]/); // windows-1251 decoded
    expect(byFeed('shiftjis')[0]!.title).toBe('DrecomRSSに記事投稿が反映されない…');
    expect(byFeed('craigslist')[0]!.published).toBe('2017-06-21T17:33:10.000Z');

    const errors = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('dealbot ingest:'));
    expect(errors).toEqual([
      `dealbot ingest: ${broken}: not XML: there is text before the first tag; no items could be recovered`,
    ]);
    expect(r.stderr).toContain('56 stories from 4 of 5 inputs (dry run: nothing stored)');
  }, 90_000);

  it('without --json prints a readable line per story; a web page gets a hint', async () => {
    const page = path.join(corpus, 'danmactough-node-feedparser/test/feeds/notafeed.html');
    const r = await runCli(['ingest', '--dry-run', FILES.sjis.file, page]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^undated +shiftjis {2}DrecomRSSに記事投稿が反映されない…$/m);
    expect(r.stderr).toContain(`dealbot ingest: ${page}: this looks like a web page; find the page's RSS link`);
  }, 60_000);

  it('without --dry-run stores the stories in the database', async () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-ingest-db-')), 'test.db');
    const r = await runCli(['ingest', FILES.atom.file, FILES.sjis.file], {
      env: { DEALBOT_DB: db },
      timeoutMs: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`21 stories from 2 of 2 inputs; stored in ${db}: 21 new, 0 updated`);
    const store = openSyncStore(db);
    try {
      expect(store.stories.count()).toBe(21);
    } finally {
      store.close();
    }
    const again = await runCli(['ingest', FILES.atom.file], { env: { DEALBOT_DB: db }, timeoutMs: 60_000 });
    expect(again.stdout).toContain('0 new');
  }, 90_000);

  it('usage errors exit 2', async () => {
    const none = await runCli(['ingest', '--dry-run']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: dealbot ingest');
    const bad = await runCli(['ingest', '--frobnicate', 'x.xml']);
    expect(bad.code).toBe(2);
  });
});

describe('dealbot ingest URL', () => {
  it('fetches through fetchFeed with the config defaults: loopback refused unless allow_private_network, configured id and language kept', async () => {
    const server = await startFaultServer();
    try {
      server.route('/feed.xml', send(200, RSS_TYPE, rssFeed(['Local one', 'Local two'])));
      const url = server.url('/feed.xml');
      const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-ingest-url-'));
      const write = (name: string, allow: boolean) => {
        const file = path.join(dir, name);
        writeFileSync(
          file,
          `feeds:\n  defaults:\n    allow_private_network: ${allow}\n  list:\n    - id: local-news\n      url: ${url}\n      language: ja\n`,
        );
        return file;
      };
      const refused = await runCli(['ingest', '--dry-run', '--json', '--config', write('strict.yaml', false), url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`dealbot ingest: ${url}: refused to fetch from 127.0.0.1: a loopback address`);
      expect(refused.stderr).toContain('allow_private_network: true');

      const allowed = await runCli(['ingest', '--dry-run', '--json', '--config', write('intranet.yaml', true), url]);
      expect(allowed.code).toBe(0);
      const lines = allowed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as StoryLine);
      expect(lines.map((l) => [l.feed, l.title, l.lang])).toEqual([
        ['local-news', 'Local one', 'ja'],
        ['local-news', 'Local two', 'ja'],
      ]);
      expect(server.requests.at(-1)!.headers['user-agent']).toBe('dealbot/0.1 (+https://github.com/dealbot/dealbot)');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('an invalid --config is reported with its line and exits 1', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-ingest-cfg-')), 'bad.yaml');
    writeFileSync(file, 'feeds:\n  defaults:\n    max_bytes: lots\n');
    const r = await runCli(['ingest', '--dry-run', '--config', file, 'x.xml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+: feeds\.defaults\.max_bytes/);
  }, 60_000);
});
