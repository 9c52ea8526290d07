import { z } from 'zod';

/**
 * The format of a brief (briefs/*.yaml): a curated briefing on one story. Every
 * entry cites the brief's own sources by id, so each claim can be traced; the
 * loader checks that every cited id exists. See briefs/README.md.
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id of letters, digits, ".", "_" or "-"');
const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected a date as YYYY-MM-DD (or YYYY-MM)');

export const sourceSchema = z.strictObject({
  id,
  outlet: z.string().min(1).describe('The outlet or site that published the article.'),
  title: z.string().min(1),
  date: isoDate.optional().describe('Publication date, if known.'),
  url: z.url().optional(),
  reliability: z.string().min(1).describe('What an editor should know about how far to trust it.'),
});

/** How firm a claim is. Left out, it is derived: one cited source of several is "single-source". */
export const claimStatus = z.enum(['corroborated', 'single-source', 'disputed']);

export const entrySchema = z.strictObject({
  text: z.string().min(1).describe('The claim in our own words, or the quote itself when "by" is set.'),
  sources: z.array(id).min(1, 'cite at least one source id'),
  status: claimStatus.optional(),
  note: z.string().optional().describe("An editor's note: why the claim is marked, or what is wrong with it."),
  by: z.string().optional().describe('For quotes and reactions: who said it.'),
  date: z
    .string()
    .regex(/^(\d{4}(-\d{2}(-\d{2})?)?|.{1,40})$/, 'expected a date (YYYY-MM-DD, YYYY-MM, YYYY) or a short label such as "Q1 2026"')
    .optional()
    .describe('For timeline entries: an ISO date, or a short label such as "Q1 2026" or "By 2028" when the source is vague.'),
  question: z.string().optional().describe('For FAQ entries: the question; text is the answer.'),
});

export const SECTION_NAMES = ['facts', 'provisions', 'reactions', 'impact', 'timeline', 'takeaways', 'faq'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

const sectionsSchema = z.strictObject(
  Object.fromEntries(SECTION_NAMES.map((name) => [name, z.array(entrySchema).optional()])) as Record<
    SectionName,
    z.ZodOptional<z.ZodArray<typeof entrySchema>>
  >,
);

/**
 * The terms that tie a story to this brief, in any language. Phrases are matched
 * on word boundaries in spaced scripts and as substrings in Japanese/Chinese.
 * The matcher (src/matching) defines how the lists combine.
 */
export const matchingProfileSchema = z.strictObject({
  /** Terms that on their own make a story about this brief's topic. */
  strong: z.array(z.string().min(1)).default([]),
  /** Terms that count only together with another term. */
  supporting: z.array(z.string().min(1)).default([]),
  /** Terms that mark a story as off-topic whatever else fires (e.g. "rare steak"). */
  negative: z.array(z.string().min(1)).default([]),
  /** Terms that tie a relevant story to this brief in particular, not just to its topic. */
  specific: z.array(z.string().min(1)).default([]),
});

export const briefSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id,
    title: z.string().min(1).max(150),
    summary: z.string().min(1),
    at_a_glance: z.string().min(1).max(300).optional().describe('One line for digests.'),
    as_of: isoDate,
    sources: z.array(sourceSchema).min(1),
    sections: sectionsSchema,
    matching: matchingProfileSchema.default({ strong: [], supporting: [], negative: [], specific: [] }),
  })
  .superRefine((brief, ctx) => {
    const ids = new Set<string>();
    brief.sources.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate source id "${s.id}"` });
      ids.add(s.id);
    });
    for (const name of SECTION_NAMES) {
      brief.sections[name]?.forEach((entry, i) => {
        entry.sources.forEach((sourceId, j) => {
          if (!ids.has(sourceId)) {
            ctx.addIssue({
              code: 'custom',
              path: ['sections', name, i, 'sources', j],
              message: `entry cites source "${sourceId}", which is not in this brief's sources (known: ${[...ids].join(', ')})`,
            });
          }
        });
      });
    }
  });

export type Brief = z.output<typeof briefSchema>;
export type BriefEntry = z.output<typeof entrySchema>;
export type BriefSource = z.output<typeof sourceSchema>;
export type MatchingProfile = z.output<typeof matchingProfileSchema>;
export type ClaimStatus = z.output<typeof claimStatus>;
