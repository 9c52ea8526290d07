import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import { createCommandEngine } from '../commands/engine.js';
import { loadBotFiles } from '../bot/load-bot-files.js';
import { silentLogger } from '../log/logger.js';
import { formatMs, percentile } from './stats.js';

/**
 * How fast a slash command is acknowledged: signed requests go over loopback to the
 * real Bolt HTTPReceiver and the time to the ack response is measured. The engine
 * runs after the ack and answers through respond() to a local response_url, so
 * this also shows the ack never waits for the answer. A local server stands in
 * for Slack's API (auth.test at start); nothing leaves 127.0.0.1.
 */
export async function benchSlackAck(configFile = 'config/dealbot.yaml', requests = 1_000): Promise<string> {
  const files = await loadBotFiles(configFile, {});
  const command = files.loaded.config.bot.command;
  const answered = new Map<string, number>();
  const slack = await listen(
    createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = /^\/respond\/(\d+)$/.exec(req.url ?? '')?.[1];
        if (id) answered.set(id, performance.now());
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          id
            ? 'ok'
            : JSON.stringify({
                ok: true,
                user_id: 'UBOT',
                bot_id: 'BBOT',
                team_id: 'T0001',
                team: 'bench',
                user: 'dealbot',
              }),
        );
      });
    }),
  );
  const secret = 'bench-signing-secret';
  const adapter = new SlackAdapter({
    env: { mode: 'http', botToken: 'xoxb-bench', signingSecret: secret, port: 0, apiUrl: `${slack.url}/api/` },
    logger: silentLogger(),
    getConfig: () => files.loaded.config,
    host: '127.0.0.1',
  });
  const engine = createCommandEngine({
    getConfig: () => files.loaded.config,
    getBriefs: () => files.briefs,
    services: {},
  });
  await adapter.start(engine);
  const eventsUrl = `http://127.0.0.1:${adapter.address!.port}/slack/events`;

  // The client runs in a worker thread, as Slack runs elsewhere: otherwise the
  // engine's work after the ack would delay the client reading the ack.
  const client = new Worker(CLIENT, {
    eval: true,
    workerData: {
      eventsUrl,
      secret,
      command,
      responseBase: `${slack.url}/respond/`,
      texts: ['facts', 'reactions', 'sources', 'timeline', 'help', 'fcats', 'faq share'],
    },
  });
  type Ack = { ms: number; status: number };
  let pending: { resolve: (ack: Ack) => void; reject: (err: Error) => void } | undefined;
  client.on('message', (ack: Ack) => pending?.resolve(ack));
  client.on('error', (err) => pending?.reject(err));
  const warmup = 100;
  const acks: number[] = [];
  const answers: number[] = [];
  try {
    for (let i = 0; i < warmup + requests; i++) {
      const sent = performance.now();
      const ack = await new Promise<Ack>((resolve, reject) => {
        pending = { resolve, reject };
        client.postMessage(i);
      });
      if (ack.status !== 200) throw new Error(`ack ${i} failed: HTTP ${ack.status}`);
      // Wait for the answer before the next request, so requests do not pile up.
      while (!answered.has(String(i))) await new Promise((r) => setImmediate(r));
      if (i >= warmup) {
        acks.push(ack.ms);
        answers.push(answered.get(String(i))! - sent);
      }
    }
  } finally {
    await client.terminate();
    await adapter.stop();
    await new Promise((r) => slack.server.close(r));
  }
  return [
    `slack-ack: ${requests} signed slash commands over loopback (after ${warmup} warm-up):`,
    `  ack       median ${formatMs(percentile(acks, 50))}, p99 ${formatMs(percentile(acks, 99))}, max ${formatMs(Math.max(...acks))}`,
    `  answer at response_url (incl. thread hand-off)  median ${formatMs(percentile(answers, 50))}, p99 ${formatMs(percentile(answers, 99))}`,
  ].join('\n');
}

/** The worker: on each index from the main thread, sends one signed slash command and reports the ack time. */
const CLIENT = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const { performance } = require('node:perf_hooks');
parentPort.on('message', async (i) => {
  const body = new URLSearchParams({
    token: 'x', team_id: 'T0001', channel_id: 'C0BENCH01', user_id: 'U0BENCH01', user_name: 'bench',
    command: '/' + w.command, text: w.texts[i % w.texts.length], response_url: w.responseBase + i, trigger_id: i + '.1.x',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = 'v0=' + createHmac('sha256', w.secret).update('v0:' + ts + ':' + body).digest('hex');
  const start = performance.now();
  const res = await fetch(w.eventsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
  await res.text();
  parentPort.postMessage({ ms: performance.now() - start, status: res.status });
});
`;

async function listen(server: Server): Promise<{ server: Server; url: string }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchSlackAck());
}
