import { afterEach, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log/logger.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack-api.js';
import { SIGNING_SECRET } from '../../helpers/slack-test-adapter.js';

/** What `dealbot health` learns from Slack: GET /healthz in HTTP mode, and whether Socket Mode's socket is open. */

const answer = async () => ({ message: { title: 'hi', sections: [] }, visibility: 'private' as const });

describe('Slack and the health check', () => {
  let fake: FakeSlack | undefined;
  let adapter: SlackAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    adapter = undefined;
    await fake?.close();
  });

  it("HTTP mode: GET /healthz gives the bot's verdict, 200 or 503 with the reason", async () => {
    fake = await startFakeSlack();
    let verdict = { healthy: true, line: 'healthy: bot up 5s (pid 1), slack connected, no feeds enabled' };
    adapter = new SlackAdapter({
      env: { mode: 'http', botToken: 'xoxb-h', signingSecret: SIGNING_SECRET, port: 0, apiUrl: fake.apiUrl },
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
      host: '127.0.0.1',
      health: () => verdict,
    });
    expect(adapter.isConnected()).toBe(false);
    await adapter.start(answer);
    expect(adapter.isConnected()).toBe(true);
    const url = `http://127.0.0.1:${adapter.address!.port}/healthz`;
    const up = await fetch(url);
    expect(up.status).toBe(200);
    expect(await up.text()).toBe(`${verdict.line}\n`);

    verdict = { healthy: false, line: 'unhealthy: no feed polled successfully for 4h' };
    const down = await fetch(url);
    expect(down.status).toBe(503);
    expect(await down.text()).toBe('unhealthy: no feed polled successfully for 4h\n');
    await adapter.stop();
    expect(adapter.isConnected()).toBe(false);
  });

  it('Socket Mode: connected while the socket is open, not after Slack drops it, again once it reconnects', async () => {
    fake = await startFakeSlack();
    adapter = new SlackAdapter({
      env: { mode: 'socket', botToken: 'xoxb-s', appToken: 'xapp-s', apiUrl: fake.apiUrl },
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
      tuning: { timeoutMs: 2000 },
    });
    await adapter.start(answer);
    expect(adapter.isConnected()).toBe(true);

    fake.sockets[0]!.close();
    await fake.waitFor(() => !adapter!.isConnected());
    // The client reconnects on its own (after its ping timeout, 5 s) through apps.connections.open.
    await fake.waitFor(() => fake!.sockets.length === 2 && adapter!.isConnected(), 20_000);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
  });
});
