import { describe, expect, it } from 'vitest';
import { renderDiscordMessage } from '../../src/adapters/discord/discord-embeds.js';
import { renderSlackMessage } from '../../src/adapters/slack/slack-blocks.js';
import type { Message } from '../../src/messages/message.js';
import { renderText } from '../../src/render/text.js';
import { CONTROL_CLASS, stripControls } from '../../src/render/untrusted-text.js';

/**
 * Every character of the shared set except whitespace (tab, vertical tab, form feed,
 * carriage return), which Slack's one-line fields turn into a space rather than drop.
 */
const controls = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter(
  (ch) => new RegExp(`[${CONTROL_CLASS}]`).test(ch) && !/\s/.test(ch),
);

describe('untrusted text rules shared by every renderer', () => {
  it('covers C0 and C1 controls, bidi marks, embeddings, overrides and isolates, but not newline', () => {
    for (const ch of [
      '\u0000',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u200e',
      '\u200f',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
    ]) {
      expect(controls).toContain(ch);
    }
    expect(stripControls('a\tb\nc\u202ed')).toBe('ab\ncd');
  });

  it('the text, Slack and Discord renderers strip the same control and bidi characters from a title', () => {
    const words = ['Tariff', 'deal', 'signed', 'in', 'Tokyo'];
    // Spread the controls through the words, so each renderer sees them mid-word too.
    const hostile =
      words.map((w, i) => controls.filter((_, k) => k % words.length === i).join('') + w).join(' ') + controls.join('');
    const clean = words.join(' ');
    const message: Message = { title: hostile, sections: [{ items: [{ text: 'An item.' }] }] };

    expect(renderText(message).split('\n')[0]).toBe(clean);

    const slack = renderSlackMessage(message);
    expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: clean } });
    expect(slack.text.split('\n')[0]).toBe(clean);

    expect(renderDiscordMessage(message, { visibility: 'channel' }).embeds[0]!.title).toBe(clean);
  });
});
