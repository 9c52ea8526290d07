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
