import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFor, decodeBody, prepareXmlText } from '../../src/feeds/decode-body.js';

const doc = (title: string, declared?: string) =>
  `<?xml version="1.0"${declared ? ` encoding="${declared}"` : ''}?><rss version="2.0"><channel><title>${title}</title></channel></rss>`;
const titleOf = (text: string) => /<title>([^<]*)<\/title>/.exec(text)?.[1];

describe('decodeBody: which charset', () => {
  it('a BOM beats the header and the declaration', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc('Café', 'ISO-8859-1'))]);
    const d = decodeBody(bytes, 'text/xml; charset=windows-1252');
    expect(d).toMatchObject({ charset: 'utf-8', source: 'bom' });
    expect(titleOf(d.text)).toBe('Café');
    expect(d.text.startsWith('<?xml')).toBe(true);
  });

  it('UTF-16 with a BOM, in both byte orders', () => {
    for (const [charset, bom] of [
      ['utf16le', [0xff, 0xfe]],
      ['utf16be', [0xfe, 0xff]],
    ] as const) {
      const bytes = Buffer.concat([Buffer.from(bom), iconv.encode(doc('日本', 'UTF-16'), charset)]);
      const d = decodeBody(bytes);
      expect(d.source).toBe('bom');
      expect(titleOf(d.text)).toBe('日本');
    }
  });

  it('UTF-16 and UTF-32 without a BOM are recognised by their first bytes', () => {
    const le = decodeBody(iconv.encode(doc('Ünïcode', 'UTF-16'), 'utf16le'));
    expect(le).toMatchObject({ charset: 'utf-16le', source: 'autodetect' });
    expect(titleOf(le.text)).toBe('Ünïcode');
    const text = doc('𝄞 music', 'UTF-32');
    const be = Buffer.alloc(text.length * 4);
    let n = 0;
    for (const ch of text) be.writeUInt32BE(ch.codePointAt(0)!, n++ * 4);
    const d = decodeBody(be.subarray(0, n * 4));
    expect(d).toMatchObject({ charset: 'utf-32be', source: 'autodetect' });
    expect(titleOf(d.text)).toBe('𝄞 music');
  });

  it('the header beats the declaration', () => {
    const d = decodeBody(
      iconv.encode(doc('Привет', 'windows-1252'), 'koi8-r'),
      'application/rss+xml; charset="KOI8-R"',
    );
    expect(d).toMatchObject({ charset: 'koi8-r', source: 'header' });
    expect(titleOf(d.text)).toBe('Привет');
  });

  it('the declaration names the charset when the header does not, and is rewritten to UTF-8', () => {
    const d = decodeBody(iconv.encode(doc('中文新闻', 'GB2312'), 'gbk'), 'text/xml');
    expect(d).toMatchObject({ charset: 'gbk', source: 'xml-declaration' });
    expect(titleOf(d.text)).toBe('中文新闻');
    expect(d.text).toContain('encoding="UTF-8"');
  });

  it('a Latin-1 header on a UTF-8 document that says UTF-8 is taken as the server’s mistake', () => {
    const d = decodeBody(Buffer.from(doc('naïve café', 'utf-8')), 'text/xml; charset=ISO-8859-1');
    expect(d.charset).toBe('utf-8');
    expect(titleOf(d.text)).toBe('naïve café');
  });

  it('us-ascii in the header is ignored (RFC 3023’s text/xml default)', () => {
    const d = decodeBody(Buffer.from(doc('naïve', 'UTF-8')), 'text/xml; charset=us-ascii');
    expect(titleOf(d.text)).toBe('naïve');
  });

  it('an unknown label falls back to UTF-8, then windows-1252 when the bytes are not UTF-8', () => {
    expect(titleOf(decodeBody(Buffer.from(doc('naïve', 'x-fake'))).text)).toBe('naïve');
    const d = decodeBody(iconv.encode(doc('“naïve”', 'bogus'), 'windows-1252'));
    expect(d.charset).toBe('windows-1252');
    expect(titleOf(d.text)).toBe('“naïve”');
  });

  it('decodes windows-1252’s 0x80–0x9F right (Node 20’s TextDecoder does not)', () => {
    const d = decodeBody(iconv.encode(doc('€ “quotes” – ™', 'windows-1252'), 'windows-1252'));
    expect(titleOf(d.text)).toBe('€ “quotes” – ™');
  });

  it('guesses Shift_JIS, EUC-JP and EUC-KR when nothing names the charset', () => {
    for (const [charset, text] of [
      ['shift_jis', 'ニュースの見出しです'],
      ['euc-jp', 'ゲーム三昧な正月'],
      ['euc-kr', '한글 뉴스 제목입니다'],
    ] as const) {
      const d = decodeBody(iconv.encode(doc(text), charset));
      expect(d).toMatchObject({ charset, source: 'guess' });
      expect(titleOf(d.text)).toBe(text);
    }
  });

  it('knows labels with underscores and UTF-32 spellings', () => {
    expect(charsetFor('windows_1251')).toBe('windows-1251');
    expect(charsetFor('ISO-8859-1')).toBe('windows-1252');
    expect(charsetFor('Shift_JIS')).toBe('shift_jis');
    expect(charsetFor('UCS-4')).toBe('utf-32be');
    expect(charsetFor('utf-32le')).toBe('utf-32le');
    expect(charsetFor('bogus')).toBeNull();
  });
});

describe('prepareXmlText', () => {
  it('removes a BOM and junk before the first tag', () => {
    expect(prepareXmlText('\ufeff  <?xml version="1.0"?><rss/>')).toBe('<?xml version="1.0"?><rss/>');
    expect(prepareXmlText('garbage\n<rss/>')).toBe('<rss/>');
  });
});
