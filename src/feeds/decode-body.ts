import { isUtf8 } from 'node:buffer';
import { guessLegacyCjkCharset } from './guess-cjk-charset.js';

/**
 * Feed bytes → text for the parser.
 *
 * Which charset, first match wins (RFC 7303 §3 and XML 1.0 Appendix F):
 *  1. a byte-order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE): a BOM cannot be there
 *     by accident and servers' headers are often wrong, so it beats the header;
 *  2. the HTTP Content-Type charset (ignored when it is "us-ascii", RFC 3023's
 *     default for text/xml, which servers send for UTF-8 feeds);
 *  3. UTF-16/UTF-32 without a BOM, recognised by the NUL bytes around "<?";
 *  4. the XML declaration's encoding="…";
 *  5. UTF-8.
 * An unknown label falls through to the next rule. A Latin-1 label (header or
 * declaration) on bytes that are valid UTF-8 with a UTF-8 declaration is taken as
 * the misconfigured server it is. When nothing names a charset and the bytes are
 * not UTF-8, a Japanese/Chinese/Korean legacy charset is guessed, else windows-1252.
 *
 * The text comes back ready for the parser: BOM and junk before the first tag
 * removed, and the XML declaration's encoding rewritten to UTF-8 (the text is no
 * longer in the declared charset, so a parser must not act on it).
 */
export interface DecodedBody {
  text: string;
  /** The WHATWG name of the charset used (e.g. "shift_jis", "utf-8", "windows-1252"). */
  charset: string;
  /** Which rule chose it. */
  source: 'bom' | 'header' | 'autodetect' | 'xml-declaration' | 'default' | 'guess';
}

const BOMS: [bytes: number[], charset: string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0x00, 0x00, 0xfe, 0xff], 'utf-32be'],
  [[0xff, 0xfe, 0x00, 0x00], 'utf-32le'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
];

// "<?" (or "<" and a name) in each wide encoding, when there is no BOM.
const WIDE_PATTERNS: [bytes: number[], charset: string][] = [
  [[0x00, 0x00, 0x00, 0x3c], 'utf-32be'],
  [[0x3c, 0x00, 0x00, 0x00], 'utf-32le'],
  [[0x00, 0x3c, 0x00, 0x3f], 'utf-16be'],
  [[0x3c, 0x00, 0x3f, 0x00], 'utf-16le'],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}

/** The WHATWG encoding for a label, UTF-32 (which TextDecoder lacks) included, or null if unknown. */
export function charsetFor(label: string | null | undefined): string | null {
  if (!label) return null;
  let known = CHARSET_FOR.get(label);
  if (known === undefined) {
    known = lookUpCharset(label);
    // Labels come from documents and headers: keep the cache small.
    if (CHARSET_FOR.size < 256) CHARSET_FOR.set(label, known);
  }
  return known;
}

const CHARSET_FOR = new Map<string, string | null>();

function lookUpCharset(label: string): string | null {
  let l = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase()
    .replace(/_/g, '-');
  if (/^(utf-?32|ucs-?4)(-?[bl]e)?$/.test(l)) return l.endsWith('le') ? 'utf-32le' : 'utf-32be';
  if (/^(u16|utf16|utf-16)$/.test(l)) l = 'utf-16';
  if (l === 'utf-16be' || l === 'utf-16le' || l === 'utf-16') return l === 'utf-16' ? 'utf-16le' : l;
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

/** Reads charset=… from a Content-Type header value. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType ?? '');
  return m ? m[2]! : null;
}

/** Reads encoding="…" from the XML declaration (ASCII-compatible bytes only). */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512)).toString('latin1');
  const m = /^[\s\S]{0,200}?<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m ? m[1]! : null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    out.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd');
  }
  return out.join('');
}

// windows-1252's 0x80–0x9F. Node 20's TextDecoder('windows-1252') (hence also
// 'iso-8859-1' and 'us-ascii', its WHATWG aliases) wrongly yields C1 controls there.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function decodeWith(bytes: Uint8Array, charset: string): string {
  if (charset === 'utf-32le' || charset === 'utf-32be') return decodeUtf32(bytes, charset === 'utf-32le');
  if (charset === 'windows-1252') return decodeWindows1252(bytes);
  // Buffer's UTF-8 decoder is the fastest; like TextDecoder it replaces bad bytes with U+FFFD and keeps a BOM.
  if (charset === 'utf-8') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // ignoreBOM: keep a BOM in the text so prepareXmlText removes it whatever the charset.
  return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes);
}

const LATIN1 = new Set(['windows-1252']);

function chooseCharset(
  bytes: Uint8Array,
  contentType: string | null | undefined,
): Pick<DecodedBody, 'charset' | 'source'> {
  for (const [bom, charset] of BOMS) if (startsWith(bytes, bom)) return { charset, source: 'bom' };
  const declared = declaredEncoding(bytes);
  const utf8Declared = declared !== null && charsetFor(declared) === 'utf-8';
  const header = charsetFromContentType(contentType);
  const fromHeader = header && header.toLowerCase() !== 'us-ascii' ? charsetFor(header) : null;
  if (fromHeader) {
    if (!(LATIN1.has(fromHeader) && utf8Declared && isValidUtf8(bytes)))
      return { charset: fromHeader, source: 'header' };
    return { charset: 'utf-8', source: 'xml-declaration' };
  }
  for (const [pattern, charset] of WIDE_PATTERNS)
    if (startsWith(bytes, pattern)) return { charset, source: 'autodetect' };
  const fromDeclaration = charsetFor(declared);
  // A declared UTF-16/32 on bytes that are not wide (checked above) is a lie: ignore it.
  if (fromDeclaration && !/^utf-(16|32)/.test(fromDeclaration))
    return { charset: fromDeclaration, source: 'xml-declaration' };
  if (isValidUtf8(bytes)) return { charset: 'utf-8', source: 'default' };
  const guess = header || declared ? null : guessLegacyCjkCharset(bytes);
  if (guess) return { charset: guess, source: 'guess' };
  // Not UTF-8 although nothing (or only an unknown label) says otherwise: the usual culprit is Latin-1.
  return { charset: 'windows-1252', source: 'guess' };
}

/** Decodes a feed body and prepares the text for the XML parser (see the module comment). */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  const { charset, source } = chooseCharset(bytes, contentType);
  return { text: prepareXmlText(decodeWith(bytes, charset)), charset, source };
}

/**
 * Removes what makes sax choke before the first tag (BOM, stray bytes, text) and
 * says "UTF-8" in the XML declaration, since the text is no longer in the
 * declared charset.
 */
export function prepareXmlText(text: string): string {
  const first = text.indexOf('<');
  let out = first > 0 ? text.slice(first) : first < 0 ? text.replace(/^\ufeff/, '') : text;
  if (out.startsWith('<?xml')) {
    const end = out.indexOf('?>');
    if (end > 0) {
      const decl = out.slice(0, end);
      if (/encoding\s*=/.test(decl) && !/encoding\s*=\s*["']utf-?8["']/i.test(decl)) {
        out = decl.replace(/encoding\s*=\s*(["'])[^"']*\1/, 'encoding="UTF-8"') + out.slice(end);
      }
    }
  }
  return out;
}
