import { describe, expect, it } from 'vitest';
import { QueryMatcher, queryParts } from '../../src/matching/query-terms.js';

const GROUPS = {
  japan: ['Japan', 'Japanese', 'Tokyo', '日本', '日米'],
  us: ['US', 'United States', 'Trump', '米国', '日米'],
  rare: ['rare earth', 'critical minerals', 'レアアース', '希土類'],
  trade: ['tariff', 'investment', '関税', '投資'],
};
const score = (query: string, text: string) => new QueryMatcher(queryParts(query, GROUPS)).score(text);

describe('query words read with a brief’s term groups', () => {
  it('lets a Japanese word find English text through its group, and the reverse', () => {
    expect(score('レアアース', 'Rare earths are 17 elements.')).not.toBeNull();
    expect(score('rare earths', '日本のレアアース確保')).not.toBeNull();
    expect(score('希土類', 'China dominates critical minerals.')).not.toBeNull();
  });

  it('needs every group of a word in several groups: 日米 is Japan and the US', () => {
    expect(score('日米', 'Trump and Japanese leaders met.')).not.toBeNull();
    expect(score('日米', 'Japanese leaders met.')).toBeNull();
  });

  it('adds no same-language words: "tariff" does not find "investment"', () => {
    expect(score('tariffs', 'More investment flows in.')).toBeNull();
    expect(score('tariffs', 'Japan cuts tariffs.')).not.toBeNull();
    expect(score('関税', 'Japan cuts tariffs.')).not.toBeNull();
  });

  it('reads a phrase of the groups as one part, and other words as typed', () => {
    expect(queryParts('rare earth magnets', GROUPS).map((p) => p.typed)).toEqual(['rare earth', 'magnets']);
    expect(score('rare earth magnets', 'Rare-earth magnets are scarce.')).not.toBeNull();
    expect(score('rare earth magnets', 'Rare earths are scarce.')).toBeNull();
  });

  it('finds group terms inside a Japanese word, and ranks words found as typed first', () => {
    expect(score('日米関税', 'Japan cuts tariffs on US farm goods.')).not.toBeNull();
    const typed = score('tariff', 'Japan cuts tariffs.')!;
    const translated = score('関税', 'Japan cuts tariffs.')!;
    expect(typed).toBeGreaterThan(translated);
  });
});
