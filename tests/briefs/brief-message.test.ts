import { describe, expect, it } from 'vitest';
import { entryToItem, readerText, sourcesOf } from '../../src/briefs/brief-message.js';
import { claimStatusOf } from '../../src/briefs/claim-status.js';
import { briefSchema, type Brief } from '../../src/briefs/schema.js';

function brief(sources: { id: string; outlet?: string }[], facts: Record<string, unknown>[] = []): Brief {
  return briefSchema.parse({
    id: 'demo',
    title: 'Demo',
    summary: 'A demo.',
    as_of: '2025-10-28',
    sources: sources.map((s) => ({ title: `Title of ${s.id}`, reliability: `About ${s.id}.`, ...s })),
    sections: { facts },
  });
}

describe('words meant for editors, as readers see them', () => {
  const b = brief([{ id: 'seed-000' }, { id: 'seed-003' }, { id: 'wire', outlet: 'Example Wire' }]);

  it('turns "article NNN" and a source id into the citation number', () => {
    expect(readerText(b, 'Only article 003 gives this; Article 000 does not.')).toEqual({
      text: 'Only article [2] gives this; Article [1] does not.',
      mentioned: [1, 2],
    });
    expect(readerText(b, 'As seed-003 says (see seed-000).').text).toBe('As [2] says (see [1]).');
    expect(readerText(b, "Article 003's figure").text).toBe("Article [2]'s figure");
  });

  it('leaves words that only look like references alone', () => {
    // A plain-word id is a word unless it follows "article" or "source".
    expect(readerText(b, 'An established wire service, like source wire.').text).toBe(
      'An established wire service, like source [3].',
    );
    expect(readerText(b, 'Article 999 and seed-0003 and the sources disagree.').text).toBe(
      'Article 999 and seed-0003 and the sources disagree.',
    );
  });

  it('shows an unknown outlet as "Outlet unknown"', () => {
    expect(sourcesOf(b).map((s) => s.label)).toEqual([
      'Outlet unknown — Title of seed-000',
      'Outlet unknown — Title of seed-003',
      'Example Wire — Title of wire',
    ]);
  });
});

describe('claim status from the entry alone', () => {
  const one = brief([{ id: 'a' }]);

  it('is single-source for one cited source, also in a brief with one source', () => {
    const entry = { text: 'x', sources: ['a'] };
    expect(claimStatusOf(entry)).toBe('single-source');
    expect(entryToItem(one, entry).marks).toEqual(['single-source']);
    expect(claimStatusOf({ text: 'x', sources: ['a', 'a'] })).toBe('single-source');
    expect(claimStatusOf({ text: 'x', sources: ['a', 'b'] })).toBe('corroborated');
  });

  it('reads "disputed" on one source as the editor\'s correction', () => {
    expect(claimStatusOf({ text: 'x', sources: ['a'], status: 'disputed' })).toBe('corrected');
    expect(claimStatusOf({ text: 'x', sources: ['a', 'b'], status: 'disputed' })).toBe('disputed');
    expect(
      entryToItem(one, { text: 'x', sources: ['a'], status: 'disputed', note: 'Corrects article a.' }).marks,
    ).toEqual(['corrected', 'editor-note']);
  });

  it('refuses "corroborated" on an entry citing one source, naming the field', () => {
    const result = briefSchema.safeParse({
      ...one,
      sections: { facts: [{ text: 'x', sources: ['a', 'a'], status: 'corroborated' }] },
    });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(['sections', 'facts', 0, 'status']);
    expect(issue.message).toContain('cite a second source, or set status: single-source');
  });
});
