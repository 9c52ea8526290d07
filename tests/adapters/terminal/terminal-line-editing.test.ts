import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalAdapter, type TerminalAdapterOptions } from '../../../src/adapters/terminal/terminal-adapter.js';
import type { CommandHandler } from '../../../src/messages/chat-adapter.js';

/**
 * Line editing works on any stream readline is given in terminal mode, so these
 * tests type keys as a terminal sends them (ESC [ A for the up arrow, Ctrl-A as
 * \x01, Enter as \r), one key at a time as a person types (readline reads a chunk
 * of several characters as a paste), into a PassThrough, and read what the bot received.
 */

const UP = '\x1b[A';
const CTRL_A = '\x01';
const CTRL_E = '\x05';
const LEFT = '\x1b[D';

let open: TerminalAdapter | undefined;
afterEach(async () => {
  await open?.stop();
  open = undefined;
});

async function session(options: Partial<TerminalAdapterOptions> & { input?: PassThrough } = {}) {
  const input = options.input ?? new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
  const texts: string[] = [];
  const handler: CommandHandler = async (inv) => {
    texts.push(inv.text);
    return { message: { title: `answer ${texts.length}: ${inv.text}`, sections: [] }, visibility: 'private' };
  };
  const adapter = new TerminalAdapter({ input, output, command: 'deal', prompt: true, ...options });
  open = adapter;
  await adapter.start(handler);
  /** Types the keys one at a time, then waits for the bot's n-th answer. */
  const type = async (keys: string[], answers: number) => {
    for (const key of keys) {
      input.write(key);
      await new Promise((r) => setTimeout(r, 1));
    }
    for (let i = 0; i < 500 && texts.length < answers; i++) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 10));
  };
  return { input, texts, type, printed: () => printed };
}

describe('terminal line editing', () => {
  it('recalls the previous command with the up arrow', async () => {
    const s = await session({ lineEditing: true });
    await s.type([...'/deal facts', '\r'], 1);
    await s.type([...'/deal timeline', '\r'], 2);
    await s.type([UP, UP, '\r'], 3);
    await s.type([UP, '\r'], 4);
    expect(s.texts).toEqual(['facts', 'timeline', 'facts', 'facts']);
    // Nothing of the escape sequence reached the bot or was echoed as text.
    expect(s.printed()).not.toContain('[A');
  });

  it('edits the line with Ctrl-A, Ctrl-E and the arrows', async () => {
    const s = await session({ lineEditing: true });
    await s.type([...'acts', CTRL_A, ...'/deal f', CTRL_E, ...' s', LEFT, 'u', '\r'], 1);
    expect(s.texts).toEqual(['facts us']);
  });

  it('is on by default when the input is a TTY', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const s = await session({ input });
    await s.type([...'/deal facts', '\r'], 1);
    await s.type([UP, '\r'], 2);
    expect(s.texts).toEqual(['facts', 'facts']);
  });

  it('reads piped input as plain lines: no prompt, no echo, keys are text', async () => {
    const s = await session({ prompt: false });
    await s.type(['/deal facts\n'], 1);
    await s.type([`${UP}\n`], 2);
    expect(s.texts).toEqual(['facts', UP]);
    expect(s.printed()).not.toContain('/deal >');
    expect(s.printed()).not.toContain('/deal facts');
  });
});
