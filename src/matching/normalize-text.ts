/**
 * Text normalization shared by the matcher, the feed filters and clustering, so a
 * term in a brief and a word in a headline are compared in the same form:
 * NFKC (full-width Latin and digits, half-width katakana), one kind of quote and
 * dash, dotted acronyms joined ("U.S." → "US"), possessives dropped, and a light
 * English plural stem. Japanese and Chinese are never split on spaces: they are
 * matched as substrings of the normalized text.
 */

const QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
// Hyphen-like marks, but not the katakana prolonged sound mark (ー), which is a letter.
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const DOTTED_ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}(?:\.\p{Lu})+\.?(?!\p{L})/gu;
const POSSESSIVE = /'s?(?![\p{L}\p{N}])/gu;

/** Letters of CJK scripts (kana, han, hangul): text containing them is also matched by substring. */
export const CJK_CHAR = /[\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uAC00-\uD7AF]/;

/** Words of spaced scripts: Latin, Greek, Cyrillic letters and digits. */
const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Nd}]+/gu;

/** NFKC plus the unifications above; keeps case (acronyms need it) and all CJK text. */
export function normalizeText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(DOTTED_ACRONYM, (m) => m.replace(/\./g, ''))
    .replace(POSSESSIVE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/**
 * A light English stem, applied the same way to terms and to text so that
 * "tariffs" finds "tariff" and "rare earths" finds "rare earth" without admins
 * listing every plural. Deliberately crude: it only has to be consistent.
 */
export function stem(word: string): string {
  const n = word.length;
  if (n > 4 && word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (n > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
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

/** Splits normalized text into words of spaced scripts; CJK runs are skipped (they are substring-matched). */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(normalized); m; m = WORD.exec(normalized)) {
    const word = m[0];
    tokens.push({ key: stem(word.toLowerCase()), caps: isAcronym(word), start: m.index, end: m.index + word.length });
  }
  return tokens;
}
