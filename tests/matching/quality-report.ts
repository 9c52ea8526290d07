import { readFileSync } from 'node:fs';
import { normalizeText } from '../../src/matching/normalize-text.js';
import type { RelevanceDecision, StoryText } from '../../src/matching/relevance.js';

/**
 * Measures a relevance function on a labelled set (the format of
 * ../shared/corpora/relevance/dev.jsonl) and prints confusion matrices, so the
 * quality test shows the figures as well as asserting them.
 */

export interface LabelledItem {
  id: string;
  title: string;
  summary: string | null;
  source?: string;
  published?: string | null;
  lang?: string;
  label: 'relevant' | 'borderline' | 'irrelevant';
  topic?: string | null;
  matches_brief: boolean;
}

export function readLabelled(file: string): LabelledItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledItem);
}

export interface Matrix {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  /** Items decided wrongly, for the report. */
  errors: string[];
}

export interface QualityReport {
  relevance: Matrix;
  /** Brief match over the non-borderline items: predicted brief vs matches_brief. */
  brief: Matrix;
  baseline: Matrix;
  borderlineCalledRelevant: number;
  borderline: number;
}

function matrix(pairs: { item: LabelledItem; predicted: boolean; actual: boolean; why?: string }[]): Matrix {
  const m: Matrix = { tp: 0, fp: 0, fn: 0, tn: 0, precision: 0, recall: 0, errors: [] };
  for (const { item, predicted, actual, why } of pairs) {
    if (predicted && actual) m.tp++;
    else if (predicted) {
      m.fp++;
      m.errors.push(`FP ${item.id} ${item.title}${why ? `  — ${why}` : ''}`);
    } else if (actual) {
      m.fn++;
      m.errors.push(`FN ${item.id} ${item.title}${why ? `  — ${why}` : ''}`);
    } else m.tn++;
  }
  m.precision = m.tp + m.fp ? m.tp / (m.tp + m.fp) : 1;
  m.recall = m.tp + m.fn ? m.tp / (m.tp + m.fn) : 1;
  return m;
}

/** The plain keyword filter the matcher has to beat: "rare earth" or "Japan" (and their Japanese forms). */
export function keywordBaseline(story: StoryText): boolean {
  const text = normalizeText(`${story.title} ${story.summary ?? ''}`).toLowerCase();
  return /rare[ -]earth|japan|レアアース|日本/.test(text);
}

export function evaluate(
  items: LabelledItem[],
  decide: (s: StoryText) => RelevanceDecision,
  briefId: string,
): QualityReport {
  const scored = items.filter((i) => i.label !== 'borderline');
  const decisions = new Map(items.map((i) => [i.id, decide(i)]));
  const why = (i: LabelledItem) => {
    const d = decisions.get(i.id)!;
    return `score ${d.score}, brief ${d.brief ?? '-'}: ${d.reasons.join('; ')}`;
  };
  const borderline = items.filter((i) => i.label === 'borderline');
  return {
    relevance: matrix(
      scored.map((item) => ({
        item,
        predicted: decisions.get(item.id)!.relevant,
        actual: item.label === 'relevant',
        why: why(item),
      })),
    ),
    brief: matrix(
      scored.map((item) => ({
        item,
        predicted: decisions.get(item.id)!.brief === briefId,
        actual: item.matches_brief,
        why: why(item),
      })),
    ),
    baseline: matrix(
      scored.map((item) => ({ item, predicted: keywordBaseline(item), actual: item.label === 'relevant' })),
    ),
    borderlineCalledRelevant: borderline.filter((i) => decisions.get(i.id)!.relevant).length,
    borderline: borderline.length,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatReport(name: string, items: number, r: QualityReport, showErrors = true): string {
  const table = (title: string, m: Matrix) =>
    [
      `  ${title}: precision ${pct(m.precision)}, recall ${pct(m.recall)}`,
      `                      actual yes   actual no`,
      `    predicted yes  ${String(m.tp).padStart(10)} ${String(m.fp).padStart(11)}`,
      `    predicted no   ${String(m.fn).padStart(10)} ${String(m.tn).padStart(11)}`,
    ].join('\n');
  return [
    `${name}: ${items} items (${r.borderline} borderline left out; the matcher calls ${r.borderlineCalledRelevant} of them relevant)`,
    table('relevance (matcher)', r.relevance),
    table('relevance (baseline: "rare earth" or "Japan")', r.baseline),
    table('brief match', r.brief),
    ...(showErrors && (r.relevance.errors.length || r.brief.errors.length)
      ? [
          '  matcher mistakes:',
          ...r.relevance.errors.map((e) => `    relevance ${e}`),
          ...r.brief.errors.map((e) => `    brief ${e}`),
        ]
      : []),
  ].join('\n');
}
