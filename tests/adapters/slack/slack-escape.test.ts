import { describe, expect, it } from 'vitest';
import { escapeInline, escapeSlack, fitEscaped, safeUrl, slackLink } from '../../../src/adapters/slack/slack-escape.js';

describe('slack escaping', () => {
  it('escapes &, < and > so mentions and links stay text', () => {
    expect(escapeSlack('<!channel> & <@U123> <https://evil.example|click>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil.example|click&gt;',
    );
    // An entity in the source is shown as typed, not decoded into a control sequence.
    expect(escapeSlack('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });

  it('drops control and bidi characters, and keeps inline text on one line', () => {
    expect(escapeSlack('a\u202eb\u0007c\nd')).toBe('abc\nd');
    expect(escapeInline('  two\n lines\tand tabs ')).toBe('two lines and tabs');
  });

  it('cuts on the raw text so an entity is never split, and says so with …', () => {
    const cut = fitEscaped('&&&&&&&&&&', 12);
    expect(cut.length).toBeLessThanOrEqual(12);
    expect(cut).toBe('&amp;&amp;…');
    expect(fitEscaped('short', 12)).toBe('short');
    // A surrogate pair (emoji) is kept whole.
    expect(fitEscaped('😀😀😀😀', 4)).toBe('😀…');
  });

  it('links only http(s) URLs, with nothing that could end the link early', () => {
    expect(slackLink('https://example.com/a?b=1&c=2', 'label')).toBe('<https://example.com/a?b=1&amp;c=2|label>');
    expect(safeUrl('https://example.com/x|<!channel>')).toBe('https://example.com/x%7C%3C!channel%3E');
    expect(slackLink('javascript:alert(1)', 'label')).toBe('label');
    expect(slackLink('slack://channel?id=C1', 'label')).toBe('label');
    expect(slackLink('not a url', 'label')).toBe('label');
  });
});
