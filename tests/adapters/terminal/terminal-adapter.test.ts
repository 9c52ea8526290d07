import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandInvocation } from '../../../src/messages/chat-adapter.js';
import { TerminalAdapter } from '../../../src/adapters/terminal/terminal-adapter.js';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const adapter = new TerminalAdapter({ input, output, command: 'deal', prompt: false });
  return { adapter, input, read: () => text };
}

describe('terminal adapter', () => {
  it('hands each typed line to the handler as the local user and prints answers in order', async () => {
    const { adapter, input, read } = terminal();
    const seen: CommandInvocation[] = [];
    await adapter.start(async (inv) => {
      seen.push(inv);
      // The first answer is the slowest: order must still follow typing.
      await new Promise((r) => setTimeout(r, inv.text === 'one' ? 30 : 1));
      return { message: { title: `answer to ${inv.text}`, sections: [] }, visibility: 'private' };
    });
    input.end('/deal one\n\n/deal two\n');
    await adapter.closed;
    expect(seen.map((s) => s.text)).toEqual(['one', 'two']);
    expect(seen[0]).toMatchObject({
      platform: 'terminal',
      command: 'deal',
      user: { id: 'local' },
      channel: { id: 'terminal' },
    });
    expect(read().indexOf('answer to one')).toBeLessThan(read().indexOf('answer to two'));
    expect(read().indexOf('answer to one')).toBeGreaterThan(-1);
  });

  it('prints channel posts with the channel name and gives each a distinct id', async () => {
    const { adapter, read } = terminal();
    const a = await adapter.postToChannel('digest-room', {
      title: 'Morning digest',
      sections: [{ items: [{ text: 'A story' }] }],
    });
    const b = await adapter.postToChannel(
      'digest-room',
      { title: 'Evening digest', sections: [] },
      { idempotencyKey: 'd-2' },
    );
    expect(read()).toContain('[#digest-room]\nMorning digest');
    expect(read()).toContain('[#digest-room] (d-2)');
    expect(a.messageId).not.toBe(b.messageId);
  });

  it('strips terminal control sequences from feed text', async () => {
    const { adapter, read } = terminal();
    await adapter.postToChannel('x', { title: 'Evil \u001b[2J\u001b[31mtitle', sections: [] });
    expect(read()).toContain('Evil [2J[31mtitle');
    expect(read()).not.toContain('\u001b');
  });
});
