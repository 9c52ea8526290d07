import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/display-width.js';
import { renderText } from '../../src/render/text.js';

describe('display width', () => {
  it('counts East Asian Wide and Fullwidth characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日米合意')).toBe(8);
    expect(displayWidth('レアアース')).toBe(10);
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('ＡＢ')).toBe(4); // fullwidth Latin
    expect(displayWidth('ｱｲ')).toBe(2); // halfwidth katakana
    expect(displayWidth('日米、合意。')).toBe(12); // ideographic punctuation
    expect(displayWidth('US–Japan 日米')).toBe(13);
  });

  it('counts combining marks and format characters as nothing, and an emoji sequence once', () => {
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('a\u200bb')).toBe(2);
    expect(displayWidth('🇯🇵')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
    expect(displayWidth('✔')).toBe(1); // text presentation
    expect(displayWidth('✔️')).toBe(2); // with the emoji variation selector
  });
});

describe('text headings', () => {
  it('underlines Japanese titles and section headings by display width, not string length', () => {
    const text = renderText({
      title: '日米レアアース合意',
      sections: [{ heading: '各国の反応 (reactions)', items: [{ text: 'x' }] }],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('日米レアアース合意');
    expect(lines[1]).toBe('='.repeat(18));
    const at = lines.indexOf('各国の反応 (reactions)');
    expect(lines[at + 1]).toBe('-'.repeat(22));
  });

  it('still caps an underline at 72 columns', () => {
    const text = renderText({ title: '合'.repeat(50), sections: [] });
    expect(text.split('\n')[1]).toBe('='.repeat(72));
  });
});
