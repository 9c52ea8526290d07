import { describe, expect, it } from 'vitest';
import { displayTitle, isAggregatorLink, outletOf, registrableDomain } from '../../src/events/outlet.js';
import { AGGREGATORS, OUTLET_NAMES } from '../../src/events/outlet-names.js';

const GOOGLE_NEWS = 'https://news.google.com/rss/articles/CBMiSmAk8LGMfD4ZHHSHzdmEK04NI9Cg7PLdzXmgt?oc=5';

describe('outletOf', () => {
  it('does not take a fragment of a headline for an outlet', () => {
    const story = {
      title: 'Trump lands in Tokyo with trade on his mind — message to Xi?',
      url: 'https://www.reuters.com/world/asia-pacific/trump-lands-in-tokyo-2025-10-27/',
      feedId: 'reuters-asia',
    };
    expect(outletOf(story)).toBe('Reuters');
    expect(displayTitle(story)).toBe('Trump lands in Tokyo with trade on his mind — message to Xi?');
    expect(outletOf({ title: story.title, feedId: 'reuters-asia' })).toBe('reuters-asia');
  });

  it('names well-known hosts, on any subdomain, the most specific entry first', () => {
    const of = (url: string) => outletOf({ title: 'A headline', url });
    expect(of('https://apnews.com/article/x')).toBe('AP');
    expect(of('https://www.bbc.co.uk/news/x')).toBe('BBC');
    expect(of('https://feeds.bbci.co.uk/news/x')).toBe('BBC');
    expect(of('https://edition.cnn.com/2025/x')).toBe('CNN');
    expect(of('https://m.nikkei.com/x')).toBe('Nikkei');
    expect(of('https://asia.nikkei.com/Politics/x')).toBe('Nikkei Asia');
    expect(of('https://english.kyodonews.net/news/x')).toBe('Kyodo News');
    expect(of('https://www.japantimes.co.jp/news/x')).toBe('The Japan Times');
    expect(of('https://www3.nhk.or.jp/news/x')).toBe('NHK');
    expect(of('https://news.web.nhk/x')).toBe('NHK');
    expect(of('https://www.asahi.com/articles/x')).toBe('朝日新聞');
    expect(of('https://www.yomiuri.co.jp/x')).toBe('読売新聞');
    expect(of('https://mainichi.jp/articles/x')).toBe('毎日新聞');
    expect(of('https://www.sankei.com/article/x')).toBe('産経新聞');
    expect(of('https://www.jiji.com/jc/article?k=x')).toBe('時事通信');
    expect(of('https://jp.reuters.com/x')).toBe('Reuters');
  });

  it('names an unknown host by its registrable domain', () => {
    expect(outletOf({ title: 'A headline - Foo Daily', url: 'https://www.example.co.uk/x' })).toBe('example.co.uk');
    expect(outletOf({ title: 'A headline', url: 'https://amp.news.example.co.uk/x' })).toBe('example.co.uk');
    expect(outletOf({ title: 'A headline', url: 'https://news.example/x' })).toBe('news.example');
    expect(outletOf({ title: 'A headline', url: 'https://m.gagadget.com/x' })).toBe('gagadget.com');
    expect(outletOf({ title: 'A headline', url: 'http://127.0.0.1:8080/x' })).toBe('127.0.0.1');
  });

  it('names the feed when the story has no usable link', () => {
    expect(outletOf({ title: 'A headline - Reuters', feedId: 'nhk-world' })).toBe('nhk-world');
    expect(outletOf({ title: 'A headline - Reuters', url: null, feedId: 'nhk-world' })).toBe('nhk-world');
    expect(outletOf({ title: 'A headline', url: 'not a url', feedId: 'nhk-world' })).toBe('nhk-world');
    expect(outletOf({ title: 'A headline - Reuters' })).toBe('unknown');
  });

  it('reads the outlet from an aggregator item’s title, under the name readers know it by', () => {
    expect(outletOf({ title: 'Japan, US sign rare earths deal - Reuters', url: GOOGLE_NEWS, feedId: 'gnews' })).toBe(
      'Reuters',
    );
    expect(outletOf({ title: '日米、重要鉱物で枠組み合意 - 日本経済新聞', url: GOOGLE_NEWS })).toBe('Nikkei');
    expect(outletOf({ title: 'A headline - Tiny Local Paper', url: GOOGLE_NEWS })).toBe('Tiny Local Paper');
    // Yahoo!ニュース puts the outlet in brackets, and some items add its own name after.
    const yahoo = 'https://news.yahoo.co.jp/articles/4c39b36b37e714c44ad064e4ae7f5b1a4a833d85';
    expect(outletOf({ title: '日米首脳、レアアース確保で文書に署名（共同通信）', url: yahoo })).toBe('Kyodo News');
    expect(outletOf({ title: '首相が会見（テレビ朝日系（ANN）） - Yahoo!ニュース', url: yahoo })).toBe(
      'テレビ朝日系(ANN)',
    );
    // No suffix: the feed, else the aggregator.
    expect(outletOf({ title: 'Japan, US sign rare earths deal', url: GOOGLE_NEWS, feedId: 'gnews' })).toBe('gnews');
    expect(outletOf({ title: 'Japan, US sign rare earths deal', url: GOOGLE_NEWS })).toBe('Google News');
    // An aggregator's outlet comes after a plain " - ", not a dash inside the headline.
    expect(outletOf({ title: 'Trump in Tokyo — message to Xi?', url: GOOGLE_NEWS, feedId: 'gnews' })).toBe('gnews');
  });

  it('sees through a redirect that names its target', () => {
    const alert = 'https://www.google.com/url?rct=j&sa=t&url=https://edition.cnn.com/2025/10/28/x&ct=ga';
    expect(outletOf({ title: 'A headline', url: alert, feedId: 'alerts' })).toBe('CNN');
    expect(isAggregatorLink(alert)).toBe(true);
  });
});

describe('isAggregatorLink', () => {
  it('tells aggregators and redirects from outlets’ own links', () => {
    expect(isAggregatorLink(GOOGLE_NEWS)).toBe(true);
    expect(isAggregatorLink('https://news.yahoo.co.jp/articles/x')).toBe(true);
    expect(isAggregatorLink('https://headlines.yahoo.co.jp/hl?a=x')).toBe(true);
    expect(isAggregatorLink('https://uk.news.yahoo.com/x')).toBe(true);
    expect(isAggregatorLink('https://www.msn.com/en-us/news/x')).toBe(true);
    expect(isAggregatorLink('https://flipboard.com/@x')).toBe(true);
    expect(isAggregatorLink('https://www.smartnews.com/x')).toBe(true);
    expect(isAggregatorLink('https://feedproxy.google.com/~r/x')).toBe(true);
    expect(isAggregatorLink('https://www.reuters.com/x')).toBe(false);
    expect(isAggregatorLink('https://www.google.com/search?q=x')).toBe(false);
    expect(isAggregatorLink('https://news.example/x')).toBe(false);
    expect(isAggregatorLink(null)).toBe(false);
    expect(isAggregatorLink(undefined)).toBe(false);
    expect(isAggregatorLink('not a url')).toBe(false);
  });
});

describe('displayTitle', () => {
  it('drops the suffix of an aggregator’s item', () => {
    expect(displayTitle({ title: 'Japan, US sign rare earths deal - Reuters', url: GOOGLE_NEWS })).toBe(
      'Japan, US sign rare earths deal',
    );
    expect(
      displayTitle({ title: '日米首脳、レアアース確保で文書に署名（共同通信）', url: 'https://news.yahoo.co.jp/a/x' }),
    ).toBe('日米首脳、レアアース確保で文書に署名');
  });

  it('drops a suffix that names the story’s own outlet, in English and Japanese', () => {
    expect(
      displayTitle({ title: '日米が重要鉱物で枠組み合意｜日本経済新聞', url: 'https://www.nikkei.com/article/x' }),
    ).toBe('日米が重要鉱物で枠組み合意');
    expect(displayTitle({ title: 'Rare earths pact signed | Nikkei Asia', url: 'https://asia.nikkei.com/x' })).toBe(
      'Rare earths pact signed',
    );
    expect(displayTitle({ title: 'Rare earths pact signed - BBC News', url: 'https://www.bbc.com/news/x' })).toBe(
      'Rare earths pact signed',
    );
    expect(
      displayTitle({ title: 'Rare earths pact signed - the japan times', url: 'https://japantimes.co.jp/x' }),
    ).toBe('Rare earths pact signed');
    // The host's own name, for an outlet the table does not know.
    expect(displayTitle({ title: 'Rare earths pact signed – The Diplomat', url: 'https://thediplomat.com/x' })).toBe(
      'Rare earths pact signed',
    );
    expect(displayTitle({ title: 'Rare earths pact signed | Example.co.uk', url: 'https://example.co.uk/x' })).toBe(
      'Rare earths pact signed',
    );
    // No link: the feed is the outlet.
    expect(displayTitle({ title: 'Rare earths pact signed - Nikkei Asia', feedId: 'nikkei-asia' })).toBe(
      'Rare earths pact signed',
    );
  });

  it('keeps any other ending exactly as written (NFKC, spaces folded)', () => {
    expect(
      displayTitle({ title: 'Trump lands in Tokyo — message to Xi?', url: 'https://www.reuters.com/world/x' }),
    ).toBe('Trump lands in Tokyo — message to Xi?');
    expect(displayTitle({ title: 'Rare earths pact signed - Reuters', url: 'https://www.example.co.uk/x' })).toBe(
      'Rare earths pact signed - Reuters',
    );
    expect(displayTitle({ title: 'Rare earths pact signed - Reuters', feedId: 'nhk' })).toBe(
      'Rare earths pact signed - Reuters',
    );
    expect(displayTitle({ title: '  Japan,\u3000US  sign ｜ deal  ', url: 'https://news.example/x' })).toBe(
      'Japan, US sign | deal',
    );
  });
});

describe('registrableDomain', () => {
  it('keeps the name under a country’s second-level domain', () => {
    expect(registrableDomain('news.bbc.co.uk')).toBe('bbc.co.uk');
    expect(registrableDomain('www3.nhk.or.jp')).toBe('nhk.or.jp');
    expect(registrableDomain('edition.cnn.com')).toBe('cnn.com');
    expect(registrableDomain('kyodo.jp')).toBe('kyodo.jp');
    expect(registrableDomain('news.example')).toBe('news.example');
  });
});

describe('the outlet tables', () => {
  it('hold lower-case hosts without "www." and a name for each', () => {
    const hosts = [...Object.keys(OUTLET_NAMES), ...Object.keys(AGGREGATORS)];
    for (const host of hosts) expect(host).toMatch(/^(?!www\.)[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(new Set(hosts).size).toBe(hosts.length);
    expect(Object.keys(OUTLET_NAMES).length).toBeGreaterThanOrEqual(60);
    for (const entry of [...Object.values(OUTLET_NAMES), ...Object.values(AGGREGATORS)]) {
      expect(entry.name.trim()).not.toBe('');
    }
  });
});
