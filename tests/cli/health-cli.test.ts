import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterModule } from '../../src/adapters/adapter-module.js';
import { PLATFORMS } from '../../src/adapters/index.js';
import { statusFileFor, type BotStatus } from '../../src/bot/bot-status.js';
import { loadCliCommand } from '../../src/cli/registry.js';
import { silentLogger } from '../../src/log/logger.js';
import { startBot, type RunningBot } from '../../src/main.js';
import type { ChatAdapter } from '../../src/messages/chat-adapter.js';
import { captureIO } from '../helpers/capture-io.js';
import { rss, startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { shippedBriefs } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * `dealbot health` as Docker's HEALTHCHECK runs it (another process beside the
 * bot, reading the database and the bot's status file), and GET /healthz on
 * HEALTH_PORT, against a bot started the way `dealbot run` starts it, with one
 * feed on a local server and a small platform whose connection the test controls.
 */

let connected = true;
const probeAdapter: ChatAdapter = {
  platform: 'probe',
  start: async () => undefined,
  stop: async () => undefined,
  postToChannel: async (channelId) => ({ channelId, messageId: 'm1' }),
  isConnected: () => connected,
};
const probeModule: AdapterModule = {
  platform: 'probe',
  fromEnv: () => probeAdapter,
  render: () => null,
  connectHint: 'probe: always on',
};

/** A port that was free a moment ago, on 127.0.0.1 (HEALTH_PORT takes a number). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function health(configFile: string, env: NodeJS.ProcessEnv, args: string[] = []) {
  const command = (await loadCliCommand('health'))!;
  const io = captureIO(env);
  const code = await command.run(['--config', configFile, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('dealbot health and /healthz', () => {
  let feeds: LocalFeedServer;
  let configFile: string;
  let dbFile: string;
  let env: NodeJS.ProcessEnv;
  let healthz: string;
  let bot: RunningBot | undefined;

  beforeAll(async () => {
    feeds = await startFeedServer({ routes: { '/wire.xml': { status: 500, body: 'upstream down' } } });
    const dir = tempProject({
      'config/dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: {
          defaults: { poll_interval: '15m', allow_private_network: true },
          list: [{ id: 'wire', url: feeds.url('/wire.xml') }],
        },
      }),
    });
    configFile = path.join(dir, 'config', 'dealbot.yaml');
    dbFile = path.join(dir, 'data', 'dealbot.db');
    const port = await freePort();
    env = { DEALBOT_DB: dbFile, HEALTH_PORT: String(port), HEALTH_HOST: '127.0.0.1' };
    healthz = `http://127.0.0.1:${port}/healthz`;
  });
  afterAll(async () => {
    await bot?.stop();
    await feeds.close();
  });

  it('before the bot ever ran: exit 1, one line, and no database created', async () => {
    const r = await health(configFile, env);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      `unhealthy: no database at ${dbFile}; start the bot (npm start or npx dealbot run) or set DEALBOT_DB\n`,
    );
    expect(existsSync(dbFile)).toBe(false);
    // The real entry point exits with that status (what Docker's HEALTHCHECK sees).
    const proc = await runCli(['health', '--config', configFile], { env });
    expect(proc.code).toBe(1);
    expect(proc.stdout).toMatch(/^unhealthy: no database at /);
  });

  it('on a fresh database, with the bot just started and no successful poll yet: healthy, and /healthz says so over HTTP', async () => {
    bot = await startBot({
      configFile,
      env,
      logger: silentLogger(),
      input: new PassThrough(),
      output: new PassThrough(),
      interactive: false,
      platforms: { terminal: PLATFORMS.terminal!, probe: async () => probeModule },
    });
    const r = await health(configFile, env);
    expect(r.out).toMatch(
      /^healthy: bot up \d+s \(pid \d+\), probe connected, no successful poll yet \(1 feed enabled\)\n$/,
    );
    expect(r.code).toBe(0);

    const res = await fetch(healthz);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toMatch(/^healthy: bot up \d+s \(pid \d+\), probe connected, no successful poll yet/);
  });

  it('after a poll: names the feed that polled last, in the CLI and over HTTP', async () => {
    feeds.routes.set('/wire.xml', {
      body: rss([{ guid: 'w1', title: 'Trump and Takaichi sign rare earths deal', pubDate: new Date() }]),
    });
    const poll = (await loadCliCommand('poll'))!;
    // The feed failed while the bot ran, so it is backing off: --force asks it now.
    expect(await poll.run(['--once', '--force', '--config', configFile], captureIO(env))).toBe(0);

    const r = await health(configFile, env);
    expect(r.out).toMatch(/^healthy: .*, probe connected, last successful poll \d+s ago \(feed "wire"\)\n$/);
    expect(r.code).toBe(0);
    const json = JSON.parse((await health(configFile, env, ['--json'])).out) as { lastPoll: { feedId: string } };
    expect(json.lastPoll.feedId).toBe('wire');
    expect(await (await fetch(healthz)).text()).toContain('last successful poll');
    // HEAD works for monitors that only look at the status.
    expect((await fetch(healthz, { method: 'HEAD' })).status).toBe(200);
  });

  it('a dropped platform connection shows as reconnecting, not yet unhealthy', async () => {
    connected = false;
    // The running bot's /healthz looks now; the file is rewritten on the next beat.
    const res = await fetch(healthz);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('probe reconnecting');
    connected = true;
  });

  it('when the bot stopped, and when its heartbeat is stale (killed or stuck): exit 1 and why', async () => {
    await bot!.stop();
    bot = undefined;
    const stopped = await health(configFile, env);
    expect(stopped.code).toBe(1);
    expect(stopped.out).toMatch(/^unhealthy: the bot \(pid \d+\) stopped \d+s ago, at \S+\n$/);
    await expect(fetch(healthz)).rejects.toThrow(); // its server went with it

    // What a killed bot leaves: a status file without stoppedAt whose last beat is old.
    const file = statusFileFor(dbFile);
    const status = JSON.parse(readFileSync(file, 'utf8')) as BotStatus;
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    writeFileSync(file, JSON.stringify({ ...status, stoppedAt: null, heartbeatAt: fiveMinutesAgo }));
    const stale = await health(configFile, env);
    expect(stale.code).toBe(1);
    expect(stale.out).toBe(
      `unhealthy: no heartbeat from the bot (pid ${status.pid}) for 5m (${file}); it is stuck or was killed: check its log\n`,
    );
  });
});
