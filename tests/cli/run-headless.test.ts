import { spawn } from 'node:child_process';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, startFeedServer, type LocalFeedServer } from '../helpers/local-feed-server.js';
import { repoRoot, shippedBriefs } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';

/**
 * `dealbot run` with no chat tokens and nobody at a terminal (stdin is /dev/null, as
 * in a container without -i or a systemd unit) keeps running headless and says so
 * once; piped commands still end the session with their input.
 */

describe('dealbot run without a chat platform or a terminal', () => {
  let feeds: LocalFeedServer;
  let configFile: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    feeds = await startFeedServer({
      routes: { '/wire.xml': { body: rss([{ guid: 'w1', title: 'Rare earths deal signed', pubDate: new Date() }]) } },
    });
    const dir = tempProject({
      'config/dealbot.yaml': stringify({
        bot: { briefs_dir: shippedBriefs },
        feeds: { defaults: { allow_private_network: true }, list: [{ id: 'wire', url: feeds.url('/wire.xml') }] },
      }),
    });
    configFile = path.join(dir, 'config', 'dealbot.yaml');
    env = { PATH: process.env.PATH, HOME: process.env.HOME, DEALBOT_DB: path.join(dir, 'data', 'dealbot.db') };
  });
  afterAll(async () => {
    await feeds.close();
  });

  function start(stdin: 'ignore' | 'pipe', args: string[] = []) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'src/cli/index.ts'), 'run', '--config', configFile, ...args],
      { cwd: repoRoot, env, stdio: [stdin, 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    return { child, exited, stderr: () => stderr };
  }

  /** Resolves once the bot has said it is running headless (starting through tsx takes a few seconds). */
  async function headlessSaid(bot: ReturnType<typeof start>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!bot.stderr().includes('running headless')) {
      if (Date.now() > deadline) throw new Error(`no headless line; stderr: ${bot.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const logLines = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string });

  it('with stdin on /dev/null: keeps running, polls, says so once in JSON, and exits 0 on SIGTERM', async () => {
    const hitsBefore = feeds.hits.get('/wire.xml') ?? 0;
    const bot = start('ignore');
    let code: number | null | undefined;
    void bot.exited.then((c) => (code = c));
    await headlessSaid(bot);
    await new Promise((r) => setTimeout(r, 2000));
    expect(code).toBeUndefined();
    expect(feeds.hits.get('/wire.xml') ?? 0).toBeGreaterThan(hitsBefore);
    const headless = logLines(bot.stderr()).filter((l) => l.msg.startsWith('no chat platform and no terminal'));
    expect(headless).toHaveLength(1);
    expect(headless[0]!.msg).toContain('running headless');
    expect(headless[0]!.msg).toMatch(/set SLACK_BOT_TOKEN .* or DISCORD_TOKEN, to answer \/deal/);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 45_000);

  it('--headless keeps running even with stdin open', async () => {
    const bot = start('pipe', ['--headless']);
    bot.child.stdin!.end();
    let code: number | null | undefined;
    void bot.exited.then((c) => (code = c));
    await headlessSaid(bot);
    await new Promise((r) => setTimeout(r, 2000));
    expect(code).toBeUndefined();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 45_000);

  it('piped commands still end the session at the end of their input, exit 0, without the headless line', async () => {
    const r = await runCli(['run', '--config', configFile], { env, input: '/deal help\n', timeoutMs: 40_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('/deal');
    expect(r.stderr).not.toContain('headless');
  }, 45_000);
});
