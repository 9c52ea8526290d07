import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

/** Every relative link in the README and the docs points at a file that exists. */
describe('links in the docs', () => {
  it('resolve to files in the repository', () => {
    const docs = [
      'README.md',
      'briefs/README.md',
      ...readdirSync(path.join(repoRoot, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    for (const doc of docs) {
      // Code spans and blocks show link syntax as text; they are not links.
      const text = readFileSync(path.join(repoRoot, doc), 'utf8')
        .replace(/```[\s\S]*?```/g, '')
        .replace(/`[^`\n]*`/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
        if (!existsSync(path.resolve(repoRoot, path.dirname(doc), target!))) broken.push(`${doc}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
