import { briefSchema, type Brief } from '../../src/briefs/schema.js';

/** A minimal valid brief around a matching profile, for matcher tests. */
export function makeBrief(id: string, matching: Record<string, unknown>): Brief {
  return briefSchema.parse({
    id,
    title: `Brief ${id}`,
    summary: 'Test brief.',
    as_of: '2025-10-28',
    sources: [{ id: 's1', outlet: 'Test', title: 'Test', reliability: 'test' }],
    sections: { facts: [{ text: 'A fact.', sources: ['s1'] }] },
    matching,
  });
}
