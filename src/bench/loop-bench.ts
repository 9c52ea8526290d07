import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import { loadBotFiles } from '../bot/load-bot-files.js';
import { MatchService } from '../bot/match-service.js';
import { createCommandEngine } from '../commands/engine.js';
import { DEFAULT_CONFIG_FILE } from '../config/load-config.js';
import { configSchema } from '../config/schema.js';
import { Poller } from '../feeds/poller.js';
import { silentLogger } from '../log/logger.js';
import { openStore } from '../store/open-store.js';
import { formatMs, percentile } from './stats.js';
import { syntheticNews } from './synthetic-news.js';

/**
 * Does the bot keep answering while it polls big feeds (issue #12, item 2)? A
 * 15,000-item feed and a 1.6 MB feed are polled through the real poll path
 * (loopback HTTP, fetch, parse, store in a SQLite file, matching and event
 * clustering with the shipped briefs, the undecided queue drained after the
 * poll as the running bot does) while signed slash commands reach the real Bolt
 * HTTP receiver at a steady rate. Measured on the main thread during the poll:
 * the event loop's delay (perf_hooks.monitorEventLoopDelay) and the time to each
 * ack. Targets: loop delay max ≤ 50 ms, ack p99 ≤ 50 ms.
 * The feed server, Slack's API and the Slack client run in a worker thread (the
 * outside world), so their work does not count against the bot's loop.
 * DEALBOT_BENCH_SCALE < 1 shrinks the feeds for a quick look.
 */

const SCALE = Number(process.env.DEALBOT_BENCH_SCALE ?? 1);
const ITEMS = Math.round(15_000 * SCALE);
const BIG_BYTES = Math.round(1.6 * 1024 * 1024 * SCALE);
// Slash commands per second during the poll: open loop, so a blocked bot cannot slow the sender down.
const ACKS_PER_SECOND = 20;
const IDLE_SECONDS = 4;

export async function benchLoop(): Promise<string> {
  const files = await loadBotFiles(DEFAULT_CONFIG_FILE, {});
  const config = files.loaded.config;
  const bodies = { '/many-items.xml': manyItemsFeed(ITEMS), '/big-bytes.xml': bigBytesFeed(BIG_BYTES) };
  const outside = new Worker(OUTSIDE, {
    eval: true,
    workerData: { bodies, secret: SECRET, command: config.bot.command },
  });
  const ask = makeAsk(outside);
  const { feedBase, slackBase } = (await ask({ type: 'listen' })) as { feedBase: string; slackBase: string };

  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-loop-bench-'));
  const store = await openStore(path.join(dir, 'bench.db'));
  const matching = new MatchService({ store, getBriefs: () => files.briefs, getConfig: () => config });
  const adapter = new SlackAdapter({
    env: { mode: 'http', botToken: 'xoxb-bench', signingSecret: SECRET, port: 0, apiUrl: `${slackBase}/api/` },
    logger: silentLogger(),
    getConfig: () => config,
    host: '127.0.0.1',
  });
  const engine = createCommandEngine({ getConfig: () => config, getBriefs: () => files.briefs, services: { store } });
  await adapter.start(engine);
  const eventsUrl = `http://127.0.0.1:${adapter.address!.port}/slack/events`;

  const feeds = configSchema.parse({
    feeds: {
      defaults: { allow_private_network: true, max_bytes: '64MB' },
      list: Object.keys(bodies).map((p) => ({ id: p.slice(1, -4), url: `${feedBase}${p}` })),
    },
  }).feeds;
  let drained = Promise.resolve(0);
  const poller = new Poller({
    store,
    getFeeds: () => feeds,
    filter: matching.filter,
    onNewStories: matching.onNewStories,
    // As main.ts does: whatever a poll left undecided is decided after it.
    afterPoll: () => void (drained = matching.drainUndecided()),
  });

  try {
    // Warm up Bolt and the engine before measuring.
    await ask({ type: 'acks', eventsUrl, count: 50, perSecond: 100 });
    // The machine's noise: the same acks for a few seconds with no poll (other processes share the CPUs).
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    const idleAcks = (await ask({
      type: 'acks',
      eventsUrl,
      perSecond: ACKS_PER_SECOND,
      count: IDLE_SECONDS * ACKS_PER_SECOND,
    })) as { ms: number[]; failed: number };
    idle.disable();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const acking = ask({ type: 'acks', eventsUrl, perSecond: ACKS_PER_SECOND, untilStopped: true });
    loop.enable();
    const start = performance.now();
    const outcomes = await poller.pollOnce();
    const decided = await drained;
    const wall = performance.now() - start;
    loop.disable();
    outside.postMessage({ type: 'stop' });
    const acks = (await acking) as { ms: number[]; failed: number };
    await poller.stop();
    const ms = (ns: number) => ns / 1e6;
    const loopMax = ms(loop.max);
    const ackP99 = percentile(acks.ms, 99);
    const verdict = (value: number) => (value <= 50 ? 'ok' : 'OVER TARGET');
    return [
      `loop: ${ITEMS} items (${mb(bodies['/many-items.xml'].length)}) and a ${mb(bodies['/big-bytes.xml'].length)} feed polled with matching on, ` +
        `${(wall / 1000).toFixed(1)} s wall, ${await store.stories.count()} stories stored, ${decided} decided after the poll`,
      ...outcomes.map(
        (o) =>
          `  ${o.feedId}: ${o.kind} ${o.status ?? ''}, ${o.inserted} new, (${(o.durationMs / 1000).toFixed(1)} s)${o.error ? ` ${o.error}` : ''}`,
      ),
      `  event loop delay: max ${formatMs(loopMax)} (target ≤ 50 ms: ${verdict(loopMax)}), p99 ${formatMs(ms(loop.percentile(99)))}, mean ${formatMs(ms(loop.mean))}`,
      `  noise floor (${IDLE_SECONDS} s of the same acks, no poll): event loop delay max ${formatMs(ms(idle.max))}, p99 ${formatMs(ms(idle.percentile(99)))}; ` +
        `acks p99 ${formatMs(percentile(idleAcks.ms, 99))}, max ${formatMs(Math.max(...idleAcks.ms))}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs`,
      `  slack acks during the poll: ${acks.ms.length} (${acks.failed} failed), median ${formatMs(percentile(acks.ms, 50))}, ` +
        `p99 ${formatMs(ackP99)} (target ≤ 50 ms: ${verdict(ackP99)}), max ${formatMs(Math.max(...acks.ms))}`,
    ].join('\n');
  } finally {
    await poller.stop();
    await matching.stop();
    await adapter.stop();
    await store.close();
    await outside.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECRET = 'bench-signing-secret';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Request/answer with the outside worker, one question at a time per type. */
function makeAsk(worker: Worker): (message: { type: string } & Record<string, unknown>) => Promise<unknown> {
  const waiting = new Map<string, (value: unknown) => void>();
  worker.on('message', (m: { type: string; value: unknown }) => waiting.get(m.type)?.(m.value));
  worker.on('error', (err) => {
    throw err;
  });
  return (message) =>
    new Promise((resolve) => {
      waiting.set(message.type, resolve);
      worker.postMessage(message);
    });
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function rss(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://news.example/</link><description>bench</description>${items.join('')}</channel></rss>`;
}

/** Many short items, as a busy wire's archive feed. */
function manyItemsFeed(count: number): string {
  const now = Date.now();
  return rss(
    syntheticNews(count, 15).map((s, i) => {
      const link = `https://wire.example/story-${i}`;
      return `<item><title>${escape(s.title)}</title><link>${link}</link><guid>${link}</guid><pubDate>${new Date(now - i * 20_000).toUTCString()}</pubDate><description>${escape(s.summary)}</description></item>`;
    }),
  );
}

/** Fewer items with long HTML bodies (content:encoded), as a magazine's full-text feed. */
function bigBytesFeed(bytes: number): string {
  const news = syntheticNews(Math.max(1, Math.round(bytes / 2_850)), 16);
  const now = Date.now();
  const paragraph = (s: string, i: number) =>
    `<p>${escape(s)} Officials said talks would continue (paragraph ${i}); analysts expect <b>prices</b> to move.</p>`;
  return rss(
    news.map((s, i) => {
      const link = `https://magazine.example/long-read-${i}`;
      const body = Array.from({ length: 14 }, (_, p) => paragraph(s.summary || s.title, p)).join('');
      return `<item><title>${escape(s.title)}</title><link>${link}</link><guid>${link}</guid><pubDate>${new Date(now - i * 60_000).toUTCString()}</pubDate><description>${escape(s.summary)}</description><content:encoded><![CDATA[${body}]]></content:encoded></item>`;
    }),
  );
}

/**
 * The outside world, in a worker thread: the feed server, Slack's API (auth.test,
 * response_url) and a Slack client that sends signed slash commands at a steady
 * rate, timing each ack.
 */
const OUTSIDE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const http = require('node:http');
const { createHmac } = require('node:crypto');
const { performance } = require('node:perf_hooks');
let stopped = false;
const listen = (handler) => new Promise((resolve) => {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1', () => resolve('http://127.0.0.1:' + server.address().port));
});
async function sendOne(eventsUrl, i) {
  const body = new URLSearchParams({
    token: 'x', team_id: 'T0001', channel_id: 'C0BENCH01', user_id: 'U0BENCH' + (i % 7), user_name: 'bench',
    command: '/' + w.command, text: ['help', 'facts', 'sources', 'timeline'][i % 4], response_url: slackBase + '/respond/' + i, trigger_id: i + '.1.x',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = 'v0=' + createHmac('sha256', w.secret).update('v0:' + ts + ':' + body).digest('hex');
  const start = performance.now();
  const res = await fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
  await res.text();
  return { ms: performance.now() - start, ok: res.status === 200 };
}
let slackBase = '';
parentPort.on('message', async (m) => {
  if (m.type === 'stop') { stopped = true; return; }
  if (m.type === 'listen') {
    const feedBase = await listen((req, res) => {
      const body = w.bodies[req.url];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body || 'not found');
    });
    slackBase = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url.startsWith('/respond/') ? 'ok' : JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', team: 'bench', user: 'dealbot' }));
      });
    });
    parentPort.postMessage({ type: 'listen', value: { feedBase, slackBase } });
    return;
  }
  if (m.type === 'acks') {
    stopped = false;
    const runs = [];
    const ms = [];
    let failed = 0;
    for (let i = 0; m.untilStopped ? !stopped : i < m.count; i++) {
      runs.push(sendOne(m.eventsUrl, i).then((r) => (r.ok ? ms.push(r.ms) : failed++), () => failed++));
      await new Promise((r) => setTimeout(r, 1000 / m.perSecond));
    }
    await Promise.all(runs);
    parentPort.postMessage({ type: 'acks', value: { ms, failed } });
  }
});
`;

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchLoop());
}
