import { describe, expect, it } from 'vitest';
import { prepareText, TermIndex } from '../../src/matching/term-index.js';

function found(index: TermIndex, text: string): string[] {
  const out: string[] = [];
  index.scan(prepareText(text), (id) => out.push(index.display[id]!));
  return out;
}

describe('TermIndex', () => {
  it('matches phrases on word boundaries, not inside words', () => {
    const index = new TermIndex();
    index.add('rare earth');
    expect(found(index, 'China curbs rare-earth exports')).toEqual(['rare earth']);
    expect(found(index, 'Rare Earths prices')).toEqual(['rare earth']);
    expect(found(index, 'a rare earthquake')).toEqual([]);
    expect(found(index, 'rare steak on earth')).toEqual([]);
  });

  it('deduplicates terms that normalize alike', () => {
    const index = new TermIndex();
    expect(index.add('rare earths')).toBe(index.add('Rare-Earth'));
    expect(index.size).toBe(1);
  });

  it('requires acronyms written in capitals to be capitals in the text', () => {
    const index = new TermIndex();
    index.add('US');
    expect(found(index, 'US tariffs')).toEqual(['US']);
    expect(found(index, 'U.S. tariffs')).toEqual(['US']);
    expect(found(index, 'tell us more')).toEqual([]);
  });

  it('finds Japanese terms without spaces, in full- or half-width text', () => {
    const index = new TermIndex();
    index.add('レアアース');
    index.add('日米');
    index.add('USスチール');
    expect(found(index, '日米が重要鉱物・ﾚｱｱｰｽで合意').sort()).toEqual(['レアアース', '日米'].sort());
    expect(found(index, '日本製鉄、ＵＳスチール買収')).toEqual(['USスチール']);
    expect(found(index, '地震の情報')).toEqual([]);
  });

  it('returns null for a term with no words', () => {
    expect(new TermIndex().add('!!!')).toBeNull();
  });
});
