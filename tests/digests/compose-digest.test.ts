import { describe, expect, it } from 'vitest';
import { composeDigest, type ComposeDigestInput } from '../../src/digests/compose-digest.js';
import { renderText } from '../../src/render/text.js';
import { BRIEFS, candidate } from './helpers.js';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function compose(over: Partial<ComposeDigestInput>) {
  return composeDigest({
    candidates: [],
    receivedClusters: new Set(),
    briefs: [BRIEFS.get('rare-earths')!],
    maxItems: 8,
    quietDay: 'skip',
    command: 'deal',
    defaultBriefId: 'rare-earths',
    now: NOW,
    slot: NOW,
    timeZone: 'America/New_York',
    late: false,
    ...over,
  });
}

describe('digest composition', () => {
  it('shows each story with title, outlet, age and link, under its brief, with the at-a-glance line', () => {
    const c = candidate({
      storyId: 'a',
      outlets: ['Nikkei'],
      story: { title: 'Japan and US sign minerals pact', firstSeen: hoursAgo(3) },
    });
    const { message } = compose({ candidates: [c] });
    expect(message?.title).toBe('Digest — Mon 10 Mar 2025');
    expect(message?.intro).toBe('Trump and Takaichi signed a rare-earths deal.');
    expect(message?.sections).toEqual([
      {
        heading: 'US–Japan rare-earths deal',
        items: [
          {
            text: 'Japan and US sign minerals pact',
            url: 'https://news.example/a',
            meta: 'Nikkei · 3h ago · new: not in the brief',
            // The age is recomputed from this when the digest is posted later than composed.
            time: hoursAgo(3),
          },
        ],
      },
    ]);
  });

  it('ranks by relevance first, then recency, then how many outlets covered the event', () => {
    const order = (...list: ReturnType<typeof candidate>[]) =>
      compose({ candidates: list }).message?.sections[0]?.items.map((i) => i.url?.split('/').pop());
    // Clearly more relevant wins even when older.
    expect(
      order(
        candidate({ storyId: 'new', score: 0.6, story: { firstSeen: hoursAgo(1) } }),
        candidate({ storyId: 'relevant', score: 0.95, story: { firstSeen: hoursAgo(20) } }),
      ),
    ).toEqual(['relevant', 'new']);
    // Equally relevant: newer first.
    expect(
      order(
        candidate({ storyId: 'older', score: 0.8, story: { firstSeen: hoursAgo(10) } }),
        candidate({ storyId: 'newer', score: 0.8, story: { firstSeen: hoursAgo(1) } }),
      ),
    ).toEqual(['newer', 'older']);
    // Equally relevant and recent: the event more outlets covered first.
    expect(
      order(
        candidate({ storyId: 'one', score: 0.8, story: { firstSeen: hoursAgo(4) } }),
        candidate({ storyId: 'wide', score: 0.8, outlets: ['A', 'B', 'C'], story: { firstSeen: hoursAgo(4) } }),
      ),
    ).toEqual(['wide', 'one']);
    // Slightly less relevant but much newer and widely covered: the blend puts it ahead.
    expect(
      order(
        candidate({ storyId: 'edge', score: 0.85, story: { firstSeen: hoursAgo(30) } }),
        candidate({
          storyId: 'big',
          score: 0.8,
          outlets: ['A', 'B', 'C', 'D', 'E'],
          story: { firstSeen: hoursAgo(1) },
        }),
      ),
    ).toEqual(['big', 'edge']);
  });

  it('shows an event once, with the other outlets counted, and records every story of it', () => {
    const lead = candidate({
      storyId: 'lead',
      clusterKey: 'pact',
      score: 0.9,
      outlets: ['Reuters'],
      story: { firstSeen: hoursAgo(2) },
    });
    const echo1 = candidate({ storyId: 'echo1', clusterKey: 'pact', score: 0.7, outlets: ['AP'] });
    const echo2 = candidate({ storyId: 'echo2', clusterKey: 'pact', score: 0.6, outlets: ['NHK', 'AP'] });
    const { message, stories } = compose({ candidates: [echo1, lead, echo2] });
    expect(message?.sections[0]?.items).toHaveLength(1);
    expect(message?.sections[0]?.items[0]).toMatchObject({
      url: 'https://news.example/lead',
      meta: 'Reuters · 2h ago · covered by 3 outlets: AP, NHK · new: not in the brief',
    });
    expect(stories.map((s) => [s.storyId, s.role]).sort()).toEqual([
      ['echo1', 'shown'],
      ['echo2', 'shown'],
      ['lead', 'shown'],
    ]);
  });

  it('does not show again an event the channel already received, but accounts for its new stories', () => {
    const old = candidate({ storyId: 'late-echo', clusterKey: 'sent-yesterday' });
    const fresh = candidate({ storyId: 'fresh' });
    const { message, stories } = compose({ candidates: [old, fresh], receivedClusters: new Set(['sent-yesterday']) });
    expect(renderText(message!)).not.toContain('late-echo');
    expect(stories).toContainEqual(expect.objectContaining({ storyId: 'late-echo', role: 'folded' }));
  });

  it('caps at max_items with "and N more — /deal latest", counting events, and records the hidden ones', () => {
    const list = Array.from({ length: 7 }, (_, i) => candidate({ storyId: `s${i}`, score: 0.9 - i * 0.05 }));
    list.push(candidate({ storyId: 's0-echo', clusterKey: 'cluster-s0', score: 0.5 }));
    const { message, stories } = compose({ candidates: list, maxItems: 3 });
    expect(message?.sections[0]?.items.map((i) => i.url?.split('/').pop())).toEqual(['s0', 's1', 's2']);
    expect(message?.sections[0]?.more).toEqual({ count: 4, hint: '/deal latest' });
    expect(renderText(message!)).toContain('… and 4 more — /deal latest');
    expect(
      stories
        .filter((s) => s.role === 'more')
        .map((s) => s.storyId)
        .sort(),
    ).toEqual(['s3', 's4', 's5', 's6']);
    expect(stories).toHaveLength(8);
  });

  it('groups by brief in the config order, each story once under its best brief, with the cap across the digest', () => {
    const both = [
      candidate({ storyId: 'both', briefId: 'rare-earths', score: 0.6 }),
      candidate({ storyId: 'both', briefId: 'tariffs', score: 0.9 }),
    ];
    const tariff = candidate({ storyId: 'tariff-only', briefId: 'tariffs', score: 0.5 });
    const rare = candidate({ storyId: 'rare-only', briefId: 'rare-earths', score: 0.8 });
    const low = candidate({ storyId: 'rare-low', briefId: 'rare-earths', score: 0.1 });
    const { message, stories } = compose({
      candidates: [...both, tariff, rare, low],
      briefs: [BRIEFS.get('rare-earths')!, BRIEFS.get('tariffs')!],
      maxItems: 3,
    });
    expect(message?.sections.map((s) => s.heading)).toEqual(['US–Japan rare-earths deal', 'US tariffs']);
    expect(message?.sections[0]?.items.map((i) => i.url?.split('/').pop())).toEqual(['rare-only']);
    expect(message?.sections[0]?.more).toEqual({ count: 1, hint: '/deal latest' });
    expect(message?.sections[1]?.items.map((i) => i.url?.split('/').pop())).toEqual(['both', 'tariff-only']);
    expect(message?.intro).toBe(
      'US–Japan rare-earths deal: Trump and Takaichi signed a rare-earths deal.\nUS tariffs: Tariffs keep moving.',
    );
    expect(stories.filter((s) => s.storyId === 'both')).toEqual([expect.objectContaining({ briefId: 'tariffs' })]);
  });

  it('names the brief in the hint when it is not the default', () => {
    const list = [candidate({ briefId: 'tariffs', score: 0.9 }), candidate({ briefId: 'tariffs', score: 0.8 })];
    const { message } = compose({ candidates: list, briefs: [BRIEFS.get('tariffs')!], maxItems: 1 });
    expect(message?.sections[0]?.more?.hint).toBe('/deal latest tariffs');
  });

  it('keeps backlog stories of newly added feeds out entirely', () => {
    const backlog = candidate({ storyId: 'old-archive', score: 0.99, story: { backlog: true } });
    const { message, stories } = compose({ candidates: [backlog] });
    expect(message).toBeNull();
    expect(stories).toEqual([]);
  });

  it('follows quiet_day: skip posts nothing, short-line posts one line', () => {
    expect(compose({ quietDay: 'skip' }).message).toBeNull();
    const short = compose({ quietDay: 'short-line' }).message!;
    expect(short.sections).toEqual([]);
    expect(renderText(short).split('\n')[0]).toBe(
      'Digest — Mon 10 Mar 2025: nothing new since the last digest (/deal latest shows recent stories)',
    );
  });

  it('treats a day with only already-received events as quiet, still recording their stories', () => {
    const echo = candidate({ storyId: 'echo', clusterKey: 'old' });
    const { message, stories } = compose({ candidates: [echo], receivedClusters: new Set(['old']), quietDay: 'skip' });
    expect(message).toBeNull();
    expect(stories).toEqual([expect.objectContaining({ storyId: 'echo', role: 'folded' })]);
  });

  it('says when a digest is late, in the schedule zone', () => {
    const slot = new Date('2025-03-10T12:00:00.000Z'); // 08:00 in New York (EDT)
    const { message } = compose({
      candidates: [candidate()],
      late: true,
      slot,
      now: new Date('2025-03-10T15:00:00.000Z'),
    });
    expect(message?.footer).toBe('Sent late: due at 08:00 (America/New_York) while the bot was offline.');
  });

  it('trusts first-seen over a publication date in the future', () => {
    const c = candidate({ story: { firstSeen: hoursAgo(5), published: '2030-01-01T00:00:00.000Z' } });
    expect(compose({ candidates: [c] }).message?.sections[0]?.items[0]?.meta).toBe(
      'Nikkei · 5h ago · new: not in the brief',
    );
  });
});
