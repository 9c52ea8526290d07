import { CJK_CHAR, normalizeText } from '../matching/normalize-text.js';
import { ACTIONS, CONCEPTS, type TermTable } from './bilingual-terms.js';
import { isOutletName, splitOutletSuffix } from './outlet.js';

/**
 * What a story says, reduced to what tells one happening from another: its
 * words (stemmed), the people, places, organisations and nouns it names (one key
 * whatever the language: "Toyota" and "トヨタ" are c:toyota), its figures ("$550
 * billion", "$550bn" and "5500億ドル" are one f:usd:5.5e11), the action it reports
 * (signs, denies, names…), and Japanese character pairs. Titles weigh more than
 * summaries. Pure and allocation-light: it runs on every relevant story.
 */

export interface EventFeatures {
  /** Feature → weight (title 1, summary 0.5; figures 2). */
  terms: Map<string, number>;
  /** Action keys ("a:sign"): two stories reporting different actions are rarely one event. */
  actions: Set<string>;
  /** The actions the headline reports (the summary's may be background: "…days after Toyota denied…"). */
  headline: Set<string>;
  /** Figure keys ("f:usd:5.5e11"). */
  figures: Set<string>;
  /**
   * An analysis, explainer, factbox or editorial rather than a report: it discusses a
   * happening; it does not report it again, so it is its own event (with its copies).
   */
  analysis: boolean;
}

export interface FeatureInput {
  title: string;
  summary?: string | null;
}

/** A title's terms weigh this (a summary's less): a term of this weight or more was in a headline. */
export const TITLE_WEIGHT = 1;
const SUMMARY_WEIGHT = 0.3;
const FIGURE_WEIGHT = 2;
// Japanese pairs are many per headline and each says little; concepts carry the meaning.
const BIGRAM_WEIGHT = 0.35;

const STOPWORDS = new Set(
  (
    'a an the of to in on for and or as at by with from over after before amid into its it is are be was were will ' +
    'has have had this that these those their his her he she they we you i not no but if than then so up out about ' +
    'says say said new report reports reported update updates live latest news more what why how who when where ' +
    'could would should may might can just also vs via per one two three first year years day days week today ' +
    'tuesday monday wednesday thursday friday saturday sunday'
  ).split(' '),
);

const PLANNED =
  /\b(?:to|will|set to|expected to|plans? to|poised to|ahead of|could|may)\s+(?:\w+\s+){0,2}?(?:sign|agree|meet|announce|unveil|visit|name|invest|buy)|(?:署名|合意|会談|発表|訪問)(?:へ|する方針|の予定|の見通し|を調整)/i;
// A genre label before the headline ("Analysis:", "Factbox-", "【解説】", "（社説）"), or a headline
// that asks what, why or how (an explainer's form: "What are rare earths and why…?").
const ANALYSIS =
  /^(?:(?:news )?analysis|explainer|explained|factbox|fact box|timeline|opinion|commentary|editorial|column|insight|breakingviews|q&a|unpacking)\b|^[【（(［[]\s*(?:解説|社説|分析|図解|コラム|論説|Q&A|深層|焦点)|^(?:解説|社説)[：:\u3000\s]|^(?:what|why|how|can|could)\b[^?]*(?:\?|\bdoes\b|\bmeans\b|\bmatters?\b)/iu;
const SAYS_IT_WILL = /\b(?:says?|said)\s+(?:it|he|she|they|we)\s+(?:will|plans? to|is to|are to)\b/i;
const JA_DENIAL = /(?:ない|ず|ません)[」』]/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu;
const CJK_RUN = /[\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uAC00-\uD7AF]+/g;
const KATAKANA_NAME = /^[\u30A0-\u30FF]{3,}$/;

/** Features of a story's title and summary. */
export function eventFeatures(input: FeatureInput): EventFeatures {
  const out: EventFeatures = {
    terms: new Map(),
    actions: new Set(),
    headline: new Set(),
    figures: new Set(),
    analysis: false,
  };
  const core = splitOutletSuffix(input.title ?? '').core;
  out.analysis = ANALYSIS.test(core.trim());
  // A "headline" that is only an outlet's name says nothing of what happened.
  const title = isOutletName(core) ? '' : core;
  addText(out, title, TITLE_WEIGHT);
  out.headline = new Set(out.actions);
  const summary = input.summary?.trim();
  // A summary that only repeats the title adds nothing.
  if (summary && (!title || (summary !== title && !summary.startsWith(title)))) {
    // With no title, the summary is all there is: it counts as the title.
    addText(out, summary.slice(0, 600), title ? SUMMARY_WEIGHT : TITLE_WEIGHT);
    if (!title) out.headline = new Set(out.actions);
  }
  // The action is a feature like the others (two reports of one signing both say "sign").
  for (const a of out.actions) add(out, a, TITLE_WEIGHT);
  return out;
}

/** A table key: an action goes to the actions, a concept to the features. */
function addKey(out: EventFeatures, key: string, weight: number): void {
  if (key.startsWith('a:')) out.actions.add(key);
  else add(out, key, weight);
}

function add(out: EventFeatures, key: string, weight: number): void {
  const seen = out.terms.get(key);
  if (seen === undefined || seen < weight) out.terms.set(key, weight);
}

function addText(out: EventFeatures, raw: string, weight: number): void {
  const text = normalizeText(raw);
  for (const f of figures(text)) {
    out.figures.add(f);
    add(out, f, FIGURE_WEIGHT * weight);
  }
  // A span ("for one year", "1年停止") tells a happening as a figure does, in either language;
  // unlike an amount, two spans that differ say little (a truce for a year, talks for months).
  for (const m of text.matchAll(SPAN_EN)) addSpan(out, m[1] ?? m[3]!, m[2] ?? m[4]!, weight);
  for (const m of text.matchAll(SPAN_JA)) addSpan(out, m[1]!, m[2]!, weight);
  // The figures are features already: their digits and units are not words or pairs too.
  const rest = text
    .replace(MONEY_JA, ' ')
    .replace(MONEY_SYMBOL, ' ')
    .replace(MONEY_WORD, ' ')
    .replace(PERCENT, ' ')
    .replace(SPAN_EN, ' ')
    .replace(SPAN_JA, ' ');
  const before = new Set(out.actions);
  const purposed = new Set<string>();
  addWords(out, rest, weight, purposed);
  // "…forms alliance to cut reliance on China": an action after "to" (or "will") is the purpose of the
  // headline's action, or, when there is no other ("Japan, US to sign framework"), a plan.
  if (weight === TITLE_WEIGHT && ![...out.actions].some((a) => !before.has(a)))
    for (const a of purposed) out.actions.add(`${a}-planned`);
  // 「新たな投資の決定ない」: a quote that ends in a negation is someone denying something.
  if (JA_DENIAL.test(rest)) out.actions.add('a:deny');
  // "China says it will suspend…": a party telling what it will do announces it (not "says Japan will buy",
  // a claim about another).
  if (weight === TITLE_WEIGHT && SAYS_IT_WILL.test(rest)) out.actions.add('a:announce');
  // "to sign", "will sign", "署名へ": a preview of an action is another happening than the action.
  // Only the previewed action is planned: "US, Japan sign deal ahead of Xi meeting" signs.
  const planned = weight === TITLE_WEIGHT ? PLANNED.exec(rest) : null;
  if (planned) {
    const inPreview = actionsOf(planned[0]);
    const elsewhere = actionsOf(
      rest.slice(0, planned.index) + ' \u0000 ' + rest.slice(planned.index + planned[0].length),
    );
    for (const a of inPreview) {
      if (elsewhere.has(a) || before.has(a)) continue;
      out.actions.delete(a);
      out.actions.add(`${a}-planned`);
    }
  }
}

function addWords(out: EventFeatures, text: string, weight: number, purposed?: Set<string>): void {
  addSpaced(out, text, weight, purposed);
  if (CJK_CHAR.test(text)) for (const run of text.match(CJK_RUN) ?? []) addCjk(out, run, weight);
}

/** The action keys a piece of text names. */
function actionsOf(text: string): Set<string> {
  const scratch: EventFeatures = {
    terms: new Map(),
    actions: new Set(),
    headline: new Set(),
    figures: new Set(),
    analysis: false,
  };
  addWords(scratch, text, TITLE_WEIGHT);
  return scratch.actions;
}

/** English (and other spaced scripts): concept phrases first, then the remaining words. */
function addSpaced(out: EventFeatures, text: string, weight: number, purposed?: Set<string>): void {
  const words = (text.toLowerCase().match(WORD) ?? [])
    .map((w) => w.replace(/['’.]+$/g, '').replace(/['’]s$/, ''))
    // "Xi-Trump", "US-Japan": each part is a name; a compound the tables know ("rare-earth") stays whole.
    .flatMap((w) => (w.includes('-') && !CONCEPTS.english.has(w) ? w.split('-').filter(Boolean) : [w]));
  const used = new Array<boolean>(words.length).fill(false);
  matchPhrases(out, words, used, CONCEPTS, weight);
  matchPhrases(out, words, used, ACTIONS, weight, purposed);
  for (let i = 0; i < words.length; i++) {
    if (used[i]) continue;
    const w = words[i]!;
    if (w.length < 2 || STOPWORDS.has(w) || /^\d/.test(w) || CJK_CHAR.test(w)) continue;
    add(out, `w:${stem(w)}`, weight);
  }
}

/** Phrases of a table; with `purposed`, actions after "to" go there instead of into the features. */
function matchPhrases(
  out: EventFeatures,
  words: string[],
  used: boolean[],
  table: TermTable,
  weight: number,
  purposed?: Set<string>,
): void {
  for (let i = 0; i < words.length; i++) {
    if (used[i]) continue;
    const longest = table.phraseStarts.has(words[i]!) ? Math.min(table.maxWords, words.length - i) : 1;
    for (let n = longest; n >= 1; n--) {
      if (n > 1 && used.slice(i, i + n).some(Boolean)) continue;
      const keys = table.english.get(n === 1 ? words[i]! : words.slice(i, i + n).join(' '));
      if (!keys) continue;
      if (purposed && (words[i - 1] === 'to' || words[i - 1] === 'will')) for (const k of keys) purposed.add(k);
      else for (const k of keys) addKey(out, k, weight);
      for (let j = i; j < i + n; j++) used[j] = true;
      break;
    }
  }
}

function addCjk(out: EventFeatures, run: string, weight: number): void {
  let rest = run;
  for (const table of [CONCEPTS, ACTIONS]) {
    for (const [spelling, keys] of table.japanese) {
      if (!rest.includes(spelling)) continue;
      for (const k of keys) addKey(out, k, weight);
      // Mark the spelling used, so its characters do not also count as pairs.
      rest = rest.split(spelling).join('\u0000');
    }
  }
  for (const part of rest.split('\u0000')) {
    if (KATAKANA_NAME.test(part)) add(out, `k:${part}`, weight);
    for (let i = 0; i + 1 < part.length; i++) add(out, `j:${part.slice(i, i + 2)}`, weight * BIGRAM_WEIGHT);
  }
}

// Rewrites change tense and number ("halts" / "halted"): fold both away.
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return undouble(w.slice(0, -3));
  if (w.length > 4 && w.endsWith('ied')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && w.endsWith('ed')) return undouble(w.slice(0, -2));
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

// "cutting" / "cut", "planned" / "plan": the doubled consonant is spelling, not meaning.
function undouble(w: string): string {
  return /([bdgmnpt])\1$/.test(w) ? w.slice(0, -1) : w;
}

const SCALE: Record<string, number> = {
  trillion: 1e12,
  tn: 1e12,
  tr: 1e12,
  tril: 1e12,
  billion: 1e9,
  bil: 1e9,
  mil: 1e6,
  bn: 1e9,
  b: 1e9,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  兆: 1e12,
  億: 1e8,
  万: 1e4,
};

const MONEY_SYMBOL =
  /(?<![\p{L}\d])(us\$|\$us|a\$|\$a|c\$|hk\$|s\$|\$|¥|€|£)\s?(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|tril|bil|mil|tn|bn|mn|b|m)?(?![\p{L}\d])/giu;
const MONEY_WORD = /(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million)\s+(dollars?|yen|euros?|pounds?)/giu;
const MONEY_JA = /(\d[\d,]*(?:\.\d+)?)\s*(兆|億|万)?\s*(\d[\d,]*(?:\.\d+)?\s*(?:億|万))?\s*(円|ドル|ユーロ)/gu;
const PERCENT = /(\d+(?:\.\d+)?)\s*(%|percent|per cent|％)/giu;
const CURRENCY: Record<string, string> = {
  $: 'usd',
  us$: 'usd',
  $us: 'usd',
  a$: 'aud',
  $a: 'aud',
  c$: 'cad',
  hk$: 'hkd',
  s$: 'sgd',
  dollar: 'usd',
  euro: 'eur',
  pound: 'gbp',
  '¥': 'jpy',
  '€': 'eur',
  '£': 'gbp',
  dollars: 'usd',
  yen: 'jpy',
  euros: 'eur',
  pounds: 'gbp',
  円: 'jpy',
  ドル: 'usd',
  ユーロ: 'eur',
};

/** Money amounts and percentages, as currency and two significant digits: "$10bn" and "$10 billion" are one figure. */
const SPAN_EN =
  /\bfor\s+(a|one|two|three|six|\d{1,2})\s+(year|month|week)s?\b|\b(one|two|three|six|\d{1,2})-(year|month|week)\b/giu;
// Not "6年ぶり" (the first in six years), "1年前" (a year ago) or "2年目" (the second year).
const SPAN_JA = /(?<![\d.,])(\d{1,2})\s*(年間?|カ月|ヵ月|か月|ヶ月|週間)(?!ぶり|前|後|目|度|生|以)/gu;
const SPAN_NUMBER: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, six: 6 };
const SPAN_DAYS: Record<string, number> = { year: 365, month: 30, week: 7 };

function addSpan(out: EventFeatures, count: string, unit: string, weight: number): void {
  const n = SPAN_NUMBER[count.toLowerCase()] ?? Number(count);
  const u = unit.toLowerCase();
  const days = SPAN_DAYS[u] ?? (u.startsWith('年') ? 365 : u === '週間' ? 7 : 30);
  if (n > 0) add(out, `s:${n * days}d`, FIGURE_WEIGHT * weight);
}

export function figures(text: string): string[] {
  const out = new Set<string>();
  const money = (currency: string | undefined, value: number) => {
    if (!currency || !Number.isFinite(value) || value <= 0) return;
    out.add(
      `f:${currency}:${value
        .toPrecision(2)
        .replace(/\.0(?=e|$)/, '')
        .replace('e+', 'e')}`,
    );
  };
  const num = (s: string) => Number.parseFloat(s.replace(/,/g, ''));
  for (const m of text.matchAll(MONEY_SYMBOL))
    money(CURRENCY[m[1]!.toLowerCase()], num(m[2]!) * (m[3] ? SCALE[m[3].toLowerCase()]! : 1));
  for (const m of text.matchAll(MONEY_WORD))
    money(CURRENCY[m[3]!.toLowerCase()], num(m[1]!) * SCALE[m[2]!.toLowerCase()]!);
  for (const m of text.matchAll(MONEY_JA)) {
    // "5500億ドル", "80兆円", "1兆2000億円".
    let value = num(m[1]!) * (m[2] ? SCALE[m[2]]! : 1);
    if (m[3]) {
      const sub = /(\d[\d,]*(?:\.\d+)?)\s*(億|万)/.exec(m[3]);
      if (sub) value += num(sub[1]!) * SCALE[sub[2]!]!;
    }
    money(CURRENCY[m[4]!], value);
  }
  for (const m of text.matchAll(PERCENT)) out.add(`f:pct:${num(m[1]!)}`);
  return [...out];
}
