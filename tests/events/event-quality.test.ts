import { asyncFromSync, promised } from '../../src/store/async-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFiles, type BotFiles } from '../../src/bot/load-bot-files.js';
import { MatchService } from '../../src/bot/match-service.js';
import { configSchema, type DigestConfig } from '../../src/config/schema.js';
import { previewDigest } from '../../src/digests/manual-digest.js';
import { createDigestCandidateSource } from '../../src/digests/store-candidates.js';
import { renderText } from '../../src/render/text.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import type { Story } from '../../src/store/story.js';
import { shippedConfig } from '../helpers/paths.js';
import { briefCoverage } from '../../src/digests/brief-coverage-of.js';
import { eventErrors, labelledEvents, labelledStories, scoreClusters, type LabelledStory } from './event-quality.js';

/**
 * Events, relevance, brief attachment and brief coverage on labelled real news days
 * (tests/fixtures/events, see its README): each day's stories go through the real
 * store and match step in time order, as polls would bring them; the figures are
 * printed, and each day's digest (max_items 8) with them. The floors sit just below
 * the figures measured when they were set, so a change that loses ground fails here:
 * - events, B-cubed over all relevant labelled stories: precision 0.98, recall 0.85,
 *   F1 0.909 (0.899 before a party saying it will act ("China says it will suspend…") was
 *   read as announcing it, so an event so told takes a confirmation; 0.889 while a verb only a story's summary gave, often background ("the
 *   controls Beijing announced on Oct. 9"), counted as what it reports; 0.880 before a name
 *   most of an event's reports carry and few other stories have counted as telling a near
 *   story's event apart, however big the event; 0.885 while
 *   a held near story was probed again by any newcomer sharing one telling feature with it:
 *   that cascade was a third of a 15,000-story poll's matching;
 *   0.85 before spans were features, a plan or a confirmation read as the
 *   statement an announced event is, general nouns were given both spellings and a near
 *   story sharing five of an event's rarer features was sure of it; 0.81 before near
 *   stories were held for a second look, one amount in two currencies matched and a
 *   confirmation by another party was its own happening; 0.77 before the title's context
 *   counted for a summary's topic; before the event profile: 0.60; title-only grouping:
 *   F1 0.39); over the stories the matcher finds relevant (the only ones filed into
 *   events): F1 0.945. The issue's goal of 0.90 is met on both; over all, the 15 relevant
 *   stories the matcher misses are events of their own, which caps the first figure at
 *   0.96, and split events cost the rest;
 * - relevance: precision 0.99, recall 0.934 (0.925 before a big event's own names told it
 *   apart, 0.93 with the cascade above, 0.92 before five shared rarer features made
 *   a near story sure of its event, 0.90 before near stories were held, 0.83 before the
 *   title's context, 0.80 before relevance through events);
 * - brief attachment: precision 0.98, recall 0.93 (0.92 before a big event's own names told
 *   it apart, 0.91 before the nouns above, 0.92
 *   before `about` named what as well as who, which keeps the finance ministers' talks,
 *   now on topic, untied);
 * - brief coverage: 23 of 24 events about the brief judged as labelled, "covered" said of
 *   6 of the 7 events the brief covers and never wrongly (18 of 24 and 1 of 7 while an entry's
 *   plain words weighed as much as what it names, an analysis's own words counted as its
 *   content and a detail one outlet's summary gave counted as the event's; 17 before that,
 *   3 of 6 "covered" wrong, and part of the signing split off and shown as new).
 * DEBUG_EVENTS=1 (or 2, with what the index said) prints what was split or mixed.
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
    store = openSyncStore(':memory:');
    let now = new Date(labelled[0]!.published);
    const matching = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => files.briefs,
      getConfig: () => files.loaded.config,
      now: () => now,
    });
    const entry: DigestConfig = configSchema.parse({
      digests: [{ platform: 'terminal', channel: 'desk', cron: '59 23 * * *', timezone: 'UTC', max_items: 8 }],
    }).digests[0]!;
    const base = createDigestCandidateSource(asyncFromSync(store));
    // One poll an hour: the stories published in that hour, decided and filed together;
    // at the end of each day, the digest that day's stories make.
    const byHour = new Map<string, LabelledStory[]>();
    for (const s of [...labelled].sort((a, b) => a.published.localeCompare(b.published))) {
      const hour = s.published.slice(0, 13);
      byHour.set(hour, [...(byHour.get(hour) ?? []), s]);
    }
    const hours = [...byHour.keys()];
    for (const [i, hour] of hours.entries()) {
      now = new Date(`${hour}:59:00.000Z`);
      const { insertedIds } = store.stories.upsert(byHour.get(hour)!.map(toStory), { seenAt: now.toISOString() });
      await matching.matchStories(insertedIds);
      const day = hour.slice(0, 10);
      if (hours[i + 1]?.slice(0, 10) === day) continue;
      const since = `${day}T00:00:00.000Z`;
      const candidates = { candidates: (q: Parameters<typeof base.candidates>[0]) => base.candidates({ ...q, since }) };
      const { message } = await previewDigest(
        { config: files.loaded.config, briefs: files.briefs, ledger: promised(store.ledger), candidates },
        entry,
        new Date(`${day}T23:59:00.000Z`),
      );
      if (!message) continue;
      digests.push(`----- digest for ${day} -----\n${renderText(message)}`);
      const lines = message.sections.flatMap((sec) => sec.items).filter((item) => item.url);
      digestKeys.push(
        lines.map((item) => store.matches.get(store.stories.get(item.url!)?.id ?? '')?.clusterKey ?? item.url!),
      );
    }
  });
  afterAll(() => store.close());

  it('groups one happening reported in other words into one event, and keeps different happenings apart', () => {
    const relevant = labelled.filter((s) => s.relevant);
    const decisions = store.matches.getMany(relevant.map((s) => idOf.get(s.id)!));
    const predicted = new Map(relevant.map((s) => [s.id, decisions.get(idOf.get(s.id)!)?.clusterKey ?? s.id]));
    const all = scoreClusters(relevant, predicted);
    // Only stories the matcher finds relevant are filed into events: each one it misses is an
    // event of its own here, whatever the clustering does. So the clustering is also scored on
    // the stories it is given, and the best the whole could score after this matcher is printed.
    const passed = relevant.filter((s) => decisions.get(idOf.get(s.id)!)?.relevant);
    const given = scoreClusters(passed, predicted);
    const ceiling = scoreClusters(
      relevant,
      new Map(relevant.map((s) => [s.id, decisions.get(idOf.get(s.id)!)?.relevant ? s.event : s.id])),
    );
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `events on ${relevant.length} relevant labelled stories: pairwise precision ${pct(all.pairPrecision)}, ` +
        `recall ${pct(all.pairRecall)}; B-cubed precision ${pct(all.bcubedPrecision)}, recall ${pct(all.bcubedRecall)}, F1 ${pct(all.bcubedF1)} ` +
        `(perfect events after this matcher: F1 ${pct(ceiling.bcubedF1)})\n` +
        `events on the ${passed.length} of them the matcher finds relevant: B-cubed precision ${pct(given.bcubedPrecision)}, ` +
        `recall ${pct(given.bcubedRecall)}, F1 ${pct(given.bcubedF1)}`,
    );
    if (process.env.DEBUG_EVENTS) {
      const note = (id: string) => decisions.get(idOf.get(id)!)?.eventNote ?? '';
      console.log(eventErrors(passed, predicted, process.env.DEBUG_EVENTS === '2' ? note : undefined).join('\n'));
    }
    expect(all.bcubedPrecision).toBeGreaterThanOrEqual(0.97);
    expect(all.bcubedF1).toBeGreaterThanOrEqual(0.905);
    expect(given.bcubedF1).toBeGreaterThanOrEqual(0.94);
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
      } else if (s.about_brief) {
        fn++;
        if (process.env.DEBUG_EVENTS)
          console.log('FN', s.event, s.title, '|', store.matches.get(idOf.get(s.id)!)?.reasons.at(-1));
      }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      `brief attachment: precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}% (${tp} tied, ${fp} wrongly, ${fn} missed)`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.91);
  });

  it('finds stories relevant through their event without letting the wider news in', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let throughEvent = 0;
    for (const s of labelled) {
      const d = store.matches.get(idOf.get(s.id)!);
      if (d?.reasons.some((r) => r.startsWith('relevant through its event'))) throughEvent++;
      if (d?.relevant && s.relevant) tp++;
      else if (d?.relevant) {
        fp++;
        if (process.env.DEBUG_EVENTS) console.log('FP relevant', s.event, s.title, '|', d.reasons.at(-1));
      } else if (s.relevant) {
        fn++;
        if (process.env.DEBUG_EVENTS) console.log('FN relevant', s.event, s.title, '|', d?.reasons.at(-1));
      }
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      `relevance: precision ${(100 * precision).toFixed(1)}%, recall ${(100 * recall).toFixed(1)}% (${fp} wrongly, ${fn} missed; ${throughEvent} relevant through their event)`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.98);
    expect(recall).toBeGreaterThanOrEqual(0.93);
    expect(throughEvent).toBeGreaterThan(0);
  });

  it('tells the events the brief covers from those new to it', () => {
    const brief = files.briefs.get(BRIEF)!;
    const coverage = briefCoverage(brief);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let right = 0;
    const judged = labelledEvents().filter((e) => e.about_brief);
    const coveredOf = new Map<string, boolean>();
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
      coveredOf.set(e.event, covered);
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
    // Coverage is not corroboration, and a development marked covered when it is not is
    // hidden from editors: "covered" must be right when said.
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(right / judged.length).toBeGreaterThanOrEqual(0.9);
    expect(coveredOf.get('ev-signing')).toBe(true);
  });

  it('prints the digest each day would get, each event once', () => {
    console.log(`\n${digests.join('\n\n')}`);
    expect(digests.length).toBeGreaterThanOrEqual(3);
    for (const keys of digestKeys) expect(new Set(keys).size).toBe(keys.length);
  });
});
