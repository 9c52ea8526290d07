import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalAdapter } from '../../../src/adapters/terminal/terminal-adapter.js';
import { readTypedLine } from '../../../src/adapters/terminal/typed-line.js';
import type { CommandInvocation } from '../../../src/messages/chat-adapter.js';
import { createTestBot, type TestBot } from '../../helpers/test-bot.js';

describe('the command word of a typed line', () => {
  it('takes the command with or without its slash, in any case, or no command word at all', () => {
    expect(readTypedLine('/deal facts us-japan', 'deal')).toEqual({ kind: 'command', text: 'facts us-japan' });
    expect(readTypedLine('deal facts', 'deal')).toEqual({ kind: 'command', text: 'facts' });
    expect(readTypedLine('Deal  facts ', 'deal')).toEqual({ kind: 'command', text: 'facts' });
    expect(readTypedLine('/DEAL', 'deal')).toEqual({ kind: 'command', text: '' });
    expect(readTypedLine('facts', 'deal')).toEqual({ kind: 'command', text: 'facts' });
    expect(readTypedLine('search deal terms', 'deal')).toEqual({ kind: 'command', text: 'search deal terms' });
    // Typed with a Japanese input method: full-width slash and letters.
    expect(readTypedLine('／ｄｅａｌ facts', 'deal')).toEqual({ kind: 'command', text: 'facts' });
  });

  it('names another command instead of running it', () => {
    expect(readTypedLine('/news facts', 'deal')).toEqual({ kind: 'other-command', name: 'news', text: 'facts' });
    expect(readTypedLine('/news', 'deal')).toEqual({ kind: 'other-command', name: 'news', text: '' });
  });
});

describe('typing in the terminal, through the real engine', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot();
  });
  afterAll(() => bot.close());

  it('answers "deal facts" typed without the slash as /deal facts', async () => {
    const text = await bot.ask('deal facts');
    expect(text).toMatch(/^Key facts — /);
    expect(text).not.toContain("I don't know");
    expect(await bot.ask('/deal facts')).toBe(text);
  });

  it('refuses another command name with a hint naming this bot’s command', async () => {
    const text = await bot.ask('/news facts');
    expect(text).toContain('This bot answers /deal, not /news');
    expect(text).toContain('Type /deal facts, or just facts.');
    expect(text).not.toContain('Key facts');
  });
});

describe('after the command name changes (config reload)', () => {
  it('follows the command the config gives now, for typed lines and the prompt', async () => {
    let command = 'deal';
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
    const seen: CommandInvocation[] = [];
    const adapter = new TerminalAdapter({ input, output, command: () => command, prompt: true, lineEditing: false });
    await adapter.start(async (inv) => {
      seen.push(inv);
      return { message: { title: `ok ${inv.text}`, sections: [] }, visibility: 'private' };
    });
    expect(printed).toBe('/deal > ');
    command = 'news';
    adapter.refreshPrompt();
    expect(printed).toContain('the command is now /news');
    expect(printed.endsWith('/news > ')).toBe(true);
    input.end('/news facts\n/deal facts\n');
    await adapter.closed;
    expect(seen).toEqual([expect.objectContaining({ command: 'news', text: 'facts' })]);
    expect(printed).toContain('This bot answers /news, not /deal');
  });
});
