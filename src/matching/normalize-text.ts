/**
 * Text normalization shared by the matcher, the feed filters and clustering, so a
 * term in a brief and a word in a headline are compared in the same form:
 * NFKC (full-width Latin and digits, half-width katakana), one kind of quote and
 * dash, dotted acronyms joined ("U.S." → "US"), possessives dropped, and a light
 * English plural stem. Japanese and Chinese are never split on spaces: they are
 * matched as substrings of the normalized text.
 */

// One pass for the marks that have several forms: curly quotes, dashes (but not
// the katakana prolonged sound mark ー, which is a letter) and invisible characters.
const UNIFY: Record<string, string> = {};
for (const c of '\u2018\u2019\u201A\u201B\u2032\u0060\u00B4') UNIFY[c] = "'";
for (const c of '\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB') UNIFY[c] = '"';
for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63') UNIFY[c] = '-';
for (const c of '\u00AD\u200B\u200C\u200D\u2060\uFEFF') UNIFY[c] = '';
const UNIFY_RE = new RegExp(`[${Object.keys(UNIFY).join('')}]`, 'g');
// Any UTF-16 code unit above U+007F (the same set as [^\x00-\x7F], without a control character in the pattern).
const NON_ASCII = /[\x80-\uFFFF]/;
const DOTTED_ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}(?:\.\p{Lu})+\.?(?!\p{L})/gu;
const POSSESSIVE = /'s?(?![\p{L}\p{N}])/gu;
const SPACES = /\s+/g;
const ODD_SPACES = / {2}|[\t\n\v\f\r\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;

/** Letters of CJK scripts (kana, han, hangul): text containing them is also matched by substring. */
export const CJK_CHAR = /[\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uAC00-\uD7AF]/;

/** NFKC plus the unifications above; keeps case (acronyms need it) and all CJK text. */
export function normalizeText(raw: string): string {
  // Most English headlines are plain ASCII: skip the passes that cannot apply.
  let s = NON_ASCII.test(raw) ? raw.normalize('NFKC').replace(UNIFY_RE, (c) => UNIFY[c]!) : raw;
  if (s.includes('.')) s = s.replace(DOTTED_ACRONYM, (m) => m.replace(/\./g, ''));
  if (s.includes("'")) s = s.replace(POSSESSIVE, '');
  if (ODD_SPACES.test(s)) s = s.replace(SPACES, ' ');
  return s.trim();
}

export function hasCjk(text: string): boolean {
  return NON_ASCII.test(text) && CJK_CHAR.test(text);
}

/**
 * A light English stem, applied the same way to terms and to text so that
 * "tariffs" finds "tariff" and "rare earths" finds "rare earth" without admins
 * listing every plural. Deliberately crude: it only has to be consistent.
 */
export function stem(word: string): string {
  const n = word.length;
  if (n <= 3 || word.charCodeAt(n - 1) !== 115 /* s */) return word;
  if (n > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  const before = word.charCodeAt(n - 2);
  // Not "glass", "census", "analysis".
  if (before === 115 /* s */ || before === 117 /* u */ || before === 105 /* i */) return word;
  return word.slice(0, -1);
}

/** A word of a spaced script: its stemmed lower-case key, and whether it was a short all-caps acronym. */
export interface Token {
  key: string;
  /** "US", "EU", "MP": 2–4 letters, all upper case. Terms written that way match only such tokens. */
  caps: boolean;
  start: number;
  end: number;
}

/** True for a short all-caps word: written so in a term, it means the acronym, not the word ("US" vs "us"). */
export function isAcronym(word: string): boolean {
  return word.length >= 2 && word.length <= 4 && /^[A-Z][A-Z0-9]*$/.test(word);
}

/** True for letters and digits of spaced scripts: ASCII, Latin-1 and Latin Extended, Greek, Cyrillic. */
function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return (
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x370 && c <= 0x3ff) ||
    (c >= 0x400 && c <= 0x4ff) ||
    (c >= 0x1e00 && c <= 0x1eff)
  );
}

/**
 * Splits normalized text into words of spaced scripts; CJK runs are skipped (they
 * are substring-matched). `lower` is the same text lower-cased, when the caller has it.
 */
export function tokenize(normalized: string, lower: string = normalized.toLowerCase()): Token[] {
  const tokens: Token[] = [];
  const n = normalized.length;
  let i = 0;
  // A hand-written scanner: Unicode-property regexes cost several times more per story.
  while (i < n) {
    if (!isWordChar(normalized.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(normalized.charCodeAt(i))) i++;
    // Lower-casing keeps the length of Latin, Greek and Cyrillic letters, so offsets agree.
    const key = stem(lower.slice(start, i));
    tokens.push({ key, caps: i - start <= 4 && isAcronym(normalized.slice(start, i)), start, end: i });
  }
  return tokens;
}
