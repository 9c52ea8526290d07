import { describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import { applicationIdFromToken, DiscordEnvError, parseDiscordEnv } from '../../../src/adapters/discord/discord-env.js';
import { discordModule } from '../../../src/adapters/discord/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log/logger.js';

// A made-up token in the real shape: base64 of the application id, then two more parts.
const APP = '1100000000000000001';
const TOKEN = `${Buffer.from(APP).toString('base64url')}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB`;
const deps = (env: NodeJS.ProcessEnv) => ({
  env,
  logger: silentLogger(),
  getConfig: () => configSchema.parse({}),
  commands: [],
});

describe('Discord environment', () => {
  it('is off (null) when no DISCORD_ variable is set, or they are blank', () => {
    expect(discordModule.fromEnv(deps({}))).toBeNull();
    expect(discordModule.fromEnv(deps({ DISCORD_TOKEN: '  ', DISCORD_API_URL: '' }))).toBeNull();
  });

  it('builds the adapter from DISCORD_TOKEN, reading the application id from the token', async () => {
    const adapter = discordModule.fromEnv(deps({ DISCORD_TOKEN: `${TOKEN}\n` }));
    expect(adapter).toBeInstanceOf(DiscordAdapter);
    expect(adapter!.platform).toBe('discord');
    await adapter!.stop();
    expect(parseDiscordEnv({ DISCORD_TOKEN: TOKEN })).toEqual({ token: TOKEN, applicationId: APP, apiUrl: undefined });
    expect(
      parseDiscordEnv({
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: '1100000000000000009',
        DISCORD_API_URL: 'http://127.0.0.1:9/api',
      }),
    ).toEqual({
      token: TOKEN,
      applicationId: '1100000000000000009',
      apiUrl: 'http://127.0.0.1:9/api',
    });
  });

  it('refuses a half-set environment with a message that names what is missing', () => {
    expect(() => parseDiscordEnv({ DISCORD_APPLICATION_ID: APP })).toThrow(DiscordEnvError);
    expect(() => parseDiscordEnv({ DISCORD_APPLICATION_ID: APP })).toThrow(
      /DISCORD_APPLICATION_ID is set but DISCORD_TOKEN is not/,
    );
    expect(() => discordModule.fromEnv(deps({ DISCORD_API_URL: 'https://proxy.example/api' }))).toThrow(
      /DISCORD_API_URL is set but DISCORD_TOKEN/,
    );
  });

  it('explains malformed values without echoing the token', () => {
    const attempt = (env: NodeJS.ProcessEnv) => {
      try {
        parseDiscordEnv(env);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(attempt({ DISCORD_TOKEN: `Bot ${TOKEN}` })).toMatch(/remove the "Bot " prefix/);
    expect(attempt({ DISCORD_TOKEN: 'client-secret-value' })).toMatch(/does not look like a bot token/);
    expect(attempt({ DISCORD_TOKEN: 'client-secret-value' })).not.toContain('client-secret-value');
    expect(attempt({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: 'my-bot' })).toMatch(
      /DISCORD_APPLICATION_ID: expected a numeric id/,
    );
    expect(attempt({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'ftp://x' })).toMatch(/DISCORD_API_URL: expected an http/);
  });

  it('decodes the application id only from a token that carries one', () => {
    expect(applicationIdFromToken(TOKEN)).toBe(APP);
    expect(applicationIdFromToken('abc.def.ghi')).toBeUndefined();
  });

  describe('the HTTP interactions endpoint', () => {
    const KEY = 'AB'.repeat(32);

    it('is on with DISCORD_PUBLIC_KEY, on DISCORD_INTERACTIONS_PORT or 3001', () => {
      expect(parseDiscordEnv({ DISCORD_TOKEN: TOKEN })?.interactions).toBeUndefined();
      expect(parseDiscordEnv({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: KEY })?.interactions).toEqual({
        publicKey: KEY.toLowerCase(),
        port: 3001,
      });
      expect(
        parseDiscordEnv({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: ` ${KEY}\n`, DISCORD_INTERACTIONS_PORT: '8080' })
          ?.interactions,
      ).toEqual({ publicKey: KEY.toLowerCase(), port: 8080 });
    });

    it('says what to fix: a key that is not 64 hex characters, a port without a key, a key without a token', () => {
      expect(() => parseDiscordEnv({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: 'abc' })).toThrow(
        /DISCORD_PUBLIC_KEY: expected 64 hex characters/,
      );
      expect(() =>
        parseDiscordEnv({ DISCORD_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: KEY, DISCORD_INTERACTIONS_PORT: '70000' }),
      ).toThrow(/DISCORD_INTERACTIONS_PORT: expected a port number up to 65535/);
      expect(() => parseDiscordEnv({ DISCORD_TOKEN: TOKEN, DISCORD_INTERACTIONS_PORT: '3001' })).toThrow(
        /DISCORD_INTERACTIONS_PORT is set but DISCORD_PUBLIC_KEY is not/,
      );
      expect(() => parseDiscordEnv({ DISCORD_PUBLIC_KEY: KEY })).toThrow(
        /DISCORD_PUBLIC_KEY is set but DISCORD_TOKEN is not/,
      );
    });
  });
});
