import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidFileError } from '../../src/files/problems.js';
import { FeedFilter, FeedFilters } from '../../src/matching/feed-filter.js';

describe('FeedFilter', () => {
  it('drops items containing an exclude word, on word boundaries and any case', () => {
    const f = new FeedFilter('wire', [], ['sports', 'rare steak']);
    expect(f.check({ title: 'SPORTS: Dodgers win' })).toMatchObject({
      kept: false,
      reason: expect.stringContaining('"sports"'),
    });
    expect(f.check({ title: 'Transports of rare earths resume' }).kept).toBe(true);
    expect(f.check({ title: 'Dinner', summary: 'A Rare-Steak recipe' }).kept).toBe(false);
  });

  it('keeps only items with an include pattern when includes are set', () => {
    const f = new FeedFilter('jp', ['Japan', '日本', '/\\brare[- ]earths?\\b/i'], []);
    expect(f.check({ title: 'Japan trade talks' }).kept).toBe(true);
    expect(f.check({ title: '日本の輸出' }).kept).toBe(true);
    expect(f.check({ title: 'China curbs RARE-EARTH exports' }).kept).toBe(true);
    const dropped = f.check({ title: 'Canada tariffs' });
    expect(dropped.kept).toBe(false);
    expect(dropped.reason).toContain('none of its include filters');
  });

  it('runs regexes on NFKC text, so full-width letters match', () => {
    const f = new FeedFilter('jp', [], ['/^PR:/']);
    expect(f.check({ title: 'ＰＲ:新商品のお知らせ' }).kept).toBe(false);
    expect(f.check({ title: 'News: PR: not at the start' }).kept).toBe(true);
  });

  it('leaves feeds without filters alone', () => {
    const filters = new FeedFilters([
      { id: 'a', include: [], exclude: ['sports'] },
      { id: 'b', include: [], exclude: [] },
    ]);
    expect(filters.check('a', { title: 'sports news' }).kept).toBe(false);
    expect(filters.check('b', { title: 'sports news' }).kept).toBe(true);
    expect(filters.check(null, { title: 'sports news' }).kept).toBe(true);
  });
});

describe('filters in the config', () => {
  it('rejects a bad regular expression with its line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-filter-'));
    const file = path.join(dir, 'config.yaml');
    writeFileSync(
      file,
      [
        'feeds:',
        '  list:',
        '    - id: wire',
        '      url: https://example.com/feed.xml',
        '      exclude:',
        '        - sports',
        '        - "/rare(steak/i"',
        '',
      ].join('\n'),
    );
    try {
      await loadConfig(file, {});
      expect.unreachable('the config should not load');
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidFileError);
      const problem = (err as InvalidFileError).problems[0]!;
      expect(problem.line).toBe(7);
      expect(problem.message).toContain('invalid regular expression');
    }
  });
});
