import { describe, expect, it } from 'vitest';
import { countItems, type Message, type MessageItem } from '../../../src/messages/message.js';
import {
  renderSlackMessage,
  renderSlackReply,
  SLACK_LIMITS,
  type SlackBlock,
} from '../../../src/adapters/slack/slack-blocks.js';
import { BriefRegistry } from '../../../src/briefs/brief-registry.js';
import { loadBriefs } from '../../../src/briefs/load-briefs.js';
import { SECTION_TITLES, sectionMessage } from '../../../src/briefs/brief-message.js';
import { escapeSlack } from '../../../src/adapters/slack/slack-escape.js';
import { shippedBriefs } from '../../helpers/paths.js';

/** Every text string in the blocks, to check escaping and limits. */
function texts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'header' || b.type === 'section'
      ? [b.text.text]
      : b.type === 'context'
        ? b.elements.map((e) => e.text)
        : [],
  );
}

/** The `<…>` sequences Slack would act on: each must be a link we made from an http(s) URL. */
function controlSequences(s: string): string[] {
  return [...s.matchAll(/<([^>]*)>/g)].map((m) => m[1]!);
}

const hostile = '<!channel> <!here> <@U123> <#C123> <https://evil.example|click me> & &lt;!everyone&gt;';

describe('Slack Block Kit renderer', () => {
  it('renders a brief answer: header, one section per item, citations and marks as context, sources with links, footer', async () => {
    const briefs = new BriefRegistry(await loadBriefs(shippedBriefs), 'us-japan-rare-earths-2025');
    const message = sectionMessage(briefs.default, 'facts');
    const { text, blocks } = renderSlackMessage(message);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.title } });
    const items = message.sections[0]!.items;
    const sections = blocks.filter((b) => b.type === 'section');
    expect(sections).toHaveLength(items.length);
    expect(sections[0]!.type === 'section' && sections[0]!.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
    const all = texts(blocks).join('\n');
    expect(all).toContain('[1][2]');
    expect(all).toContain('_one source_');
    expect(all).toContain("_editor's note:_");
    expect(all).toContain('*Sources*');
    expect(all).toContain(message.footer!);
    expect(text.split('\n')[0]).toBe(message.title);
    expect(JSON.stringify(blocks).length).toBeLessThan(SLACK_LIMITS.blocksJson);
  });

  it('carries every item of every brief section, whole, with its citations', async () => {
    const briefs = new BriefRegistry(await loadBriefs(shippedBriefs), 'us-japan-rare-earths-2025');
    for (const name of Object.keys(SECTION_TITLES) as (keyof typeof SECTION_TITLES)[]) {
      const message = sectionMessage(briefs.default, name);
      const { blocks } = renderSlackMessage(message);
      const all = texts(blocks).join('\n');
      expect(all, name).not.toContain('… and ');
      for (const item of message.sections.flatMap((s) => s.items)) {
        expect(all, name).toContain(escapeSlack(item.text.trim()));
        if (item.citations?.length) expect(all, name).toContain(item.citations.map((n) => `[${n}]`).join(''));
      }
    }
  });

  it('escapes every piece of feed or brief text, so nothing pings or forms a link', () => {
    const item: MessageItem = {
      label: hostile,
      text: hostile,
      attribution: hostile,
      note: hostile,
      meta: hostile,
      url: 'https://news.example/story?a=1&b=2|<!channel>',
      citations: [1],
      marks: ['disputed', 'editor-note'],
    };
    const message: Message = {
      title: hostile,
      intro: hostile,
      sections: [
        {
          heading: hostile,
          items: [item, { text: hostile, url: 'javascript:alert(1)' }],
          more: { count: 3, hint: hostile },
        },
      ],
      sources: [{ n: 1, label: hostile, note: hostile, url: 'https://source.example/<!here>' }],
      footer: hostile,
    };
    const payload = renderSlackReply(message, 'private');
    const strings = [payload.text, ...texts(payload.blocks)];
    for (const s of strings) {
      for (const seq of controlSequences(s)) {
        // Only our own links survive, and their URL part has no markup of its own.
        expect(seq).toMatch(/^https:\/\/(news|source)\.example\/[^|<>\s]*\|[^<>]*$/);
        expect(seq).not.toMatch(/^[!@#]/);
      }
      expect(s).not.toMatch(/<[!@#]/);
      // Every & left is one of our three entities.
      expect(s).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const joined = strings.join('\n');
    expect(joined).toContain('&lt;!channel&gt;');
    expect(joined).toContain('&lt;@U123&gt;');
    expect(joined).toContain('<https://news.example/story?a=1&amp;b=2%7C%3C!channel%3E|');
    expect(joined).not.toContain('javascript:alert(1)|');
    expect(payload.text).not.toContain('<');
  });

  it('keeps a 200-item answer inside Slack limits, cut between items, and says how many more', () => {
    const items: MessageItem[] = Array.from({ length: 200 }, (_, i) => ({
      label: `2025-10-${String((i % 28) + 1).padStart(2, '0')}`,
      text: `Story number ${i + 1}: ${'a very long headline about rare earths & tariffs '.repeat(8)}`,
      citations: [i + 1],
      meta: `Outlet ${i} · ${i}h ago`,
      url: `https://news.example/${i}`,
    }));
    const message: Message = {
      title: 'Everything',
      sections: [{ heading: 'Stories', items }],
      sources: items.map((_, i) => ({
        n: i + 1,
        label: `Outlet ${i} — Story ${i + 1}`,
        url: `https://news.example/${i}`,
      })),
      footer: 'footer',
    };
    const { blocks, text } = renderSlackMessage(message, { command: 'deal' });
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksJson);
    for (const b of blocks) {
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
      if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.type === 'context')
        for (const e of b.elements) expect(e.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
    }
    const shown = blocks.filter((b) => b.type === 'section' && b.text.text.startsWith('• '));
    const more = texts(blocks).find((t) => t.startsWith('… and '));
    expect(more).toBeDefined();
    // With no hint in the message, the line says why the rest is missing instead of pointing at /deal help.
    const n = Number(/… and (\d+) more — the rest did not fit in one Slack message$/.exec(more!)?.[1]);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length + n).toBe(countItems(message));
    // Each shown item is whole: its link is closed and its text not cut.
    for (const b of shown)
      if (b.type === 'section')
        expect(b.text.text).toMatch(/^• \*[^*]+\*: <https:\/\/news\.example\/\d+\|Story number \d+: [^<>]+>$/);
    // Sources cited only by cut items are left out with them.
    const sources = texts(blocks).find((t) => t.startsWith('*Sources*'))!;
    expect(sources.split('\n')).toHaveLength(shown.length + 1);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(text).toMatch(/… and \d+ more$/);
  });

  it('cuts one huge item inside the section limit without splitting an entity', () => {
    const huge = '&<>'.repeat(5000);
    const longUrl = `https://news.example/?${'a=1&'.repeat(150)}`;
    const message: Message = {
      title: 'x'.repeat(400),
      sections: [
        {
          items: [
            { text: huge, note: '&'.repeat(5000) },
            { label: huge, attribution: huge, text: huge, note: huge, meta: huge, url: longUrl, citations: [1, 2, 3] },
          ],
        },
      ],
    };
    const { blocks } = renderSlackMessage(message);
    const header = blocks[0]!;
    expect(header.type === 'header' && header.text.text.length).toBe(SLACK_LIMITS.headerText);
    for (const t of texts(blocks)) {
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(texts(blocks)[1]).toMatch(/…\n(&amp;)+…$/);
    // Every part of the second item is cut to its share; its URL (over 800 characters escaped) stays text.
    const second = texts(blocks)[2]!;
    expect(second.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(second).toMatch(/^• \*(&amp;&lt;&gt;)+…\*: (&amp;&lt;&gt;)+…: /);
    expect(second).not.toContain('https://');

    // The worst case that still links: every part at its cap and a URL just under 800 characters.
    const linked = renderSlackMessage({
      title: 't',
      sections: [
        {
          items: [
            { label: huge, attribution: huge, text: huge, note: huge, url: `https://news.example/${'b'.repeat(770)}` },
          ],
        },
      ],
    });
    const worst = texts(linked.blocks)[1]!;
    expect(worst).toContain('<https://news.example/bbb');
    expect(worst.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  });

  it("shows a section's own 'more' line with its hint, and marks warnings in the header", () => {
    const message: Message = {
      title: 'Latest',
      tone: 'warning',
      sections: [{ items: [{ text: 'one' }], more: { count: 4, hint: '/deal latest 10' } }],
    };
    const { blocks } = renderSlackMessage(message);
    expect(texts(blocks)).toContain('… and 4 more — /deal latest 10');
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '⚠️ Latest' } });
  });

  it('answers privately unless the reply is for the channel', () => {
    const message: Message = { title: 't', sections: [] };
    expect(renderSlackReply(message, 'private').response_type).toBe('ephemeral');
    expect(renderSlackReply(message, 'channel').response_type).toBe('in_channel');
  });
});
