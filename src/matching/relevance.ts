import type { Brief } from '../briefs/schema.js';
import type { Config } from '../config/schema.js';
import { CompiledProfiles, type FiredEntry, type Where } from './compile-profile.js';
import { prepareText } from './term-index.js';

/**
 * The relevance decision: is a story about a watched topic, which brief it
 * belongs to (if any), how sure we are, and why, in words an admin can check.
 *
 * Scoring, per brief (all numbers in 0..1, combined as a noisy OR so that each
 * piece of evidence adds without any one pushing past 1):
 * - the best `strong` entry counts most in the title, less when its parts are
 *   split between title and summary, least when only the summary mentions it
 *   (a summary that merely mentions "rare earth magnets" is not a story about them),
 *   except that a summary-only strong entry counts as split between title and summary
 *   when a `supporting` term is in the title: the headline then carries the topic's
 *   context ("trade truce", "China") and the summary names the topic itself;
 * - further strong entries and `supporting` terms add a little, and only to a
 *   story some strong entry already put on topic;
 * - each `negative` entry multiplies the score down (hard in the title);
 * - `specific` entries then tie an on-topic story to the brief.
 * The thresholds come from the config (matching.relevance_threshold, brief_threshold).
 */

const STRONG: Record<Where, number> = { title: 0.8, mixed: 0.6, summary: 0.35 };
const EXTRA: Record<Where, number> = { title: 0.15, mixed: 0.12, summary: 0.08 };
const MAX_EXTRAS = 4;
// A negative word in the summary alone only dents a title match (the summary may mention "the planet" in passing).
const NEGATIVE: Record<Where, number> = { title: 0.15, mixed: 0.3, summary: 0.6 };
const SPECIFIC: Record<Where, number> = { title: 0.7, mixed: 0.45, summary: 0.3 };
// Naming the brief's story's parties (about) in the title ties an on-topic story; it does not add to
// specific entries (the parties are in most of them), it stands beside them.
const ABOUT: Record<Where, number> = { title: 0.55, mixed: 0.3, summary: 0.2 };
// Summaries beyond this are body text; the lede carries the topic.
const SUMMARY_CHARS = 1000;

export interface StoryText {
  title: string;
  summary?: string | null;
  /** ISO date or time; stories older than a brief's `since` are not tied to it. */
  published?: string | null;
  /** Accepted for callers' convenience; scripts are detected from the text itself. */
  lang?: string | null;
}

export interface RelevanceDecision {
  relevant: boolean;
  /** Topic score of the best brief, 0..1. */
  score: number;
  /** The brief the story is tied to, or null. */
  brief: string | null;
  briefScore: number;
  /** Which entries fired and where, and why the story has no brief when it has none. */
  reasons: string[];
  /**
   * Not relevant, but not far off: a strong entry fired only weakly (in the summary), or a
   * brief's specific or `about` entries fired without a strong one, or a supporting term is in
   * its title ("Trump cuts China tariffs after Xi talks"). Such a story is relevant
   * when it reports the same happening as relevant stories (MatchService asks its event).
   */
  near: boolean;
}

export interface MatchThresholds {
  relevance: number;
  brief: number;
}

export function thresholdsFrom(matching: Config['matching']): MatchThresholds {
  return { relevance: matching.relevance_threshold, brief: matching.brief_threshold };
}

interface BriefScore {
  brief: number;
  entries: FiredEntry[];
  topic: number;
  specific: number;
  tooEarly: boolean;
  /** A supporting term is in the title: the story's headline is about the topic's context. */
  context: boolean;
}

/** Compiled once per set of briefs (rebuild it when briefs reload); decide() is then cheap. */
export class RelevanceMatcher {
  readonly profiles: CompiledProfiles;

  constructor(
    briefs: readonly Brief[],
    readonly thresholds: MatchThresholds,
  ) {
    this.profiles = new CompiledProfiles(briefs);
  }

  decide(story: StoryText): RelevanceDecision {
    const summary = (story.summary ?? '').slice(0, SUMMARY_CHARS);
    const { fired, seen } = this.profiles.evaluate(prepareText(story.title), prepareText(summary));
    const scores = this.score(fired, story.published ?? null);
    const best = scores.reduce<BriefScore | undefined>((a, s) => (!a || s.topic > a.topic ? s : a), undefined);
    const topic = best?.topic ?? 0;
    const relevant = topic >= this.thresholds.relevance;

    const tied = scores
      .filter((s) => s.topic >= this.thresholds.relevance && !s.tooEarly && s.specific >= this.thresholds.brief)
      .sort((a, b) => b.specific - a.specific || b.topic - a.topic)[0];
    const focus = tied ?? best;
    const many = this.profiles.briefs.length > 1;
    // Reasons are words for people: built for the one brief shown, not for every brief scored.
    const reasons: string[] = [];
    if (focus) {
      topicScore(focus.entries, reasons);
      specificScore(focus.entries, reasons);
    }
    if (many && focus) {
      const id = this.profiles.briefs[focus.brief]!.id;
      reasons.forEach((r, i) => (reasons[i] = `[${id}] ${r}`));
    }
    if (!fired.length) {
      reasons.push(
        seen.length
          ? `no entry complete: only ${seen.map((t) => `"${t}"`).join(', ')} appear (entries joined with "+" need all their parts)`
          : 'no term of any brief appears in the title or summary',
      );
    } else if (!relevant)
      reasons.push(`score ${round(topic)} is below the relevance threshold ${this.thresholds.relevance}`);
    else if (!tied)
      reasons.push(noBriefReason(focus!, this.thresholds.brief, this.profiles.briefs[focus!.brief]!.since));

    return {
      relevant,
      score: round(topic),
      brief: tied ? this.profiles.briefs[tied.brief]!.id : null,
      briefScore: round(tied?.specific ?? focus?.specific ?? 0),
      reasons,
      near: !relevant && scores.some((s) => !s.tooEarly && (s.topic > 0 || s.specific > 0 || s.context)),
    };
  }

  private score(fired: FiredEntry[], published: string | null): BriefScore[] {
    const byBrief = new Map<number, FiredEntry[]>();
    for (const f of fired) {
      const list = byBrief.get(f.brief);
      if (list) list.push(f);
      else byBrief.set(f.brief, [f]);
    }
    const out: BriefScore[] = [];
    for (const [brief, entries] of byBrief) {
      const since = this.profiles.briefs[brief]!.since;
      const { until } = this.profiles.briefs[brief]!;
      const tooEarly = !!(since && published && published.slice(0, since.length) < since);
      // The brief's parties alone mean its story only inside its period: an undated story, or
      // one published after `until`, is tied by specific entries alone.
      const inPeriod = !!published && !(until && published.slice(0, until.length) > until);
      const tying = inPeriod ? entries : entries.filter((e) => e.list !== 'about');
      out.push({
        brief,
        entries: tying,
        topic: topicScore(entries),
        specific: specificScore(tying),
        tooEarly,
        context: entries.some((e) => e.list === 'supporting' && e.where === 'title'),
      });
    }
    return out;
  }
}

export function createMatcher(briefs: readonly Brief[], matching: Config['matching']): RelevanceMatcher {
  return new RelevanceMatcher(briefs, thresholdsFrom(matching));
}

const RANK: Record<Where, number> = { title: 0, mixed: 1, summary: 2 };

/** The topic score of one brief's fired entries; with `reasons`, also says why. */
function topicScore(entries: FiredEntry[], reasons?: string[]): number {
  let best: FiredEntry | undefined;
  for (const e of entries) if (e.list === 'strong' && (!best || RANK[e.where] < RANK[best.where])) best = e;
  let miss = 1;
  if (best) {
    // The title gives the context of a topic its summary names: as if the entry were split between them.
    const context =
      best.where === 'summary' ? entries.find((e) => e.list === 'supporting' && e.where === 'title') : undefined;
    miss *= 1 - STRONG[context ? 'mixed' : best.where];
    reasons?.push(`strong ${describe(best)}${context ? `, with the context ${describe(context)}` : ''}`);
    let extras = 0;
    // A word counts once: an entry made only of words already counted adds nothing ("trade"
    // beside "@japan + @us + @trade").
    const counted = new Set([...best.matched, ...(context?.matched ?? [])]);
    for (const list of ['strong', 'supporting'] as const) {
      for (const e of entries) {
        if (e === best || e === context || e.list !== list || extras >= MAX_EXTRAS) continue;
        if (e.matched.every((m) => counted.has(m))) continue;
        for (const m of e.matched) counted.add(m);
        extras++;
        miss *= 1 - EXTRA[e.where];
        reasons?.push(`${e.list} ${describe(e)}`);
      }
    }
  } else if (reasons) {
    for (const e of entries)
      if (e.list === 'supporting') reasons.push(`supporting ${describe(e)} (counts only with a strong term)`);
  }
  let topic = 1 - miss;
  for (const e of entries) {
    if (e.list !== 'negative') continue;
    topic *= NEGATIVE[e.where];
    reasons?.push(`negative ${describe(e)}: score × ${NEGATIVE[e.where]}`);
  }
  return topic;
}

/** How firmly one brief's specific entries tie the story to it; with `reasons`, also says why. */
function specificScore(entries: FiredEntry[], reasons?: string[]): number {
  let miss = 1;
  let about = 0;
  for (const e of entries) {
    if (e.list === 'specific') {
      miss *= 1 - SPECIFIC[e.where];
      reasons?.push(`specific ${describe(e)}`);
    } else if (e.list === 'about') {
      about = Math.max(about, ABOUT[e.where]);
      reasons?.push(`about ${describe(e)}: names who the brief's story is about`);
    }
  }
  return Math.max(1 - miss, about);
}

function describe(e: FiredEntry): string {
  const place =
    e.where === 'title' ? 'in the title' : e.where === 'mixed' ? 'in the title and summary' : 'in the summary';
  const words = e.matched.join(' + ');
  const same = words.toLowerCase() === e.text.toLowerCase();
  return `"${e.text}"${same ? '' : ` (${words})`} ${place}`;
}

function noBriefReason(s: BriefScore, threshold: number, since: string | null): string {
  if (s.tooEarly) return `no brief: published before ${since}, when the brief's story begins`;
  if (s.specific === 0) return 'no brief: on topic, but no brief-specific term fired';
  return `no brief: brief-specific score ${round(s.specific)} is below the brief threshold ${threshold}`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
