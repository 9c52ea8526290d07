/**
 * A last resort for feeds that are not UTF-8 and name no charset anywhere, which
 * happens with older Japanese, Chinese and Korean sites. Each legacy charset is
 * tried strictly; among those that decode, the one whose text looks most like
 * real writing wins (kana for Japanese, hangul for Korean, ideographs for all),
 * and half-width katakana or private-use characters, which a wrong guess tends to
 * produce, count against it. Returns null when no candidate looks convincing.
 */
const CANDIDATES = ['shift_jis', 'euc-jp', 'euc-kr', 'gbk', 'big5'] as const;

function score(text: string): number {
  let kana = 0,
    hangul = 0,
    han = 0,
    other = 0,
    bad = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) continue;
    if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0xac00 && c <= 0xd7a3) hangul++;
    else if (c >= 0x4e00 && c <= 0x9fff) han++;
    else if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff5e))
      other++; // CJK punctuation, full-width forms
    else if ((c >= 0xff61 && c <= 0xff9f) || (c >= 0xe000 && c <= 0xf8ff) || (c >= 0x80 && c <= 0x9f))
      bad++; // half-width kana, private use, C1
    else other--;
  }
  // Korean rarely mixes many hanja into hangul; Chinese bytes read as EUC-KR do.
  const hanPenalty = hangul > 0 && han * 4 > hangul ? han * 4 : 0;
  return kana * 3 + hangul * 3 + han + other - bad * 4 - hanPenalty;
}

export function guessLegacyCjkCharset(bytes: Uint8Array): string | null {
  let best: { charset: string; score: number } | null = null;
  for (const charset of CANDIDATES) {
    let text: string;
    try {
      text = new TextDecoder(charset, { fatal: true }).decode(bytes);
    } catch {
      continue;
    }
    const s = score(text);
    if (s > 0 && (!best || s > best.score)) best = { charset, score: s };
  }
  return best?.charset ?? null;
}
