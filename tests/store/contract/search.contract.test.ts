import { beforeEach, describe, expect, it } from 'vitest';
import { SEARCH_CANDIDATES } from '../../../src/store/store.js';
import { story } from '../story-factory.js';
import { forEachEngine } from './engines.js';

// What search answers, on every engine: the same stories give the same answers.
forEachEngine('search', (store) => {
  beforeEach(async () => {
    await store().stories.upsert(
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
        story({ id: 'accent', title: 'Café owners protest', summary: '' }),
      ],
      { seenAt: '2025-10-28T10:00:00.000Z' },
    );
  });

  const ids = async (q: string) => (await store().stories.search(q, 10)).map((s) => s.id);

  describe('full-text search', () => {
    it('ranks title matches above summary mentions', async () => {
      expect(await ids('rare earths')).toEqual(['en-deal', 'en-mention']);
    });

    it('matches English word forms (stemming) and needs every word', async () => {
      expect(await ids('tariff')).toEqual(['en-tariff']);
      expect(await ids('tariffs')).toEqual(['en-tariff']);
      expect(await ids('tariff magnets')).toEqual([]);
      expect(await ids('U.S. trade')).toEqual(['en-tariff']);
      expect(await ids('15%')).toEqual(expect.arrayContaining(['en-tariff', 'ja-tariff']));
    });

    it('finds Japanese words inside unspaced sentences', async () => {
      expect(await ids('レアアース')).toEqual(['ja-deal']);
      expect(await ids('関税')).toEqual(['ja-tariff']);
      expect(await ids('日米 関税')).toEqual(['ja-tariff']);
      expect(await ids('日米')).toEqual(expect.arrayContaining(['ja-deal', 'ja-tariff']));
      expect(await ids('重要鉱物')).toEqual(['ja-deal']);
      expect(await ids('米')).toEqual(expect.arrayContaining(['ja-deal', 'ja-tariff']));
      expect(await ids('鉱物資源')).toEqual([]);
    });

    it('folds full-width letters and accents', async () => {
      expect(await ids('AI')).toEqual(['fullwidth']);
      expect(await ids('ＡＩ 半導体')).toEqual(['fullwidth']);
      expect(await ids('cafe')).toEqual(['accent']);
      expect(await ids('café')).toEqual(['accent']);
    });

    it('never throws on query syntax: quotes, operators, stars, columns, brackets', async () => {
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
        '!rare',
        'rare & earths | x',
        'rare <-> earths',
        "rare:* 'earths'",
      ];
      for (const q of hostile)
        await expect(
          Promise.resolve().then(() => store().stories.search(q, 10)),
          q,
        ).resolves.toBeDefined();
      expect(await ids('"')).toEqual([]);
      expect(await ids('*')).toEqual([]);
    });

    it('treats operator words as plain words', async () => {
      expect(await ids('AND demand')).toEqual(['and-word']);
      expect(await ids('cobalt OR')).toEqual(['and-word']);
      expect(await ids('NOT lithium')).toEqual(['and-word']);
      expect(await ids('"rare earths')).toEqual(['en-deal', 'en-mention']);
      expect(await ids('title:rare')).toEqual([]); // "title rare" as a phrase: no story says that
      expect(await ids('!rare')).toEqual(['en-deal', 'en-mention']);
    });

    it('respects the limit', async () => {
      expect(await store().stories.search('rare', 1)).toHaveLength(1);
      expect(await store().stories.search('rare', 0)).toEqual([]);
    });

    it('gives each hit its times, to rank and group it without reading the story', async () => {
      const [hit] = await store().stories.search('Café', 1);
      expect(hit).toEqual({
        id: 'accent',
        published: '2025-10-28T09:00:00.000Z',
        firstSeen: '2025-10-28T10:00:00.000Z',
      });
    });

    it('ranks only the most recently stored matches: a common word costs what a rare one does', async () => {
      // The best match (the word in its title) stored first, then more matches than are ranked.
      await store().stories.upsert([story({ id: 'old-best', title: 'Gallium prices', summary: '' })], {
        seenAt: '2025-10-29T00:00:00.000Z',
      });
      const later = Array.from({ length: SEARCH_CANDIDATES }, (_, i) =>
        story({ id: `later-${i}`, title: `Markets wrap ${i}`, summary: 'Metals rose; gallium among them.' }),
      );
      await store().stories.upsert(later, { seenAt: '2025-10-30T00:00:00.000Z' });
      const [first] = await ids('gallium');
      expect(first).toMatch(/^later-/);
      // One more story with the word in its title, stored last: ranked first again.
      await store().stories.upsert([story({ id: 'new-best', title: 'Gallium exports halted', summary: '' })], {
        seenAt: '2025-10-31T00:00:00.000Z',
      });
      expect((await ids('gallium'))[0]).toBe('new-best');
    });
  });
});
