import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFiles, type BotFiles } from '../../src/bot/load-bot-files.js';
import { MatchService } from '../../src/bot/match-service.js';
import { configSchema, type DigestConfig } from '../../src/config/schema.js';
import { previewDigest } from '../../src/digests/manual-digest.js';
import { createDigestCandidateSource } from '../../src/digests/store-candidates.js';
import { renderText } from '../../src/render/text.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import type { Story } from '../../src/store/story.js';
import { shippedConfig } from '../helpers/paths.js';
import { briefCoverage } from '../../src/digests/brief-coverage-of.js';
import { labelledEvents, labelledStories, scoreClusters, type LabelledStory } from './event-quality.js';

/**
 * Events and brief attachment on labelled real news days (tests/fixtures/events,
 * see its README): each day's stories go through the real store and match step
 * in time order, as polls would bring them; the figures are printed, and each
 * day's digest (max_items 8) with them. The floors sit just below the figures
 * measured when they were set (B-cubed precision 0.80, F1 0.59; attachment 0.97 /
 * 0.87), far above the title-only clusterer this replaced (B-cubed F1 0.39), so a
 * change that loses ground fails here. The issue's goal (0.90) is not met yet.
 */

const BRIEF = 'us-japan-rare-earths-2025';

/** The real hosts of the outlets the set names most; others get one made from their feed id. */
const HOSTS: Record<string, string> = {
  Reuters: 'reuters.com',
  AP: 'apnews.com',
  'BBC News': 'bbc.com',
  CNN: 'cnn.com',
  Bloomberg: 'bloomberg.com',
  'Nikkei Asia': 'asia.nikkei.com',
  'The Japan Times': 'japantimes.co.jp',
  'Japan Times': 'japantimes.co.jp',
  'Kyodo News': 'english.kyodonews.net',
  'NHK World': 'www3.nhk.or.jp',
  NHK: 'nhk.or.jp',
  DW: 'dw.com',
  'Al Jazeera': 'aljazeera.com',
  'The Guardian': 'theguardian.com',
  'The New York Times': 'nytimes.com',
  CNBC: 'cnbc.com',
  'Financial Times': 'ft.com',
  日本経済新聞: 'nikkei.com',
  読売新聞: 'yomiuri.co.jp',
  朝日新聞: 'asahi.com',
  毎日新聞: 'mainichi.jp',
  共同通信: 'kyodonews.jp',
  時事通信: 'jiji.com',
};

/** A link per story, as its feed gives it: the aggregator's own where the set has one. */
function linkOf(s: LabelledStory): string {
  if (s.url) return s.url;
  const host = HOSTS[s.source] ?? `${s.feed.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.example`;
  return `https://www.${host}/${s.id}`;
}

function toStory(s: LabelledStory): Story {
  return {
    id: `url:${linkOf(s)}`,
    feedId: s.feed,
    title: s.title,
    summary: s.summary ?? '',
    url: linkOf(s),
    published: s.published,
    author: null,
    lang: s.lang,
  };
}

describe('events and brief attachment on labelled news days', () => {
  const labelled = labelledStories();
  let files: BotFiles;
  let store: Store;
  const idOf = new Map(labelled.map((s) => [s.id, toStory(s).id]));

  const digests: string[] = [];
  const digestKeys: string[][] = [];

  beforeAll(async () => {
    files = await loadBotFiles(shippedConfig, {});
    store = openStore(':memory:');
    let now = new Date(labelled[0]!.published);
    const matching = new MatchService({
      store,
      getBriefs: () => files.briefs,
      getConfig: () => files.loaded.config,
      now: () => now,
    });
    const entry: DigestConfig = configSchema.parse({
      digests: [{ platform: 'terminal', channel: 'desk', cron: '59 23 * * *', timezone: 'UTC', max_items: 8 }],
    }).digests[0]!;
    const base = createDigestCandidateSource(store);
    // One poll an hour: the stories published in that hour, decided and filed together;
    // at the end of each day, the digest that day's stories make.
    const byHour = new Map<string, LabelledStory[]>();
    for (const s of [...labelled].sort((a, b) => a.published.localeCompare(b.published))) {
      const hour = s.published.slice(0, 13);
      byHour.set(hour, [...(byHour.get(hour) ?? []), s]);
    }
    const hours = [...byHour.keys()];
    hours.forEach((hour, i) => {
      now = new Date(`${hour}:59:00.000Z`);
      const { insertedIds } = store.stories.upsert(byHour.get(hour)!.map(toStory), { seenAt: now.toISOString() });
      matching.matchStories(insertedIds);
      const day = hour.slice(0, 10);
      if (hours[i + 1]?.slice(0, 10) === day) return;
      const since = `${day}T00:00:00.000Z`;
      const candidates = { candidates: (q: Parameters<typeof base.candidates>[0]) => base.candidates({ ...q, since }) };
      const { message } = previewDigest(
        { config: files.loaded.config, briefs: files.briefs, ledger: store.ledger, candidates },
        entry,
        new Date(`${day}T23:59:00.000Z`),
      );
      if (!message) return;
      digests.push(`----- digest for ${day} -----\n${renderText(message)}`);
      const lines = message.sections.flatMap((sec) => sec.items).filter((item) => item.url);
      digestKeys.push(
        lines.map((item) => store.matches.get(store.stories.get(item.url!)?.id ?? '')?.clusterKey ?? item.url!),
      );
    });
  });
  afterAll(() => store.close());

  it('groups one happening reported in other words into one event, and keeps different happenings apart', () => {
    const relevant = labelled.filter((s) => s.relevant);
    const decisions = store.matches.getMany(relevant.map((s) => idOf.get(s.id)!));
    const predicted = new Map(relevant.map((s) => [s.id, decisions.get(idOf.get(s.id)!)?.clusterKey ?? s.id]));
    const scores = scoreClusters(relevant, predicted);
    const passed = relevant.filter((s) => decisions.get(idOf.get(s.id)!)?.relevant);
    const ceiling = scoreClusters(
      relevant,
      new Map(relevant.map((s) => [s.id, decisions.get(idOf.get(s.id)!)?.relevant ? s.event : s.id])),
    );
    const onPassed = scoreClusters(passed, predicted);
    console.log(
      `matcher passes ${passed.length}; ceiling F1 ${ceiling.bcubedF1.toFixed(3)} P ${ceiling.bcubedPrecision.toFixed(3)} R ${ceiling.bcubedRecall.toFixed(3)}; on passed P ${onPassed.bcubedPrecision.toFixed(3)} R ${onPassed.bcubedRecall.toFixed(3)} F1 ${onPassed.bcubedF1.toFixed(3)}`,
    );
    if (process.env.DEBUG_EVENTS)
      for (const s of relevant.filter((s) => !decisions.get(idOf.get(s.id)!)?.relevant)) {
        const d = decisions.get(idOf.get(s.id)!);
        console.log('MISSED', s.id, s.event, d?.score, s.title.slice(0, 80), '|', d?.reasons.at(-1)?.slice(0, 120));
      }
    if (process.env.DEBUG_EVENTS) {
      const byKey = new Map<string, LabelledStory[]>();
      for (const s of passed) byKey.set(predicted.get(s.id)!, [...(byKey.get(predicted.get(s.id)!) ?? []), s]);
      const labels = new Map<string, LabelledStory[]>();
      for (const s of passed) labels.set(s.event, [...(labels.get(s.event) ?? []), s]);
      for (const [label, members] of labels) {
        const keys = new Set(members.map((s) => predicted.get(s.id)!));
        if (keys.size < 2 && byKey.get([...keys][0]!)!.length === members.length) continue;
        console.log(`\n== ${label} (${members.length}) in ${keys.size} events`);
        for (const k of keys) {
          const ms = byKey.get(k)!;
          const others = [...new Set(ms.filter((s) => s.event !== label).map((s) => s.event))];
          console.log(
            `  -- ${k.slice(-5)}: ${ms.filter((s) => s.event === label).length} of ${ms.length}${others.length ? ` with ${others.join(' ')}` : ''}`,
          );
          for (const s of ms.filter((s) => s.event === label))
            console.log(
              `       ${s.id} ${s.published.slice(5, 16)} ${s.title.slice(0, 100)}${process.env.DEBUG_EVENTS === '2' ? ` | ${decisions.get(idOf.get(s.id)!)?.eventNote ?? ''}` : ''}`,
            );
        }
      }
    }
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `events on ${relevant.length} relevant labelled stories: pairwise precision ${pct(scores.pairPrecision)}, ` +
        `recall ${pct(scores.pairRecall)}; B-cubed precision ${pct(scores.bcubedPrecision)}, recall ${pct(scores.bcubedRecall)}, F1 ${pct(scores.bcubedF1)}`,
    );
    expect(scores.bcubedPrecision).toBeGreaterThanOrEqual(0.78);
    expect(scores.bcubedF1).toBeGreaterThanOrEqual(0.55);
  });

  it("ties stories about the brief's story to the brief, and leaves the wider topic untied", () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const s of labelled) {
      const attached = store.matches.get(idOf.get(s.id)!)?.briefId === BRIEF;
      if (attached && s.about_brief) tp++;
      else if (attached) {
        fp++;
        if (process.env.DEBUG_EVENTS)
          console.log('FP', s.event, s.title, store.matches.get(idOf.get(s.id)!)?.reasons.at(-1));
      } else if (s.about_brief) fn++;
    }
    let rtp = 0;
    let rfp = 0;
    let rfn = 0;
    for (const s of labelled) {
      const relevant = !!store.matches.get(idOf.get(s.id)!)?.relevant;
      if (relevant && s.relevant) rtp++;
      else if (relevant) {
        rfp++;
        if (process.env.DEBUG_EVENTS) {
          const d = store.matches.get(idOf.get(s.id)!);
          console.log('RFP', s.id, s.event, s.title.slice(0, 70), '|', d?.reasons.at(-1), '|', d?.eventNote);
        }
      } else if (s.relevant) rfn++;
    }
    console.log(
      `relevance: precision ${(100 * (rtp / (rtp + rfp))).toFixed(1)}%, recall ${(100 * (rtp / (rtp + rfn))).toFixed(1)}% (${rfp} wrongly, ${rfn} missed)`,
    );
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      `brief attachment: precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}% (${tp} tied, ${fp} wrongly, ${fn} missed)`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });

  it('tells the events the brief covers from those new to it', () => {
    const brief = files.briefs.get(BRIEF)!;
    const coverage = briefCoverage(brief);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let right = 0;
    const judged = labelledEvents().filter((e) => e.about_brief);
    for (const e of judged) {
      // The event the bot made of most of the labelled event's stories, as a digest shows it.
      const keys = new Map<string, number>();
      for (const s of labelled.filter((s) => s.event === e.event)) {
        const key = store.matches.get(idOf.get(s.id)!)?.clusterKey;
        if (key) keys.set(key, (keys.get(key) ?? 0) + 1);
      }
      const [key] = [...keys].sort((a, b) => b[1] - a[1])[0] ?? [];
      const members = key ? store.stories.getMany(store.matches.clusterMembers(key).map((d) => d.storyId)) : [];
      const covered = members.length > 0 && coverage.entriesFor(members).length > 0;
      const truth = !e.new_to_brief;
      if (covered === truth) right++;
      if (covered && truth) tp++;
      else if (covered) fp++;
      else if (truth) fn++;
      if (process.env.DEBUG_EVENTS && covered !== truth)
        console.log(
          'COVERAGE',
          e.event,
          `labelled ${truth ? 'covered' : 'new'}, judged ${covered ? 'covered' : 'new'}`,
        );
    }
    const precision = tp / (tp + fp || 1);
    const recall = tp / (tp + fn || 1);
    console.log(
      `brief coverage of the events made: ${right} of ${judged.length} events about the brief judged as labelled; ` +
        `"covered" precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}% (${tp} right, ${fp} wrongly, ${fn} missed)`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.5);
    expect(right / judged.length).toBeGreaterThanOrEqual(0.7);
  });

  it('prints the digest each day would get, each event once', () => {
    console.log(`\n${digests.join('\n\n')}`);
    expect(digests.length).toBeGreaterThanOrEqual(3);
    for (const keys of digestKeys) expect(new Set(keys).size).toBe(keys.length);
  });
});
