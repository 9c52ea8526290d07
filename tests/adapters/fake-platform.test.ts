import path from 'node:path';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdapterModule } from '../../src/adapters/adapter-module.js';
import { PLATFORMS } from '../../src/adapters/index.js';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { InvalidFileError } from '../../src/files/problems.js';
import { silentLogger } from '../../src/log/logger.js';
import { startBot, type RunningBot } from '../../src/main.js';
import type {
  ChatAdapter,
  CommandHandler,
  CommandReply,
  CommandSpec,
  PostReceipt,
} from '../../src/messages/chat-adapter.js';
import type { Message } from '../../src/messages/message.js';
import { renderText } from '../../src/render/text.js';
import { shippedBriefs } from '../helpers/paths.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * "Adding a platform is a folder and a line": a small platform ("echo") that is
 * nothing but an AdapterModule, registered beside the real ones the way
 * src/adapters/index.ts registers them. The core, the config's admins and digests,
 * and the composition root take it without a change anywhere else.
 */

class EchoAdapter implements ChatAdapter {
  readonly platform = 'echo';
  handler: CommandHandler | undefined;
  readonly posts: { channel: string; text: string }[] = [];
  constructor(readonly commands: readonly CommandSpec[]) {}
  async start(handler: CommandHandler): Promise<void> {
    this.handler = handler;
  }
  async stop(): Promise<void> {
    this.handler = undefined;
  }
  async postToChannel(channelId: string, message: Message): Promise<PostReceipt> {
    this.posts.push({ channel: channelId, text: renderText(message) });
    return { channelId, messageId: `echo-${this.posts.length}` };
  }
  ask(text: string, userId: string, roleIds: string[] = []): Promise<CommandReply> {
    return this.handler!({
      platform: 'echo',
      command: 'deal',
      text,
      user: { id: userId, roleIds },
      channel: { id: 'room' },
    });
  }
}

let started: EchoAdapter | undefined;
const echoModule: AdapterModule = {
  platform: 'echo',
  fromEnv: (deps) => (deps.env.ECHO_ON ? (started = new EchoAdapter(deps.commands)) : null),
  render: (message) => renderText(message),
  connectHint: 'Echo: set ECHO_ON=1.',
};

function project(): { configFile: string; dbFile: string } {
  const config = {
    bot: { command: 'deal', default_brief: 'us-japan-rare-earths-2025', briefs_dir: shippedBriefs },
    admins: { echo: { users: ['echo-admin'], roles: ['editors'] }, notices: { platform: 'echo', channel: 'ops' } },
    digests: [{ platform: 'echo', channel: 'room', cron: '0 9 * * *', timezone: 'UTC' }],
  };
  const dir = tempProject({ 'config/dealbot.yaml': stringify(config) });
  return { configFile: path.join(dir, 'config', 'dealbot.yaml'), dbFile: path.join(dir, 'data', 'echo.db') };
}

describe('a platform added as one module and one registry line', () => {
  let bot: RunningBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    started = undefined;
  });

  it('starts, answers /deal through the core, and is checked for admins by its own config key', async () => {
    const { configFile, dbFile } = project();
    bot = await startBot({
      configFile,
      env: { ECHO_ON: '1', DEALBOT_DB: dbFile },
      logger: silentLogger(),
      input: new PassThrough(),
      output: new PassThrough(),
      interactive: false,
      platforms: { ...PLATFORMS, echo: async () => echoModule },
    });
    expect(bot.adapters.map((a) => a.platform)).toEqual(['echo']);
    expect(bot.terminal).toBeUndefined();
    const echo = started!;
    // The adapter was handed the core's command list, not a global one.
    expect(echo.commands.map((c) => c.name)).toContain('latest');

    const facts = await echo.ask('facts', 'someone');
    expect(renderText(facts.message)).toContain('Takaichi');
    // admins.echo.users and admins.echo.roles, with no switch on platform names.
    expect((await echo.ask('feeds', 'someone')).message.title).toMatch(/is for admins/);
    expect((await echo.ask('feeds', 'echo-admin')).message.title).not.toMatch(/is for admins/);
    expect((await echo.ask('feeds', 'someone', ['editors'])).message.title).not.toMatch(/is for admins/);
  });

  it('is unknown to the config until it is registered', async () => {
    const { configFile } = project();
    const err = await loadBotFiles(configFile, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidFileError);
    const messages = (err as InvalidFileError).problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^admins\.echo: no platform called "echo"/),
        expect.stringMatching(/^digests#1\.platform: no platform called "echo"/),
        expect.stringMatching(/^admins\.notices\.platform: no platform called "echo"/),
      ]),
    );
    await expect(loadBotFiles(configFile, {}, [...Object.keys(PLATFORMS), 'echo'])).resolves.toBeTruthy();
  });

  it('suggests the platform meant when one is misspelt', async () => {
    const dir = tempProject({
      'dealbot.yaml': stringify({ bot: { briefs_dir: shippedBriefs }, admins: { slak: { users: ['U1'] } } }),
    });
    const err = (await loadBotFiles(path.join(dir, 'dealbot.yaml'), {}).catch((e: unknown) => e)) as InvalidFileError;
    expect(err.problems.map((p) => p.message).join('\n')).toMatch(/no platform called "slak"; did you mean "slack"\?/);
  });
});
