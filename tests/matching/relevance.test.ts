import { describe, expect, it } from 'vitest';
import { RelevanceMatcher } from '../../src/matching/relevance.js';
import { makeBrief } from './make-brief.js';

const minerals = makeBrief('minerals', {
  since: '2025-10-01',
  groups: {
    japan: ['Japan', '日本', '日米'],
    us: ['US', 'Trump', '米国', '日米'],
    trade: ['tariff', 'trade deal', '関税'],
  },
  strong: ['rare earth', 'レアアース', '@japan + @us + @trade'],
  supporting: ['China', 'magnets'],
  negative: ['band', 'mask'],
  specific: ['Takaichi + @us', '日米 + 署名'],
});
const matcher = new RelevanceMatcher([minerals], { relevance: 0.5, brief: 0.5 });

describe('RelevanceMatcher', () => {
  it('puts a story on topic from a strong term in the title, with readable reasons', () => {
    const d = matcher.decide({ title: 'China curbs rare-earth exports' });
    expect(d.relevant).toBe(true);
    expect(d.score).toBeGreaterThanOrEqual(0.5);
    expect(d.reasons.join('\n')).toContain('strong "rare earth" in the title');
    expect(d.reasons.join('\n')).toContain('supporting "China"');
  });

  it('counts a strong term only in the summary as weak evidence', () => {
    const d = matcher.decide({ title: 'Flea market finds', summary: 'He used rare earth magnets from old drives.' });
    expect(d.relevant).toBe(false);
    expect(d.score).toBeLessThan(0.5);
    expect(d.reasons.join('\n')).toContain('in the summary');
  });

  it('counts a strong term in the summary as split with the title when the title gives its context', () => {
    const d = matcher.decide({ title: 'US and China agree truce', summary: 'It covers tariffs and rare earths.' });
    expect(d.relevant).toBe(true);
    expect(d.reasons[0]).toBe('strong "rare earth" in the summary, with the context "China" in the title');
    // The same summary under a headline without the topic's context stays weak evidence.
    expect(
      matcher.decide({ title: 'US and Canada agree truce', summary: 'It covers tariffs and rare earths.' }).relevant,
    ).toBe(false);
  });

  it('calls a story with a supporting term in its title near, so its event can make it relevant', () => {
    const d = matcher.decide({ title: 'Trump cuts China tariffs after summit' });
    expect(d.relevant).toBe(false);
    expect(d.near).toBe(true);
    expect(matcher.decide({ title: 'Trump cuts Canada tariffs after summit' }).near).toBe(false);
  });

  it('needs every part of a "+" entry: Japan and US and trade', () => {
    expect(matcher.decide({ title: 'Trump raises tariff on Canada' }).relevant).toBe(false);
    expect(matcher.decide({ title: 'Japan beat US in baseball final' }).relevant).toBe(false);
    const d = matcher.decide({ title: 'Japan and US agree tariff cut' });
    expect(d.relevant).toBe(true);
    expect(d.reasons[0]).toContain('"@japan + @us + @trade" (Japan + US + tariff) in the title');
  });

  it('says which parts were seen when no entry is complete', () => {
    const d = matcher.decide({ title: 'Japan beat US in baseball final' });
    expect(d.reasons.join('\n')).toMatch(/only "Japan", "US" appear/);
  });

  it('lets negative terms weigh down another sense of a strong term', () => {
    const d = matcher.decide({ title: 'Rare Earth band releases album', summary: 'The band' });
    expect(d.relevant).toBe(false);
    expect(d.reasons.join('\n')).toContain('negative "band" in the title');
  });

  it('ties an on-topic story to the brief only with a specific entry', () => {
    const tied = matcher.decide({ title: 'Takaichi and Trump sign rare earth pact', published: '2025-10-28' });
    expect(tied).toMatchObject({ relevant: true, brief: 'minerals' });
    expect(tied.briefScore).toBeGreaterThanOrEqual(0.5);
    const untied = matcher.decide({ title: 'China curbs rare-earth exports', published: '2025-10-28' });
    expect(untied.brief).toBeNull();
    expect(untied.reasons.join('\n')).toContain('no brief-specific term fired');
  });

  it('does not tie stories published before the brief begins', () => {
    const d = matcher.decide({ title: 'Takaichi and Trump sign rare earth pact', published: '2024-05-01' });
    expect(d.relevant).toBe(true);
    expect(d.brief).toBeNull();
    expect(d.reasons.join('\n')).toContain('published before 2025-10-01');
  });

  it('works on Japanese headlines without spaces', () => {
    const d = matcher.decide({ title: '日米がレアアース協力の文書に署名', published: '2025-10-28' });
    expect(d).toMatchObject({ relevant: true, brief: 'minerals' });
    expect(matcher.decide({ title: '岩手県で震度5強 津波の心配なし' }).relevant).toBe(false);
  });

  it('picks the brief whose specific terms fire when there are several', () => {
    const other = makeBrief('lithium', { strong: ['rare earth'], specific: ['Chile'] });
    const two = new RelevanceMatcher([minerals, other], { relevance: 0.5, brief: 0.5 });
    const d = two.decide({ title: 'Chile signs rare earth deal' });
    expect(d.brief).toBe('lithium');
    expect(d.reasons[0]).toMatch(/^\[lithium\] /);
  });

  it('follows the configured thresholds', () => {
    const strict = new RelevanceMatcher([minerals], { relevance: 0.95, brief: 0.5 });
    expect(strict.decide({ title: 'China curbs rare-earth exports' }).relevant).toBe(false);
  });
});
