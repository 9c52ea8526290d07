import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCuttableProxy, type CuttableProxy } from '../helpers/cuttable-proxy.js';
import { rss, startFeedServer, type LocalFeedServer, type RssItem } from '../helpers/local-feed-server.js';
import { repoRoot, shippedBriefs } from '../helpers/paths.js';
import { createTestDatabase, PG_TEST_URL, type TestDatabase } from '../helpers/pg-test-db.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * Issue #14: a real `dealbot run` on PostgreSQL whose server stops answering mid-run (a TCP
 * proxy in front of the shared server is cut, never the server itself) and comes back; and
 * one started while it is down.
 */

const hour = (h: number) => new Date(Date.now() - h * 3_600_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, test: () => boolean | Promise<boolean>, detail = () => ''): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!PG_TEST_URL)('dealbot run when PostgreSQL stops answering', () => {
  let db: TestDatabase;
  let proxy: CuttableProxy;
  let feeds: LocalFeedServer;
  let configFile: string;
  const items: RssItem[] = [
    {
      guid: 'c1',
      title: 'Japan and US sign rare earths deal in Tokyo',
      link: 'https://reuters.example/c1',
      pubDate: hour(3),
    },
  ];

  beforeAll(async () => {
    db = await createTestDatabase('outagecli');
    const server = new URL(PG_TEST_URL!);
    proxy = await startCuttableProxy({ host: server.hostname, port: Number(server.port || 5432) });
    feeds = await startFeedServer({ routes: { '/wire.xml': () => ({ body: rss(items) }) } });
    const dir = tempProject({
      'config/dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: {
          defaults: { allow_private_network: true, poll_interval: '5s' },
          list: [{ id: 'wire', url: feeds.url('/wire.xml') }],
        },
      }),
    });
    configFile = path.join(dir, 'config', 'dealbot.yaml');
  });
  afterAll(async () => {
    await proxy?.close();
    await feeds?.close();
    await db?.drop();
  });

  it('started while the server is down: exits 1 naming host:port, without a stack trace', async () => {
    proxy.cut();
    try {
      const r = await runCli(['run', '--config', configFile], {
        env: { DEALBOT_DB: proxy.through(db.url) },
        timeoutMs: 60_000,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${proxy.port}/${db.name}`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      proxy.restore();
    }
  }, 90_000);

  it('keeps running through an outage: plain answers, /healthz 503 with the reason, then stores what came meanwhile', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'src/cli/index.ts'), 'run', '--config', configFile],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DEALBOT_DB: proxy.through(db.url),
          HEALTH_PORT: String(port),
          HEALTH_HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const logs = () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; inserted?: number });
    const healthz = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: res.status, text: await res.text() };
    };
    const show = () => `stderr:\n${stderr}\nstdout:\n${stdout}`;
    try {
      await until(
        'the first poll stored the story',
        () => logs().some((l) => l.msg === 'feed polled' && l.inserted === 1),
        show,
      );

      proxy.cut();
      items.push({
        guid: 'c2',
        title: 'Takaichi and Trump sign rare earth minerals pact in Tokyo',
        link: 'https://nikkei.example/c2',
        pubDate: hour(1),
      });
      const before = stdout.length;
      child.stdin!.write('/deal latest\n');
      await until('the answer to /deal latest', () => stdout.slice(before).includes('try again in a minute'), show);
      expect(stdout.slice(before)).toContain(`The database at 127.0.0.1:${proxy.port}/${db.name} is not answering`);
      expect(stdout.slice(before)).not.toContain('Something went wrong');

      const down = await healthz();
      expect(down.status).toBe(503);
      expect(down.text).toContain(`unhealthy: the database at 127.0.0.1:${proxy.port}/${db.name} is not answering`);
      // `dealbot health` (another process, Docker's HEALTHCHECK) says the same, and exits 1.
      const checked = await runCli(['health', '--config', configFile], {
        env: { DEALBOT_DB: proxy.through(db.url) },
        timeoutMs: 60_000,
      });
      expect(checked.code).toBe(1);
      expect(checked.stdout).toContain(
        `unhealthy: cannot read the database: cannot connect to PostgreSQL at 127.0.0.1:${proxy.port}/${db.name}`,
      );
      await until(
        'the poller said so',
        () => logs().some((l) => l.msg.includes('feeds are polled again once it answers')),
        show,
      );

      proxy.restore();
      await until(
        'the story that came meanwhile stored',
        () => logs().filter((l) => l.msg === 'feed polled' && l.inserted === 1).length === 2,
        show,
      );
      expect(logs().some((l) => l.msg.includes('answers again'))).toBe(true);
      expect(logs().filter((l) => /feed failed|poll failed unexpectedly/.test(l.msg))).toEqual([]);
      expect((await healthz()).status).toBe(200);
      const after = stdout.length;
      child.stdin!.write('/deal latest\n');
      await until(
        'the answer after restore',
        () => /Takaichi and Trump sign rare earth/.test(stdout.slice(after)),
        show,
      );
    } finally {
      proxy.restore();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
