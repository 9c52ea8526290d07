import { spawn } from 'node:child_process';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/commands/poll.js';
import { loadCliCommand } from '../../src/cli/registry.js';
import type { FeedConfig } from '../../src/config/schema.js';
import { emptyOutcome, type PollOutcome } from '../../src/feeds/poll-feed.js';
import { captureIO } from '../helpers/capture-io.js';
import { rss, startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { repoRoot, shippedBriefs } from '../helpers/paths.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * `dealbot poll --once` against feeds on a local server: it waits out a failing
 * feed's backoff and the server's Retry-After unless --force, and it stops quietly
 * when the program reading its output goes away (`| head -3`).
 */

describe('dealbot poll --once', () => {
  let feeds: LocalFeedServer;
  let configFile: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    feeds = await startFeedServer({
      routes: {
        '/wire.xml': { body: rss([{ guid: 'w1', title: 'Rare earths deal signed', pubDate: new Date() }]) },
        '/limited.xml': { status: 429, headers: { 'Retry-After': '120' }, body: 'slow down' },
        '/broken.xml': { status: 500, body: 'upstream down' },
      },
    });
    const dir = tempProject({
      'config/dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: {
          // A 1-minute interval: the first backoff (about 1 min) is shorter than the 120 s Retry-After.
          defaults: { poll_interval: '1m', allow_private_network: true },
          list: [
            { id: 'wire', url: feeds.url('/wire.xml') },
            { id: 'limited', url: feeds.url('/limited.xml') },
            { id: 'broken', url: feeds.url('/broken.xml') },
          ],
        },
      }),
    });
    configFile = path.join(dir, 'config', 'dealbot.yaml');
    env = { DEALBOT_DB: path.join(dir, 'data', 'dealbot.db') };
  });
  afterAll(async () => {
    await feeds.close();
  });

  async function poll(...args: string[]) {
    const command = (await loadCliCommand('poll'))!;
    const io = captureIO(env);
    const code = await command.run(['--once', '--config', configFile, ...args], io);
    return { code, out: io.out(), err: io.err() };
  }

  it('does not ask a server again before its Retry-After, nor a failing feed before its backoff; --force does', async () => {
    const first = await poll();
    expect(first.code).toBe(1);
    expect(feeds.hits.get('/limited.xml')).toBe(1);
    expect(feeds.hits.get('/broken.xml')).toBe(1);

    const second = await poll();
    expect(feeds.hits.get('/limited.xml')).toBe(1);
    expect(feeds.hits.get('/broken.xml')).toBe(1);
    expect(feeds.hits.get('/wire.xml')).toBe(2);
    expect(second.out).toMatch(
      /limited\s+wait\s+not due until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(Retry-After\); --force polls it anyway/,
    );
    expect(second.out).toMatch(/broken\s+wait\s+not due until .* UTC \(backoff\); --force polls it anyway/);
    expect(second.out).toContain('Polled 1 feed in');
    expect(second.out).toContain('2 failing feeds not asked before their next try (--force polls anyway).');
    // Nothing failed in this run: the feeds waiting were not asked.
    expect(second.code).toBe(0);

    const forced = await poll('--force');
    expect(feeds.hits.get('/limited.xml')).toBe(2);
    expect(feeds.hits.get('/broken.xml')).toBe(2);
    expect(forced.out).not.toContain('not due until');
    expect(forced.code).toBe(1);
  });

  it('exits 0 without a word on stderr when the reader of its output closes the pipe', async () => {
    feeds.routes.set('/slow.xml', { delayMs: 300, body: rss([{ guid: 's1', title: 'Slow', pubDate: new Date() }]) });
    const dir = tempProject({
      'dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: {
          defaults: { allow_private_network: true },
          list: [1, 2, 3, 4].map((n) => ({ id: `slow${n}`, url: `${feeds.url('/slow.xml')}?n=${n}` })),
        },
      }),
    });
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'src/cli/index.ts'), 'poll', '--once', '--config', `${dir}/dealbot.yaml`],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DEALBOT_DB: path.join(dir, 'dealbot.db') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let chunks = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => {
      chunks++;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(chunks).toBe(1);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('poll --once progress lines', () => {
  const outcome = (durationMs: number): PollOutcome => ({
    ...emptyOutcome({ id: 'wire', url: 'https://wire.example/feed.xml' } as FeedConfig, 'ok', null),
    status: 200,
    inserted: 15_000,
    durationMs,
    timings: { fetch: 300, parse: 1_210, store: 2_440, match: 3_160 },
  });

  it('give the whole time a feed held its slot, and where it went when that is a second or more', () => {
    expect(progressLine(outcome(7_100), 4)).toContain(
      '15000 new, 0 updated  (7.1 s: fetch 0.3, parse 1.2, store 2.4, match 3.2)',
    );
    expect(progressLine(outcome(400), 4)).toMatch(/\(0\.4 s\)$/);
  });
});
