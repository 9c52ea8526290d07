import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBriefs } from '../../src/briefs/load-briefs.js';
import { InvalidFileError } from '../../src/files/problems.js';

function briefsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-briefs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const valid = `id: demo
title: Demo
summary: A demo brief.
as_of: 2025-10-28
sources:
  - id: a
    outlet: Example News
    title: An article
    reliability: fine
sections:
  facts:
    - text: Something happened.
      sources: [a]
`;

describe('brief loading', () => {
  it('loads a valid brief', async () => {
    const [brief] = await loadBriefs(briefsDir({ 'demo.yaml': valid }));
    expect(brief?.id).toBe('demo');
    expect(brief?.sections.facts?.[0]?.sources).toEqual(['a']);
  });

  it('names the entry and the missing source id, with its line', async () => {
    const text = valid.replace('      sources: [a]', '      sources: [a, nyt]');
    try {
      await loadBriefs(briefsDir({ 'demo.yaml': text }));
      expect.unreachable();
    } catch (err) {
      const [p] = (err as InvalidFileError).problems;
      expect(p?.field).toBe('sections.facts#1.sources#2');
      expect(p?.line).toBe(13);
      expect(p?.message).toMatch(/cites source "nyt".*known: a/);
    }
  });

  it('rejects "corroborated" on an entry citing one source, with file, line and field', async () => {
    const text = valid.replace('      sources: [a]\n', '      sources: [a]\n      status: corroborated\n');
    try {
      await loadBriefs(briefsDir({ 'demo.yaml': text }));
      expect.unreachable();
    } catch (err) {
      const [p] = (err as InvalidFileError).problems;
      expect(p?.file).toMatch(/demo\.yaml$/);
      expect(p?.field).toBe('sections.facts#1.status');
      expect(p?.line).toBe(14);
      expect(p?.message).toMatch(/"corroborated" needs two or more sources.*cites only "a"/);
    }
  });

  it('collects problems from every brief file before failing', async () => {
    const dir = briefsDir({
      'one.yaml': valid.replace('title: Demo\n', ''),
      'two.yaml': valid.replace('id: demo', 'id: other').replace('as_of: 2025-10-28', 'as_of: yesterday'),
    });
    try {
      await loadBriefs(dir);
      expect.unreachable();
    } catch (err) {
      const problems = (err as InvalidFileError).problems;
      expect(problems.map((p) => path.basename(p.file)).sort()).toEqual(['one.yaml', 'two.yaml']);
      expect(problems.find((p) => p.file.endsWith('two.yaml'))?.field).toBe('as_of');
    }
  });
});
