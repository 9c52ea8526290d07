import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { CommandHandler } from '../../src/messages/chat-adapter.js';
import { SlackAdapter } from '../../src/adapters/slack/slack-adapter.js';
import type { SlackEnv } from '../../src/adapters/slack/slack-env.js';
import type { SlackClientTuning } from '../../src/adapters/slack/slack-client-options.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { startFakeSlack, type FakeSlack } from './fake-slack-api.js';

export const SIGNING_SECRET = 'test-signing-secret-8f2d1c';

export interface SlackHarness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  /** The receiver's endpoint, http://127.0.0.1:PORT/slack/events. */
  eventsUrl: string;
  /** Log lines the adapter wrote (pino JSON objects). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A real SlackAdapter in HTTP mode on 127.0.0.1:0, talking to a fake Slack API. */
export async function startSlackHarness(
  options: {
    handler?: CommandHandler;
    config?: Config;
    tuning?: SlackClientTuning;
    start?: boolean;
    maxLookbackMessages?: number;
  } = {},
): Promise<SlackHarness> {
  const fake = await startFakeSlack();
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  const env: SlackEnv = {
    mode: 'http',
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    port: 0,
    apiUrl: fake.apiUrl,
  };
  const config = options.config ?? configSchema.parse({});
  const adapter = new SlackAdapter({
    env,
    logger,
    getConfig: () => config,
    host: '127.0.0.1',
    tuning: { timeoutMs: 2000, minRetryMs: 10, ...options.tuning },
    ...(options.maxLookbackMessages ? { maxLookbackMessages: options.maxLookbackMessages } : {}),
  });
  if (options.start !== false)
    await adapter.start(
      options.handler ?? (async () => ({ message: { title: 'hi', sections: [] }, visibility: 'private' })),
    );
  return {
    fake,
    adapter,
    eventsUrl: `http://127.0.0.1:${adapter.address?.port ?? 0}/slack/events`,
    logs,
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}
