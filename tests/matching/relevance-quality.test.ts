import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { createMatcher, type RelevanceMatcher } from '../../src/matching/relevance.js';
import { repoRoot, shippedConfig } from '../helpers/paths.js';
import { sharedPath } from '../helpers/shared-data.js';
import { evaluate, formatReport, readLabelled } from './quality-report.js';

/**
 * Quality on labelled real headlines, with the shipped briefs and config as the
 * bot uses them: the shared dev set and our own larger set. Prints the confusion
 * matrices (matcher, keyword baseline, brief match) and the mistakes.
 */
const SETS = [
  { name: 'shared dev set', file: sharedPath('relevanceDevSet') },
  {
    name: 'tests/fixtures/relevance/headlines.jsonl',
    file: path.join(repoRoot, 'tests/fixtures/relevance/headlines.jsonl'),
  },
  {
    name: 'tests/fixtures/relevance/holdout.jsonl',
    file: path.join(repoRoot, 'tests/fixtures/relevance/holdout.jsonl'),
  },
];
const BRIEF = 'us-japan-rare-earths-2025';

let matcher: RelevanceMatcher;
beforeAll(async () => {
  const files = await loadBotFiles(shippedConfig, {});
  matcher = createMatcher(files.briefs.briefs, files.loaded.config.matching);
});

describe.each(SETS)('relevance quality on the $name', ({ name, file }) => {
  it.runIf(existsSync(file))(
    'meets precision ≥ 0.95, recall ≥ 0.90, brief precision ≥ 0.90 and beats the keyword baseline',
    () => {
      const items = readLabelled(file);
      const report = evaluate(items, (s) => matcher.decide(s), BRIEF);
      console.log(formatReport(name, items.length, report));
      expect(report.relevance.precision).toBeGreaterThanOrEqual(0.95);
      expect(report.relevance.recall).toBeGreaterThanOrEqual(0.9);
      expect(report.brief.precision).toBeGreaterThanOrEqual(0.9);
      expect(report.brief.tp).toBeGreaterThan(0);
      expect(report.relevance.precision).toBeGreaterThan(report.baseline.precision);
    },
  );
});

describe('our labelled set', () => {
  it('is large, bilingual and rich in hard cases', () => {
    const items = readLabelled(SETS[1]!.file);
    expect(items.length).toBeGreaterThanOrEqual(200);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.filter((i) => i.lang === 'ja').length).toBeGreaterThanOrEqual(30);
    expect(items.filter((i) => i.label === 'borderline').length).toBeGreaterThanOrEqual(25);
    expect(items.filter((i) => i.label === 'irrelevant').length).toBeGreaterThanOrEqual(80);
  });
});
