import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMatchQuery } from '../../src/store/sqlite/fts-text.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { story } from './story-factory.js';

let store: Store;

beforeAll(() => {
  store = openStore(':memory:');
  store.stories.upsert(
    [
      story({
        id: 'en-deal',
        title: 'Japan and US sign rare earths framework',
        summary: 'Takaichi and Trump sign a critical minerals deal in Tokyo.',
      }),
      story({
        id: 'en-tariff',
        title: 'Tariffs on Japanese cars cut to 15%',
        summary: 'The U.S. trade deal lowers tariffs.',
      }),
      story({ id: 'en-mention', title: 'Markets wrap', summary: 'Stocks rose; rare earths miners gained.' }),
      story({
        id: 'ja-deal',
        title: '日米、レアアース供給で枠組み合意',
        summary: '高市首相とトランプ大統領が重要鉱物の確保で署名した。',
        lang: 'ja',
      }),
      story({ id: 'ja-tariff', title: '日米関税合意、自動車は15%に', summary: '関税の引き下げ', lang: 'ja' }),
      story({ id: 'fullwidth', title: 'ＡＩ半導体の輸出規制', summary: '', lang: 'ja' }),
      story({ id: 'and-word', title: 'Supply AND demand for magnets', summary: 'Cobalt OR nickel NOT lithium' }),
    ],
    { seenAt: '2025-10-28T10:00:00.000Z' },
  );
});
afterAll(() => store.close());

const ids = (q: string) => store.stories.search(q, 10).map((s) => s.id);

describe('full-text search', () => {
  it('ranks title matches above summary mentions (bm25)', () => {
    expect(ids('rare earths')).toEqual(['en-deal', 'en-mention']);
  });

  it('matches English word forms (stemming) and needs every word', () => {
    expect(ids('tariff')).toContain('en-tariff');
    expect(ids('tariff magnets')).toEqual([]);
  });

  it('finds Japanese words inside unspaced sentences', () => {
    expect(ids('レアアース')).toEqual(['ja-deal']);
    expect(ids('関税')).toEqual(['ja-tariff']);
    expect(ids('日米 関税')).toEqual(['ja-tariff']);
    expect(ids('日米')).toEqual(expect.arrayContaining(['ja-deal', 'ja-tariff']));
    expect(ids('重要鉱物')).toEqual(['ja-deal']);
    expect(ids('米')).toEqual(expect.arrayContaining(['ja-deal', 'ja-tariff']));
  });

  it('folds full-width letters', () => {
    expect(ids('AI')).toEqual(['fullwidth']);
    expect(ids('ＡＩ 半導体')).toEqual(['fullwidth']);
  });

  it('never throws on query syntax: quotes, operators, stars, columns, brackets', () => {
    const hostile = [
      '"',
      '""',
      "'",
      'AND',
      'OR',
      'NOT',
      '*',
      'rare*',
      '(',
      ')',
      'NEAR(rare earths)',
      'title:rare',
      '^rare',
      '-',
      '+',
      'a"b',
      '{title summary}: x',
      ':',
      '\\',
      '%',
      '\u0000',
      '  ',
      '',
      '日米"',
      'AND OR NOT',
    ];
    for (const q of hostile) expect(() => store.stories.search(q, 10), q).not.toThrow();
    expect(ids('"')).toEqual([]);
    expect(ids('*')).toEqual([]);
  });

  it('treats operator words as plain words', () => {
    expect(ids('AND demand')).toEqual(['and-word']);
    expect(ids('cobalt OR')).toEqual(['and-word']);
    expect(ids('NOT lithium')).toEqual(['and-word']);
    expect(ids('"rare earths')).toEqual(['en-deal', 'en-mention']);
    expect(ids('title:rare')).toEqual([]); // "title rare" as a phrase: no story says that
  });

  it('respects the limit', () => {
    expect(store.stories.search('rare', 1)).toHaveLength(1);
    expect(store.stories.search('rare', 0)).toEqual([]);
  });
});

describe('toMatchQuery', () => {
  it('quotes every term and drops what is not a word', () => {
    expect(toMatchQuery('rare earths')).toBe('"rare" "earths"');
    expect(toMatchQuery('U.S. "deal"')).toBe('"U S" "deal"');
    expect(toMatchQuery('レアアース')).toBe('"レア アア アー ース"');
    expect(toMatchQuery('米')).toBe('"米"*');
    expect(toMatchQuery('* " ()')).toBeNull();
  });
});
