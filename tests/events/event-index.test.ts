import { describe, expect, it } from 'vitest';
import { eventFeatures, figures } from '../../src/events/event-features.js';
import { EventIndex } from '../../src/events/event-index.js';

const HOUR = 3_600_000;
const index = () => new EventIndex({ threshold: 0.35, windowMs: 3 * 24 * HOUR });
const file = (i: EventIndex, id: string, title: string, at = 0, summary: string | null = null) =>
  i.assign(id, at, eventFeatures({ title, summary }));

describe('event features', () => {
  it('reads one figure however it is written, in either language', () => {
    expect(figures('Japan to invest $550 billion')).toEqual(['f:usd:5.5e11']);
    expect(figures('a $550bn package')).toEqual(['f:usd:5.5e11']);
    expect(figures('対米投資5500億ドル')).toEqual(['f:usd:5.5e11']);
    expect(figures('Toyota says $10 billion is not new')).toEqual(figures('トヨタ、100億ドル発言'));
  });

  it('gives one key to a name in English and Japanese, and tells a preview from the action', () => {
    const en = eventFeatures({ title: 'Toyota says it has no new US investment plan' });
    const ja = eventFeatures({ title: 'トヨタ「新たな対米投資の決定ない」' });
    expect(en.terms.has('c:toyota') && ja.terms.has('c:toyota')).toBe(true);
    expect(eventFeatures({ title: 'Trump and Takaichi to sign rare earths deal' }).actions).toEqual(
      new Set(['a:sign-planned']),
    );
    expect(eventFeatures({ title: 'Trump and Takaichi sign rare earths deal' }).actions).toEqual(new Set(['a:sign']));
  });
});

describe('event features of how a headline is told', () => {
  it('reads a leader as the country, an action after "to" as a purpose or a plan, and a Japanese quoted negation as a denial', () => {
    const leaders = eventFeatures({ title: 'Trump, Albanese sign minerals deal' }).terms;
    expect(leaders.has('c:us') && leaders.has('c:australia')).toBe(true);
    // The alliance is formed; cutting reliance is its purpose, not what the story reports.
    expect(eventFeatures({ title: 'G7 forms minerals alliance to cut reliance on China' }).actions).toEqual(
      new Set(['a:announce']),
    );
    expect(eventFeatures({ title: 'Japan, US to sign minerals framework' }).actions).toEqual(
      new Set(['a:sign-planned']),
    );
    expect(eventFeatures({ title: 'US-Japan sign rare earths framework ahead of Xi meeting' }).actions).toContain(
      'a:sign',
    );
    expect(eventFeatures({ title: 'トヨタ「新たな対米投資の決定ない」' }).headline).toEqual(new Set(['a:deny']));
  });

  it('tells analyses and explainers from reports', () => {
    for (const title of [
      'Analysis: Japan rare earths pact long on ambition',
      'Factbox-What is in the $550 billion deal',
      'What are rare earths and why does the pause matter?',
      '【解説】レアアースとは',
      '（社説）日米首脳会談',
    ])
      expect(eventFeatures({ title }).analysis, title).toBe(true);
    for (const title of [
      "What's in the US-Australia minerals deal",
      'Trump and Takaichi sign minerals pact — a message to Xi?',
    ])
      expect(eventFeatures({ title }).analysis, title).toBe(false);
  });

  it('reads figures written in other currencies and spellings', () => {
    expect(figures('a $US8.5 billion framework')).toEqual(['f:usd:8.5e9']);
    expect(figures('an A$13bn deal')).toEqual(['f:aud:1.3e10']);
    expect(figures('touts $10 bil. plan')).toEqual(['f:usd:1e10']);
    expect(figures('for 550 billion dollar US investment')).toEqual(['f:usd:5.5e11']);
    expect(figures('a deal via $5bn')).toEqual(['f:usd:5e9']);
  });
});

describe('event index', () => {
  it('joins one happening in other words and languages, and keeps other happenings on the same names apart', () => {
    const i = index();
    const signing = file(i, 'a', 'Trump and Takaichi sign rare earths deal in Tokyo').key;
    expect(file(i, 'b', 'US, Japan sign rare earth deal as Trump meets Takaichi in Tokyo', HOUR).key).toBe(signing);
    const toyota = file(
      i,
      'c',
      "Toyota says Trump's $10 billion figure reflects existing US plans, not new investment",
      2 * HOUR,
    );
    expect(toyota.key).not.toBe(signing);
    const toyota2 = file(i, 'd', 'Toyota: $10bn US investment Trump touted is not new', 3 * HOUR);
    expect(toyota2.key).toBe('c');
    expect(toyota2.shared).toContain('toyota');
  });

  it('keeps an analysis, and a reaction, apart from the happening they discuss', () => {
    const i = index();
    file(i, 'a', 'Japan and US sign rare earths pact in Tokyo');
    file(i, 'b', 'Japan, US sign rare earths pact as Trump visits Tokyo', HOUR);
    expect(file(i, 'c', 'Analysis: Japan and US rare earths pact signed in Tokyo', 2 * HOUR).joined).toBe(false);
    // Its copy joins it.
    expect(file(i, 'd', 'Analysis-Japan and US rare earths pact signed in Tokyo', 3 * HOUR).key).toBe('c');
    file(i, 'e', 'Trump says Toyota will invest $10 billion in US plants', 4 * HOUR);
    expect(file(i, 'f', 'Toyota denies Trump claim of new $10 billion US plants', 5 * HOUR).joined).toBe(false);
  });

  it('asks more of a story days after an event', () => {
    const near = file(index(), 'x', 'Japan and US sign rare earths pact in Tokyo').key;
    const i = index();
    file(i, 'a', 'Japan and US sign rare earths pact in Tokyo');
    const sameDay = file(i, 'b', 'Japan, US sign rare earth pact in Tokyo as Trump visits', 2 * HOUR);
    const j = index();
    file(j, 'a', 'Japan and US sign rare earths pact in Tokyo');
    const later = file(j, 'b', 'Japan, US sign rare earth pact in Tokyo as Trump visits', 50 * HOUR);
    expect(near).toBe('x');
    expect(sameDay.joined).toBe(true);
    expect(later.score).toBeLessThan(sameDay.score / 2);
  });

  it('probes the event a story would join without filing it', () => {
    const i = index();
    file(i, 'a', 'Toyota says $10 billion Trump cited is not new investment');
    const probe = i.probe(HOUR, eventFeatures({ title: 'Toyota: $10bn US investment Trump touted is not new' }));
    expect(probe?.key).toBe('a');
    expect(i.keyOf('b')).toBeUndefined();
    expect(i.size).toBe(1);
    // Names alone are not enough to be sure.
    expect(i.probe(HOUR, eventFeatures({ title: 'Trump says US and Japan are close allies' }))).toBeUndefined();
  });

  it('holds a near story and probes it again when a story of its event is filed, until filed or evicted', () => {
    const i = index();
    const held = eventFeatures({ title: 'Toyota: $10bn US investment Trump touted is not new' });
    i.hold({ id: 'n', time: 0, features: held });
    i.hold({ id: 'x', time: 0, features: eventFeatures({ title: 'Trump visits an aircraft carrier in Yokosuka' }) });
    expect(i.heldCount).toBe(2);
    const features = eventFeatures({ title: 'Toyota says $10 billion Trump cited is not new investment' });
    const a = i.assign('a', HOUR, features);
    const again = i.reprobe(a.key, features);
    expect(again.map((h) => h.id)).toEqual(['n']);
    expect(again[0]!.score).toBeGreaterThan(0.35);
    // Filing it releases it; the rest go with the window.
    i.assign('n', 0, held);
    expect(i.keyOf('n')).toBe('a');
    expect(i.heldCount).toBe(1);
    i.evict(1);
    expect(i.heldCount).toBe(0);
    expect(i.reprobe(a.key, features)).toEqual([]);
  });

  it('counts one amount in two currencies as a shared figure, and keeps a confirmation by another party apart', () => {
    const i = index();
    file(i, 'a', 'Japan, US list candidate projects for $550 billion investment package');
    const yen = i.probe(HOUR, eventFeatures({ title: '日米、対米投資80兆円の候補案件を公表' }));
    const other = i.probe(HOUR, eventFeatures({ title: '日米、対米投資1兆円の候補案件を公表' }));
    expect(yen?.key).toBe('a');
    expect(yen!.score).toBeGreaterThan(other?.score ?? 0);
    const j = index();
    file(j, 'x', 'Trump and Xi agree truce, China to pause rare earth export curbs for a year');
    file(j, 'y', 'Trump, Xi strike truce as Beijing pauses rare earth export curbs for one year', HOUR);
    expect(
      file(j, 'z', 'China confirms one-year pause of rare earth export curbs after Xi-Trump talks', 2 * HOUR).joined,
    ).toBe(false);
  });

  it('reads a span in either language, and a plan or a confirmation as the statement an announced event is', () => {
    const span = (title: string) => [...eventFeatures({ title }).terms.keys()].filter((t) => t.startsWith('s:'));
    expect(span('China to suspend export curbs for one year')).toEqual(['s:365d']);
    expect(span('中国、輸出規制を1年停止')).toEqual(['s:365d']);
    expect(span('China Confirms One-Year Halt to Curbs')).toEqual(['s:365d']);
    // "The first in six years", "a year ago": no span.
    expect(span('米中首脳が6年ぶり会談')).toEqual([]);
    expect(span('1年前の合意')).toEqual([]);
    const i = index();
    file(i, 'a', 'Commerce ministry announces suspension of export curbs for one year');
    file(i, 'b', '商務省、輸出規制の1年停止を発表', HOUR);
    expect(file(i, 'c', 'China says it will suspend export curbs for one year', 2 * HOUR).key).toBe('a');
    expect(file(i, 'd', 'China confirms one-year halt to export curbs', 3 * HOUR).key).toBe('a');
  });

  it('reads a party saying it will act as announcing it, and a confirmation of that as the same statement', () => {
    expect(eventFeatures({ title: 'China says it will suspend export curbs for one year' }).actions).toContain(
      'a:announce',
    );
    expect(eventFeatures({ title: 'Trump says Japan will buy US pickup trucks' }).actions).not.toContain('a:announce');
    const i = index();
    file(i, 'a', 'China says it will suspend rare earth export curbs for one year');
    file(i, 'b', 'Beijing says it will suspend export curbs on rare earths for a year', HOUR);
    expect(file(i, 'c', 'China confirms one-year halt to rare earth export curbs', 2 * HOUR).key).toBe('a');
  });

  it('counts the rarer features a probed story shares, its headline action among them when the event agrees on it', () => {
    const i = index();
    for (let n = 0; n < 30; n++) file(i, `other-${n}`, `Japan and US sign deal number ${n} in Tokyo`, n);
    file(i, 'a', 'Trump arrives in Tokyo for summit with Takaichi', HOUR);
    file(i, 'b', 'Trump lands in Tokyo ahead of summit with Takaichi', 2 * HOUR);
    const p = i.probe(3 * HOUR, eventFeatures({ title: 'Trump arrives in Japan for summit with Takaichi' }));
    expect(p?.key).toBe('a');
    expect(p!.telling).toBeGreaterThanOrEqual(2);
  });

  it("counts a name most of an event's reports carry as telling when few other stories have it, however big the event", () => {
    const i = index();
    for (let n = 0; n < 20; n++) file(i, `other-${n}`, `Japan and US sign deal number ${n} in Tokyo`, n);
    const arrivals = [
      'Trump arrives in Tokyo for summit with Takaichi',
      'Trump lands in Japan to meet Takaichi',
      'Trump arrives in Japan for talks with Takaichi on trade',
      'Takaichi to host Trump as he arrives in Tokyo',
      'Trump arrives for first summit with Takaichi',
      'Trump lands in Tokyo, Takaichi summit next',
    ];
    arrivals.forEach((title, n) => file(i, `a${n}`, title, HOUR + n));
    // "Takaichi" and "arrives" are in over a tenth of the pool, but only because the arrival is widely reported.
    const p = i.probe(2 * HOUR, eventFeatures({ title: 'Trump arrives, greeted by Takaichi' }));
    expect(p?.key).toBe('a0');
    expect(p!.telling).toBeGreaterThanOrEqual(2);
    // "Tokyo" is in many other stories: with "Trump" alone, a story in Tokyo is not sure of the arrival.
    expect(i.probe(2 * HOUR, eventFeatures({ title: 'Trump speaks in Tokyo' }))).toBeUndefined();
  });

  it("judges a story's action by its headline: a verb only its summary gives is background", () => {
    const told = (title: string, summary: string | null) => {
      const i = index();
      file(i, 'a', 'Trump cuts China tariffs after meeting Xi in Busan');
      file(i, 'b', 'Trump lowers tariffs on China after Busan talks with Xi', HOUR);
      return file(i, 'c', title, 2 * HOUR, summary);
    };
    const background = told(
      'Trump says China tariff deal after Busan talks with Xi is for one year',
      'It covers the export controls Beijing announced on Oct. 9.',
    );
    expect(background.key).toBe('a');
    // The same verb in the headline is what the story reports: another happening.
    const headline = told('Beijing announces China tariff deal after Busan talks with Xi is for one year', null);
    expect(headline.score).toBeLessThan(background.score);
  });

  it('is not sure of an event from shared Japanese character pairs alone', () => {
    const i = index();
    // "日米首脳" is in every story of the day: it tells none of them apart.
    for (let n = 0; n < 20; n++) file(i, `other-${n}`, `日米首脳、協議${n}で一致`, n);
    file(i, 'a', '日米首脳、重要鉱物で署名　「新たな黄金時代」を確認', HOUR);
    file(i, 'b', '日米首脳が署名、「新たな黄金時代」へ', HOUR);
    // A speech hailing the same golden age shares the phrase, not the signing.
    const speech = eventFeatures({ title: '日米首脳、空母で演説「新たな黄金時代」' });
    expect(i.probe(2 * HOUR, speech)).toBeUndefined();
    // A report of the signing shares its names and action too.
    expect(i.probe(2 * HOUR, eventFeatures({ title: '日米首脳、「新たな黄金時代」で署名' }))?.key).toBe('a');
  });

  it('never joins stories further apart than the window', () => {
    const i = index();
    file(i, 'a', 'Trump and Takaichi sign rare earths deal in Tokyo');
    expect(file(i, 'b', 'Trump and Takaichi sign rare earths deal in Tokyo', 4 * 24 * HOUR).joined).toBe(false);
  });

  it('handles bad input without a crash and without piling it into one event', () => {
    const i = index();
    const keys = new Set<string>();
    for (let n = 0; n < 20; n++) {
      keys.add(file(i, `empty-${n}`, '', n).key);
      keys.add(file(i, `outlet-${n}`, 'Reuters', n).key);
    }
    // Each is its own event: nothing to tell one happening from another.
    expect(keys.size).toBe(40);
    // An empty title with a summary is filed by its summary; a summary repeating the title adds nothing.
    const withSummary = file(i, 's1', '', 10, 'Toyota says the $10bn US investment Trump touted is not new');
    expect(withSummary.key).toBe('s1');
    expect(
      file(
        i,
        's2',
        'Toyota: $10bn US investment Trump touted is not new',
        11,
        'Toyota: $10bn US investment Trump touted is not new',
      ).key,
    ).toBe('s1');
    // A language no brief speaks still gets words of its own.
    expect(
      eventFeatures({ title: 'Japan und USA unterzeichnen Abkommen über Seltene Erden' }).terms.size,
    ).toBeGreaterThan(3);
  });

  it('bounds how large an event grows, so one event cannot swallow a news day', () => {
    const i = new EventIndex({ threshold: 0.35, windowMs: 3 * 24 * HOUR, maxEventSize: 50 });
    const sizes: number[] = [];
    for (let n = 0; n < 120; n++) sizes.push(file(i, `s${n}`, 'Japan and US sign rare earths deal in Tokyo', n).size);
    expect(Math.max(...sizes)).toBe(50);
    expect(i.keyOf('s119')).not.toBe(i.keyOf('s0'));
  });
});
