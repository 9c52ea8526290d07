import { existsSync } from 'node:fs';
import path from 'node:path';
import { sharedDir } from './paths.js';

/**
 * The read-only data beside the repository (../shared) that some tests read in place,
 * and which tests need it. Without it those tests skip; tests/global-setup.ts says so
 * once per run, instead of each test skipping in silence.
 */
export const SHARED_DATA = {
  feedCorpus: {
    path: 'corpora/feeds',
    what: 'the feed corpus (3,863 feeds)',
    usedBy: ['tests/feeds/corpus.test.ts', 'tests/feeds/ingest-cli.test.ts'],
  },
  relevanceDevSet: {
    path: 'corpora/relevance/dev.jsonl',
    what: 'the labelled headlines of the shared dev set',
    usedBy: ['tests/matching/relevance-quality.test.ts'],
  },
} as const;

export type SharedData = keyof typeof SHARED_DATA;

/** Where a piece of shared data is (whether or not it is there). */
export function sharedPath(name: SharedData, base = sharedDir): string {
  return path.join(base, SHARED_DATA[name].path);
}

export function hasShared(name: SharedData, base = sharedDir): boolean {
  return existsSync(sharedPath(name, base));
}

/** One warning for everything missing, naming what and which tests skip; null when all is there. */
export function missingSharedWarning(base = sharedDir): string | null {
  const missing = (Object.keys(SHARED_DATA) as SharedData[]).filter((name) => !hasShared(name, base));
  if (!missing.length) return null;
  return [
    `Some tests skip: shared data is missing from ${base} (it is read in place, never copied into the repository).`,
    ...missing.map(
      (name) => `  ${SHARED_DATA[name].what} (${sharedPath(name, base)}): ${SHARED_DATA[name].usedBy.join(', ')}`,
    ),
    'Put ../shared beside the repository to run them.',
  ].join('\n');
}
