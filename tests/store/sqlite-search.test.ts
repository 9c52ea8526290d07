import { describe, expect, it } from 'vitest';
import { toMatchQuery } from '../../src/store/sqlite/fts-text.js';

// What search answers is the contract suite's (tests/store/contract/search.contract.test.ts, on both
// engines); this is SQLite's own translation of a query into FTS5 syntax.
describe('toMatchQuery', () => {
  it('quotes every term and drops what is not a word', () => {
    expect(toMatchQuery('rare earths')).toBe('"rare" "earths"');
    expect(toMatchQuery('U.S. "deal"')).toBe('"U S" "deal"');
    expect(toMatchQuery('レアアース')).toBe('"レア アア アー ース"');
    expect(toMatchQuery('米')).toBe('"米"*');
    expect(toMatchQuery('* " ()')).toBeNull();
  });
});
