import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/feeds/decode-body.js';
import { gunzipIfCompressed } from '../../src/feeds/gunzip-body.js';
import { SUMMARY_MAX_CHARS } from '../../src/feeds/normalize-story.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import type { ParseResult } from '../../src/feeds/feed-types.js';
import { hasShared, sharedPath } from '../helpers/shared-data.js';

/**
 * Every file of the shared feed corpus (3,863 real and test feeds collected from
 * other parsers' test suites) through decode → parse → normalize, read in place
 * from ../shared (never copied into the repository).
 */
const corpusDir = sharedPath('feedCorpus');

/**
 * Well-formed files where our story count differs from INDEX.tsv's `items`, and
 * why INDEX is the one that is off. Any other difference fails the test.
 */
const KNOWN_COUNT_EXCEPTIONS: Record<string, string> = {
  'danmactough-node-feedparser/test/feeds/illegally-nested.xml':
    'INDEX counts 20 <item> elements; 10 are empty <item /> nested inside the 10 real items',
  'w3c-feedvalidator/testcases/atom/4.2.11/missing-self.xml':
    'INDEX also counts the <entry/> nested inside the entry’s <source>; the feed has one entry',
  'w3c-feedvalidator/testcases/atom/4.2.11/source-entry.xml': 'same: an <entry/> nested inside <source>',
  'w3c-feedvalidator/testcases/atom/1.2/wrong-namespace.xml':
    'an Atom <feed> in a misspelt namespace: INDEX says "not a feed"; we read it as Atom, as most readers do',
  'w3c-feedvalidator/testcases/atom/1.2/wrong-namespace-case.xml': 'same, with the namespace in the wrong case',
};

interface Row {
  file: string;
  format: string;
  wellformed: boolean;
  items: number;
}

function readIndex(): Row[] {
  const lines = readFileSync(path.join(corpusDir, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [file, format, , wellformed, items] = line.split('\t');
    return { file: file!, format: format!, wellformed: wellformed === 'yes', items: Number(items) };
  });
}

const now = new Date('2025-06-01T00:00:00Z');

describe.skipIf(!hasShared('feedCorpus'))('feed corpus (../shared/corpora/feeds)', () => {
  it('every file goes through decode, parse and normalize without a crash or a hang, and well-formed feeds give one story per item', async () => {
    const rows = readIndex();
    expect(rows.length).toBeGreaterThan(3000);
    const crashes: string[] = [];
    const slow: string[] = [];
    const wrongCounts: string[] = [];
    const silentFailures: string[] = [];
    const badStories: string[] = [];
    let wellformed = 0;
    let exact = 0;

    for (const row of rows) {
      const bytes = readFileSync(path.join(corpusDir, row.file));
      const started = performance.now();
      let result: ParseResult;
      try {
        const { text } = decodeBody(gunzipIfCompressed(bytes, 5 * 1024 * 1024));
        result = await parseFeed(text, {
          feedId: 'corpus',
          baseUrl: `https://corpus.example/${row.file}`,
          lang: 'en',
          now,
        });
      } catch (err) {
        crashes.push(`${row.file}: ${(err as Error).stack}`);
        continue;
      }
      if (performance.now() - started > 5000) slow.push(row.file);

      for (const s of result.stories) {
        const problem = !s.id
          ? 'empty id'
          : !s.title
            ? 'empty title'
            : s.summary.length > SUMMARY_MAX_CHARS
              ? 'summary too long'
              : s.url !== null && !/^https?:\/\//.test(s.url)
                ? `url ${s.url}`
                : s.published !== null && Number.isNaN(Date.parse(s.published))
                  ? `published ${s.published}`
                  : null;
        if (problem) badStories.push(`${row.file}: ${problem}`);
      }
      if (!result.stories.length && row.items > 0 && !result.errors.length) silentFailures.push(row.file);
      if (!row.wellformed) continue;
      wellformed++;
      if (result.stories.length === row.items) exact++;
      else if (!(row.file in KNOWN_COUNT_EXCEPTIONS))
        wrongCounts.push(`${row.file}: INDEX ${row.items}, got ${result.stories.length} ${result.errors.join('; ')}`);
    }

    expect(crashes).toEqual([]);
    expect(slow).toEqual([]);
    expect(badStories).toEqual([]);
    // A feed with items that yields none must say why.
    expect(silentFailures).toEqual([]);
    expect(wrongCounts).toEqual([]);
    expect(exact / wellformed).toBeGreaterThanOrEqual(0.98);
  }, 120_000);

  it('malformed feeds keep their good items or say what is wrong', async () => {
    const broken = readIndex().filter((r) => !r.wellformed);
    let recovered = 0;
    for (const row of broken) {
      const { text } = decodeBody(gunzipIfCompressed(readFileSync(path.join(corpusDir, row.file)), 5 * 1024 * 1024));
      const r = await parseFeed(text, { feedId: 'corpus', baseUrl: 'https://corpus.example/', lang: 'en', now });
      if (r.stories.length) recovered++;
      // No stories: either a clear error, or a document we could read that has no items (INDEX agrees).
      else if (r.errors.length)
        expect(r.errors.join(' '), row.file).toMatch(/not (XML|well-formed XML|an RSS or Atom feed)|empty|no items/);
      else expect(row.items, row.file).toBe(0);
    }
    // Most of the corpus's malformed feeds have items worth keeping.
    expect(recovered).toBeGreaterThan(broken.filter((r) => r.items > 0).length * 0.8);
  }, 60_000);
});
