import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { repoRoot } from '../helpers/paths.js';
import { missingSharedWarning, SHARED_DATA } from '../helpers/shared-data.js';

/** Tests that need ../shared skip without it, and the run says why once (tests/global-setup.ts). */
describe('shared data', () => {
  it('one warning names what is missing and which tests skip; none when everything is there', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'dealbot-shared-'));
    const warning = missingSharedWarning(empty)!;
    expect(warning.split('\n')).toEqual([
      `Some tests skip: shared data is missing from ${empty} (it is read in place, never copied into the repository).`,
      `  the feed corpus (3,863 feeds) (${empty}/corpora/feeds): tests/feeds/corpus.test.ts, tests/feeds/ingest-cli.test.ts`,
      `  the labelled headlines of the shared dev set (${empty}/corpora/relevance/dev.jsonl): tests/matching/relevance-quality.test.ts`,
      'Put ../shared beside the repository to run them.',
    ]);
    mkdirSync(path.join(empty, 'corpora/feeds'), { recursive: true });
    mkdirSync(path.join(empty, 'corpora/relevance'));
    writeFileSync(path.join(empty, 'corpora/relevance/dev.jsonl'), '');
    expect(missingSharedWarning(empty)).toBeNull();
  });

  it('is given once per run by the global setup', () => {
    expect(config.test?.globalSetup).toEqual(['tests/global-setup.ts']);
  });

  it('is reached only through tests/helpers/shared-data.ts, by the tests it lists', () => {
    const testFiles = readdirSync(path.join(repoRoot, 'tests'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.startsWith('helpers/') && f !== 'ops/shared-data.test.ts')
      .map((f) => `tests/${f}`);
    const direct = testFiles.filter((f) =>
      /sharedDir|['"`]\.\.\/shared/.test(readFileSync(path.join(repoRoot, f), 'utf8')),
    );
    expect(direct).toEqual([]);
    for (const file of Object.values(SHARED_DATA).flatMap((d) => d.usedBy))
      expect(readFileSync(path.join(repoRoot, file), 'utf8'), file).toContain("from '../helpers/shared-data.js'");
  });
});
