import { z } from 'zod';

/**
 * The format of a brief (briefs/*.yaml): a curated briefing on one story. Every
 * entry cites the brief's own sources by id, so each claim can be traced; the
 * loader checks that every cited id exists. See briefs/README.md.
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id of letters, digits, ".", "_" or "-"');
const ISO_DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** Why "2025-13-45" or "2025-02-30" is no date, or undefined for a real YYYY-MM-DD or YYYY-MM. */
export function isoDateProblem(text: string): string | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return 'expected a date as YYYY-MM-DD (or YYYY-MM)';
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  if (month < 1 || month > 12) return `"${text}" is not a real date: there is no month ${month}; write YYYY-MM-DD`;
  if (day === undefined) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) {
    const name = new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    return `"${text}" is not a real date: ${name} ${year} has ${days} days`;
  }
  return undefined;
}

const isoDate = z.string().superRefine((text, ctx) => {
  const problem = isoDateProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

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
      .superRefine((text, ctx) => {
        // Something written as a date must be one; anything else is a short label.
        const problem = ISO_DATE.test(text)
          ? isoDateProblem(text)
          : /^(\d{4}|.{1,40})$/.test(text)
            ? undefined
            : 'expected a date (YYYY-MM-DD, YYYY-MM, YYYY) or a short label such as "Q1 2026"';
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe(
        'For timeline entries: an ISO date, or a short label such as "Q1 2026" or "By 2028" when the source is vague.',
      ),
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
const groupName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case group name of letters, digits, "_" or "-"');

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
          ctx.addIssue({
            code: 'custom',
            path: ['groups', name, i],
            message: 'a group holds plain terms; use " + " and "@group" in the lists instead',
          });
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
  .superRefine(checkCitations, {
    // Run even when other parts of the brief are wrong, so every problem shows at once.
    when: (payload) => isRecord(payload.value),
  });

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const listAt = (value: unknown, key: string): unknown[] => {
  const list = isRecord(value) ? value[key] : undefined;
  return Array.isArray(list) ? list : [];
};

/**
 * Source ids are unique and every cited id is a source of this brief. Runs on whatever
 * parsed: a source with another mistake still counts as written, so its citations are
 * not reported as missing too.
 */
function checkCitations(brief: unknown, ctx: z.RefinementCtx): void {
  const written = new Map<string, number>();
  listAt(brief, 'sources').forEach((source, i) => {
    const id = isRecord(source) ? source.id : undefined;
    if (typeof id !== 'string') return;
    const first = written.get(id);
    if (first === undefined) written.set(id, i);
    else
      ctx.addIssue({
        code: 'custom',
        path: ['sources', i, 'id'],
        message: `source #${i + 1} has the same id "${id}" as source #${first + 1}; give each source its own id`,
      });
  });
  const sections = isRecord(brief) ? brief.sections : undefined;
  for (const name of SECTION_NAMES) {
    listAt(sections, name).forEach((entry, i) => {
      listAt(entry, 'sources').forEach((sourceId, j) => {
        if (typeof sourceId !== 'string' || written.has(sourceId)) return;
        ctx.addIssue({
          code: 'custom',
          path: ['sections', name, i, 'sources', j],
          message: `entry cites source "${sourceId}", which is not in this brief's sources (known: ${[...written.keys()].join(', ') || 'none'})`,
        });
      });
    });
  }
}

export type Brief = z.output<typeof briefSchema>;
export type BriefEntry = z.output<typeof entrySchema>;
export type BriefSource = z.output<typeof sourceSchema>;
export type MatchingProfile = z.output<typeof matchingProfileSchema>;
export type ClaimStatus = z.output<typeof claimStatus>;
