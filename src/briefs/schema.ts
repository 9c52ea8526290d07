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
  outlet: z
    .string()
    .min(1)
    .nullish()
    .describe('The outlet or site that published the article; leave it out when the article does not name it.'),
  title: z.string().min(1),
  date: isoDate.optional().describe('Publication date, if known.'),
  url: z.url().optional(),
  reliability: z.string().min(1).describe('What an editor should know about how far to trust it.'),
});

/**
 * How firm a claim is. Left out, it is derived: an entry citing one source is "single-source".
 * "corrected": the entry corrects what its one source says (the editor's word, not a disagreement).
 */
export const claimStatus = z.enum(['corroborated', 'single-source', 'disputed', 'corrected']);

export const entrySchema = z
  .strictObject({
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
  })
  .superRefine((entry, ctx) => {
    const cited = new Set(entry.sources);
    if (entry.status === 'corroborated' && cited.size < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: `"corroborated" needs two or more sources, but this entry cites only "${[...cited][0]}": cite a second source, or set status: single-source (or leave status out)`,
      });
    }
  });

export const SECTION_NAMES = ['facts', 'provisions', 'reactions', 'impact', 'timeline', 'takeaways', 'faq'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Headings a brief gives its sections ("Export controls" instead of "What the agreement provides"); SECTION_TITLES are the defaults. */
const headingsSchema = z.strictObject(
  Object.fromEntries(SECTION_NAMES.map((name) => [name, z.string().min(1).max(80).optional()])) as Record<
    SectionName,
    z.ZodOptional<z.ZodString>
  >,
);

const sectionsSchema = z.strictObject(
  Object.fromEntries(SECTION_NAMES.map((name) => [name, z.array(entrySchema).optional()])) as Record<
    SectionName,
    z.ZodOptional<z.ZodArray<typeof entrySchema>>
  >,
);

/**
 * The terms that tie a story to this brief, in any language. Phrases are matched
 * on word boundaries in spaced scripts and as substrings in Japanese/Chinese.
 * An entry of any list may join parts with " + " (all must appear, in the title
 * or the summary) and may name a group as "@name". src/matching/relevance.ts
 * scores the lists; briefs/README.md explains them for admins.
 */
const matchEntry = z.string().min(1).regex(/\S/, 'expected a term');
const groupName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case group name of letters, digits, "_" or "-"');

export const MATCH_LISTS = ['strong', 'supporting', 'negative', 'specific', 'about'] as const;

export const matchingProfileSchema = z
  .strictObject({
    /** Named term lists, used in entries as "@name" ("@japan + @us + @trade"). */
    groups: z.record(groupName, z.array(matchEntry).min(1)).default({}),
    /** Entries that on their own put a story on this brief's topic. */
    strong: z.array(matchEntry).default([]),
    /** Terms that raise the score of a story already on topic; never enough alone. */
    supporting: z.array(matchEntry).default([]),
    /** Entries that mark another sense of a word (a band called Rare Earth, "rare steak"): they weigh the story down. */
    negative: z.array(matchEntry).default([]),
    /** Entries that tie an on-topic story to this brief in particular, not just to its topic. */
    specific: z.array(matchEntry).default([]),
    /**
     * Who and what the brief's story is about (its people, places, organisations, as
     * "@a + @b"): an on-topic story naming them, published within since..until (an
     * undated one cannot be placed in the period), belongs to this brief even when no
     * specific entry fires. Weaker than a specific entry in the summary.
     */
    about: z.array(matchEntry).default([]),
    /** Stories published before this date are never tied to this brief (they cannot be about it). */
    since: isoDate.optional(),
    /** Stories published after this date are not tied to this brief through `about` (its story is over). */
    until: isoDate.optional(),
  })
  .superRefine((profile, ctx) => {
    for (const [name, terms] of Object.entries(profile.groups)) {
      terms.forEach((term, i) => {
        if (/@|\s\+\s/.test(term)) {
          ctx.addIssue({ code: 'custom', path: ['groups', name, i], message: 'a group holds plain terms; use " + " and "@group" in the lists instead' });
        }
      });
    }
    for (const list of MATCH_LISTS) {
      profile[list].forEach((entry, i) => {
        for (const ref of entry.matchAll(/@([^\s+]+)/g)) {
          if (!(ref[1]! in profile.groups)) {
            const known = Object.keys(profile.groups);
            ctx.addIssue({
              code: 'custom',
              path: [list, i],
              message: `"@${ref[1]}" is not a group of this profile (${known.length ? `known: ${known.map((g) => '@' + g).join(', ')}` : 'add it under matching.groups'})`,
            });
          }
        }
      });
    }
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
    headings: headingsSchema
      .optional()
      .describe("The sections' headings in answers and /deal help, for the sections this brief names differently."),
    matching: matchingProfileSchema.prefault({}),
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
