import { describe, expect, it } from 'vitest';
import { slackModule, SlackAdapter } from '../../../src/adapters/slack/index.js';
import { parseSlackEnv, SlackEnvError } from '../../../src/adapters/slack/slack-env.js';
import { isSafeToRetry } from '../../../src/adapters/slack/slack-client-options.js';
import { webApi } from '@slack/bolt';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log/logger.js';

describe('Slack environment', () => {
  it('is off without SLACK_BOT_TOKEN', () => {
    expect(parseSlackEnv({})).toBeNull();
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: '' })).toBeNull();
  });

  it('uses Socket Mode when the app token is set, even with a signing secret', () => {
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' })).toEqual({
      mode: 'socket',
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
    });
  });

  it('uses HTTP mode with a signing secret and no app token, on SLACK_PORT or 3000', () => {
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: '' })).toEqual({
      mode: 'http',
      botToken: 'xoxb-1',
      signingSecret: 's',
      port: 3000,
    });
    expect(parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '8080' })).toMatchObject({
      port: 8080,
    });
  });

  it('takes SLACK_API_URL and ends it with a slash', () => {
    expect(
      parseSlackEnv({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
      }),
    ).toMatchObject({ apiUrl: 'http://127.0.0.1:9999/api/' });
  });

  it('refuses a half-set environment with a message saying what to set', () => {
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /set SLACK_APP_TOKEN .* or SLACK_SIGNING_SECRET/,
    );
    expect(() => parseSlackEnv({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(
      /SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not/,
    );
    expect(() => parseSlackEnv({ SLACK_SIGNING_SECRET: 's' })).toThrow(SlackEnvError);
  });

  it('names each invalid variable', () => {
    let message = '';
    try {
      parseSlackEnv({
        SLACK_BOT_TOKEN: 'xoxp-user-token',
        SLACK_APP_TOKEN: 'xoxb-wrong',
        SLACK_PORT: '70000',
        SLACK_API_URL: 'ftp://x',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of [
      'SLACK_BOT_TOKEN: must be a bot token',
      'SLACK_APP_TOKEN: must be an app-level token',
      'SLACK_PORT',
      'SLACK_API_URL',
    ])
      expect(message).toContain(name);
  });

  it('gives the adapter module an adapter only when Slack is configured', () => {
    const deps = { logger: silentLogger(), getConfig: () => configSchema.parse({}), commands: [] };
    expect(slackModule.fromEnv({ ...deps, env: {} })).toBeNull();
    expect(
      slackModule.fromEnv({
        ...deps,
        env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'http://127.0.0.1:9/api/' },
      }),
    ).toBeInstanceOf(SlackAdapter);
    expect(() => slackModule.fromEnv({ ...deps, env: { SLACK_BOT_TOKEN: 'xoxb-1' } })).toThrow(SlackEnvError);
  });
});

describe('which failed Slack calls are retried', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  it('retries a 429 after its wait, and a connection that never opened', () => {
    expect(
      isSafeToRetry(new webApi.WebAPIRequestError(new Error('A rate limit was exceeded (url: x, retry-after: 1)'))),
    ).toBe(true);
    expect(isSafeToRetry(new webApi.WebAPIRequestError(new TypeError('fetch failed', { cause: refused })))).toBe(true);
  });

  it('does not retry what Slack may have acted on: a 5xx or a timeout', () => {
    expect(isSafeToRetry(new webApi.WebAPIHTTPError(500, 'Internal Server Error', {}, ''))).toBe(false);
    expect(
      isSafeToRetry(
        new webApi.WebAPIRequestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      ),
    ).toBe(false);
    expect(
      isSafeToRetry(new webApi.WebAPIRequestError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))),
    ).toBe(false);
  });
});
