import { describe, expect, it } from 'vitest';
import {
  DISCORD_LIMITS,
  embedsSize,
  renderDiscordMessage,
  type DiscordPayload,
} from '../../../src/adapters/discord/discord-embeds.js';
import { discordModule } from '../../../src/adapters/discord/index.js';
import type { Message, MessageItem } from '../../../src/messages/message.js';
import { renderText } from '../../../src/render/text.js';
import { createTestBot } from '../../helpers/test-bot.js';

/** Every limit Discord documents for the embeds of one message. */
function expectWithinLimits(payload: DiscordPayload): void {
  expect(payload.embeds.length).toBeGreaterThan(0);
  expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  expect(embedsSize(payload.embeds)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
  for (const e of payload.embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
  }
  expect(payload.allowed_mentions).toEqual({ parse: [], replied_user: false });
}

const allText = (p: DiscordPayload) =>
  p.embeds.map((e) => [e.title, e.description, e.footer?.text].filter(Boolean).join('\n')).join('\n');

/** The bullet lines of either renderer, reduced to their words: formatting and escapes removed. */
function itemLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trimStart().startsWith('• '))
    .map((l) =>
      l
        .trim()
        .replace(/(?<!\\)\*/g, '') // bold/italic markers (escaped asterisks stay)
        .replace(/\\(.)/g, '$1') // markdown escapes
        .replace(/\u200b/g, ''),
    );
}

const storyItems = (n: number): MessageItem[] =>
  Array.from({ length: n }, (_, i) => ({
    text: `Story ${i + 1}: Japan and the US agree on rare-earth processing hubs, officials say after talks`,
    meta: `Reuters · ${i + 1}h ago`,
    url: `https://example.com/news/${i + 1}`,
    citations: [(i % 3) + 1],
  }));

describe('Discord embeds', () => {
  it('fits a 200-item message within 6,000 characters and says how many were left out', () => {
    const message: Message = {
      title: 'Latest stories',
      intro: 'What the feeds said today.',
      sections: [{ heading: 'Stories', items: storyItems(200) }],
      sources: [1, 2, 3].map((n) => ({ n, label: `Outlet ${n} — Article ${n}`, url: `https://example.com/${n}` })),
      footer: 'As of today',
    };
    const payload = renderDiscordMessage(message, { visibility: 'channel' });
    expectWithinLimits(payload);
    const shown = itemLines(allText(payload)).length;
    expect(shown).toBeGreaterThan(10);
    expect(allText(payload)).toContain(`… and ${200 - shown} more`);
    // Cut at an item boundary: the last item shown is whole (its meta line follows it).
    expect(allText(payload)).toContain(`Story ${shown}: Japan`);
    expect(allText(payload)).toContain(`Reuters · ${shown}h ago`);
    expect(allText(payload)).not.toContain(`Story ${shown + 1}:`);
    // The sources cited by the items shown are listed.
    expect(payload.embeds.some((e) => e.title === 'Sources' && e.description?.includes('Outlet 3'))).toBe(true);
  });

  it('keeps every limit for huge single parts, and renders them quickly (a feed cannot stall the bot)', () => {
    const huge = 'x_*'.repeat(100_000);
    const started = performance.now();
    const payload = renderDiscordMessage(
      {
        title: huge,
        intro: huge,
        sections: [{ items: [{ text: huge, note: huge, meta: huge, label: huge }] }],
        footer: huge,
      },
      { visibility: 'private' },
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expectWithinLimits(payload);
    expect(payload.flags).toBe(64);
  });

  it('adds the model\'s own "and N more" hint and counts it with a cut', () => {
    const payload = renderDiscordMessage(
      { title: 'Facts', sections: [{ items: storyItems(2), more: { count: 5, hint: 'ask /deal latest 10' } }] },
      { visibility: 'private' },
    );
    expect(allText(payload)).toContain('… and 5 more — ask /deal latest 10');
    const cut = renderDiscordMessage(
      { title: 'Facts', sections: [{ items: storyItems(200), more: { count: 5, hint: 'ask /deal latest 10' } }] },
      { visibility: 'private' },
    );
    const shown = itemLines(allText(cut)).length;
    expect(allText(cut)).toContain(`… and ${200 - shown + 5} more — ask /deal latest 10`);
  });

  describe('injection from feed or brief text', () => {
    const evil: Message = {
      title: '@everyone look',
      sections: [
        {
          items: [
            { text: '@everyone @here <@&123456789012345678> <@123456789012345678> <#123456789012345678> ping' },
            { text: 'Read [this totally safe page](https://evil.example/phish) now' },
            { text: '**bold** __underline__ ~~strike~~ ||spoiler|| `code` ```block```' },
            { text: '# Heading\n> quote\n- list\n1. numbered\n-# subtext' },
            { text: 'link <https://evil.example> and \\[escaped](https://x.example)' },
          ],
        },
      ],
    };
    const payload = renderDiscordMessage(evil, { visibility: 'channel' });
    const text = allText(payload);

    it('pings no one: allowed_mentions parses nothing and @everyone/@here are broken', () => {
      expect(payload.allowed_mentions.parse).toEqual([]);
      expect(text).not.toMatch(/@everyone|@here/);
      expect(text).toContain('@\u200beveryone');
      // Mentions are escaped, so they do not even render as mentions.
      expect(text).not.toMatch(/(?<!\\)<@/);
      expect(text).not.toMatch(/(?<!\\)<#/);
    });

    it('forms no masked link and no markdown', () => {
      expect(text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\((?!\\)/);
      expect(text).toContain('\\[this totally safe page\\]\\(https://evil.example/phish\\)');
      expect(text).toContain('\\*\\*bold\\*\\*');
      expect(text).toContain('\\_\\_underline\\_\\_');
      expect(text).toContain('\\|\\|spoiler\\|\\|');
      expect(text).toContain('\\`code\\`');
      // A backslash in the feed is itself escaped, so it cannot un-escape our bracket.
      expect(text).toContain('\\\\\\[escaped\\]');
    });

    it('escapes line-start markdown: headings, quotes, lists, subtext', () => {
      expect(text).toContain('\\# Heading');
      expect(text).toContain('\\> quote');
      expect(text).toContain('\\- list');
      expect(text).toContain('1\\. numbered');
      expect(text).toContain('\\-# subtext');
    });

    it('shows item URLs as <links> that cannot be closed early', () => {
      const p = renderDiscordMessage(
        {
          title: 't',
          sections: [
            {
              items: [
                { text: 'a', url: 'https://example.com/a b>c' },
                { text: 'b', url: 'javascript:alert(1)' },
              ],
            },
          ],
        },
        { visibility: 'channel' },
      );
      const t = allText(p);
      expect(t).toContain('<https://example.com/a%20b%3Ec>');
      expect(t).not.toContain('<javascript:');
    });
  });

  it('carries the same content items as the terminal renderer (snapshot of a real answer)', async () => {
    const bot = await createTestBot();
    try {
      for (const command of [
        '/deal facts',
        '/deal reactions',
        '/deal faq',
        '/deal timeline',
        '/deal sources',
        '/deal help',
      ]) {
        const { message } = await bot.reply(command);
        const terminal = itemLines(renderText(message));
        const discord = itemLines(allText(renderDiscordMessage(message, { visibility: 'private' })));
        expect(terminal.length, command).toBeGreaterThan(0);
        expect(discord, command).toEqual(terminal);
      }
    } finally {
      await bot.close();
    }
  });

  it('is what the adapter module renders for `dealbot ask --render discord`', () => {
    const message: Message = { title: 'Hi', sections: [{ items: [{ text: 'one' }] }], tone: 'warning' };
    expect(discordModule.render(message, { visibility: 'channel' })).toEqual(
      renderDiscordMessage(message, { visibility: 'channel' }),
    );
    const payload = discordModule.render(message, { visibility: 'private' }) as DiscordPayload;
    expect(payload).toMatchObject({
      content: '',
      allowed_mentions: { parse: [] },
      flags: 64,
      embeds: [{ title: 'Hi', color: 0xfee75c }],
    });
  });
});
