import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TerminalLog } from '../../../src/adapters/terminal/terminal-log.js';
import { createLogger } from '../../../src/log/logger.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { shippedBriefs } from '../../helpers/paths.js';
import { tempProject } from '../../helpers/test-bot.js';

/**
 * The bot as `dealbot run` starts it in a person's terminal: a TTY-like input
 * (readline's terminal mode, so the prompt is redrawn with escape codes), the
 * log going through TerminalLog, the config reloaded while the prompt waits.
 */

// eslint-disable-next-line no-control-regex -- escape codes are what this removes
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const plain = (text: string) => text.replace(ANSI, '');

function config(command: string, extra: Record<string, unknown> = {}) {
  return stringify({
    bot: { command, default_brief: 'us-japan-rare-earths-2025', briefs_dir: shippedBriefs, ...extra },
    admins: { terminal: { users: ['local'] } },
  });
}

let bot: RunningBot | undefined;
let dir: string | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

async function session() {
  dir = tempProject({ 'config/dealbot.yaml': config('deal') });
  const configFile = path.join(dir, 'config', 'dealbot.yaml');
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (d: Buffer) => (errors += d.toString('utf8')));
  const terminalLog = new TerminalLog(stderr);
  bot = await startBot({
    configFile,
    env: { DEALBOT_DB: path.join(dir, 'data', 'bot.db') },
    logger: createLogger({ level: 'warn', destination: terminalLog }),
    input,
    output,
    interactive: true,
    terminalLog,
  });
  await until('the first prompt', () => plain(printed).endsWith('/deal > '));
  let mark = 0;
  return {
    configFile,
    input,
    /** What was printed since the last call, escape codes removed. */
    since() {
      const out = plain(printed.slice(mark));
      mark = printed.length;
      return out;
    },
    printed: () => plain(printed),
    errors: () => errors,
  };
}

describe('the bot in a terminal', () => {
  it('prints a refused reload once, as text above a fresh prompt, not JSON in the middle of it', async () => {
    const s = await session();
    s.since();
    writeFileSync(s.configFile, config('deal').replace('command: deal', 'comand: deal'));
    expect(await bot!.files.reload()).toBe(false);
    const shown = s.since();
    expect(shown).toContain('error: reload refused: still running the last good config and briefs');
    expect(shown.split('unknown key "comand"')).toHaveLength(2);
    expect(shown).toMatch(/\n {2}1 problem found:\n {4}.*dealbot\.yaml:\d+:\d+: bot: unknown key "comand"/);
    expect(shown).not.toContain('{"level"');
    expect(shown.endsWith('/deal > ')).toBe(true);
    expect(s.errors()).toBe('');
  });

  it('shows the new command in the prompt after a reload changes bot.command, and answers to it', async () => {
    const s = await session();
    s.since();
    writeFileSync(s.configFile, config('news'));
    expect(await bot!.files.reload()).toBe(true);
    const shown = s.since();
    expect(shown).toContain('the command is now /news');
    expect(shown.endsWith('/news > ')).toBe(true);
    s.input.write('news facts\r');
    await until('the answer', () => s.printed().includes('Key facts'));
    await until('the prompt after it', () => s.printed().endsWith('/news > '));
  });

  it('follows a digest (any channel post) with a fresh prompt, keeping what was being typed', async () => {
    const s = await session();
    for (const key of 'fac') {
      s.input.write(key);
      await new Promise((r) => setTimeout(r, 1));
    }
    s.since();
    await bot!.terminal!.postToChannel('newsroom', {
      title: 'Morning digest',
      sections: [{ items: [{ text: 'Japan and US sign rare earths framework' }] }],
    });
    const shown = s.since();
    expect(shown).toContain('[#newsroom]\nMorning digest');
    expect(shown.endsWith('/deal > fac')).toBe(true);
    s.input.write('ts\r');
    await until('the answer', () => s.printed().includes('Key facts'));
  });
});
