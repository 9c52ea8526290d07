import { describe, expect, it } from 'vitest';
import { hasCjk, normalizeText, stem, tokenize } from '../../src/matching/normalize-text.js';

describe('normalizeText', () => {
  it('applies NFKC: full-width Latin, full-width spaces and half-width katakana', () => {
    expect(normalizeText('Ｔｏｋｙｏ　ＵＳ')).toBe('Tokyo US');
    expect(normalizeText('ﾚｱｱｰｽ')).toBe('レアアース');
  });

  it('joins dotted acronyms, with or without the final dot', () => {
    expect(normalizeText('U.S.-Japan deal')).toBe('US-Japan deal');
    expect(normalizeText('U.S tariffs')).toBe('US tariffs');
  });

  it('unifies curly quotes and drops possessives', () => {
    expect(normalizeText('Japan’s Takaichi')).toBe('Japan Takaichi');
    expect(normalizeText('Kiehl\u2019s \u201cRare Earth\u201d')).toBe('Kiehl "Rare Earth"');
  });

  it('keeps the katakana prolonged sound mark while unifying dashes', () => {
    expect(normalizeText('US\u2013Japan レアアース')).toBe('US-Japan レアアース');
  });
});

describe('tokenize', () => {
  it('stems plurals the same way for terms and text', () => {
    expect(tokenize('Rare-Earths tariffs supplies').map((t) => t.key)).toEqual(['rare', 'earth', 'tariff', 'supply']);
    expect(stem('us')).toBe('us');
    expect(stem('glass')).toBe('glass');
  });

  it('marks short all-caps words as acronyms, so "US" differs from "us"', () => {
    const [a, b] = tokenize('US join us');
    expect(a).toMatchObject({ key: 'us', caps: true });
    expect(tokenize('join us')[1]).toMatchObject({ key: 'us', caps: false });
    expect(b?.caps).toBe(false);
  });

  it('skips CJK runs, which are matched as substrings instead', () => {
    expect(tokenize('日米がUSスチールで合意').map((t) => t.key)).toEqual(['us']);
    expect(hasCjk('日米')).toBe(true);
    expect(hasCjk('Japan')).toBe(false);
  });
});
