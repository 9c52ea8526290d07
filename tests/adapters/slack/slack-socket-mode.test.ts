import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandInvocation } from '../../../src/messages/chat-adapter.js';
import { SlackAdapter } from '../../../src/adapters/slack/slack-adapter.js';
import { networkFailure, startFailure } from '../../../src/adapters/slack/slack-errors.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log/logger.js';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack-api.js';
import { slashCommandBody } from '../../helpers/slack-request.js';

interface Envelope {
  envelope_id: string;
  payload: Record<string, unknown>;
}
const isAckOf =
  (id: string) =>
  (m: unknown): m is Envelope =>
    (m as Envelope | null)?.envelope_id === id;

describe('Slack in Socket Mode (the default)', () => {
  let fake: FakeSlack | undefined;
  let adapter: SlackAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  it('connects through SLACK_API_URL with the app token, acks each envelope, and answers via response_url', async () => {
    fake = await startFakeSlack();
    const seen: CommandInvocation[] = [];
    adapter = new SlackAdapter({
      env: { mode: 'socket', botToken: 'xoxb-socket', appToken: 'xapp-socket', apiUrl: fake.apiUrl },
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
      tuning: { timeoutMs: 2000 },
    });
    await adapter.start(async (inv) => {
      seen.push(inv);
      return { message: { title: `Answer to ${inv.text}`, sections: [] }, visibility: 'channel' };
    });

    // Everything at start went to the local API: auth.test with the bot token, the socket URL with the app token.
    expect(fake.callsTo('auth.test')[0]!.headers.authorization).toBe('Bearer xoxb-socket');
    expect(fake.callsTo('apps.connections.open')[0]!.headers.authorization).toBe('Bearer xapp-socket');
    const ws = fake.sockets[0]!;

    const payload = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({ command: '/deal', text: 'facts share', response_url: fake.responseUrl('s1') }),
      ),
    );
    ws.sendJson({ envelope_id: 'env-1', type: 'slash_commands', accepts_response_payload: true, payload });

    expect(await ws.waitFor(isAckOf('env-1'))).toEqual({ envelope_id: 'env-1', payload: {} });
    const answer = await fake.waitFor(() => fake!.responses.find((r) => r.id === 's1')?.body);
    expect(answer).toMatchObject({ response_type: 'in_channel', text: 'Answer to facts share' });
    expect(seen[0]).toMatchObject({ platform: 'slack', user: { id: 'U2147483697' }, channel: { id: 'C2147483705' } });

    await adapter.stop();
    adapter = undefined;
    await ws.closed;
  });

  it('fails to start with a clear message when Slack refuses the bot token', async () => {
    fake = await startFakeSlack();
    fake.queue('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    adapter = new SlackAdapter({
      env: { mode: 'socket', botToken: 'xoxb-bad', appToken: 'xapp-socket', apiUrl: fake.apiUrl },
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
    });
    await expect(
      adapter.start(async () => ({ message: { title: '', sections: [] }, visibility: 'private' })),
    ).rejects.toThrow(/Slack did not accept SLACK_BOT_TOKEN \(auth.test: invalid_auth\)/);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(0);
  });

  it('fails to start with a clear message when Slack refuses the app token', async () => {
    fake = await startFakeSlack();
    fake.queue('apps.connections.open', { body: { ok: false, error: 'invalid_auth' } });
    adapter = new SlackAdapter({
      env: { mode: 'socket', botToken: 'xoxb-socket', appToken: 'xapp-bad', apiUrl: fake.apiUrl },
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
    });
    await expect(
      adapter.start(async () => ({ message: { title: '', sections: [] }, visibility: 'private' })),
    ).rejects.toThrow(/Socket Mode did not connect: check SLACK_APP_TOKEN .*\(invalid_auth\)/);
  });

  it('says the network failed, not that the token was refused, when Slack cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there, so every connection is refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const apiUrl = `http://127.0.0.1:${port}/api/`;
    adapter = new SlackAdapter({
      env: { mode: 'socket', botToken: 'xoxb-socket', appToken: 'xapp-socket', apiUrl },
      logger: silentLogger(),
      getConfig: () => configSchema.parse({}),
      tuning: { retries: 1, minRetryMs: 10 },
    });
    const failure = adapter
      .start(async () => ({ message: { title: '', sections: [] }, visibility: 'private' }))
      .then(
        () => new Error('started'),
        (err: unknown) => err as Error,
      );
    const { message } = await failure;
    expect(message).toContain(`Could not reach Slack at ${apiUrl}: the connection was refused`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('the token was not checked');
    expect(message).not.toMatch(/did not accept/);
    adapter = undefined;
  });
});

describe('networkFailure', () => {
  it('finds the socket error under the WebClient and fetch wrappers, and nothing when Slack answered', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND slack.com'), { code: 'ENOTFOUND' });
    const wrapped = Object.assign(new Error('A request error occurred: fetch failed'), {
      original: new TypeError('fetch failed', { cause: dns }),
    });
    expect(networkFailure(wrapped)).toBe('the host name was not found in DNS (getaddrinfo ENOTFOUND slack.com)');
    expect(networkFailure(new Error('An API error occurred: invalid_auth'))).toBeUndefined();
    expect(startFailure(wrapped, undefined)).toMatch(
      /^Could not reach Slack at https:\/\/slack\.com\/api\/: the host name was not found in DNS/,
    );
  });
});
