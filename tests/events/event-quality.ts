import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventFeatures } from '../../src/events/event-features.js';
import { EventIndex } from '../../src/events/event-index.js';
import { repoRoot } from '../helpers/paths.js';

/** One labelled story of tests/fixtures/events (see its README). */
export interface LabelledStory {
  id: string;
  day: string;
  title: string;
  summary: string | null;
  source: string;
  feed: string;
  url: string | null;
  published: string;
  lang: string;
  event: string;
  relevant: boolean;
  about_brief: boolean;
}

export function labelledStories(): LabelledStory[] {
  const file = path.join(repoRoot, 'tests/fixtures/events/stories.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LabelledStory);
}

/** One labelled event of tests/fixtures/events/events.jsonl (see its README). */
export interface LabelledEvent {
  event: string;
  day: string;
  description: string;
  about_brief: boolean;
  brief_entries: string[];
  new_to_brief: boolean;
}

export function labelledEvents(): LabelledEvent[] {
  const file = path.join(repoRoot, 'tests/fixtures/events/events.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LabelledEvent);
}

/** Files the stories in time order through the real event index; returns story id → event key. */
export function clusterLabelled(stories: LabelledStory[], threshold: number): Map<string, string> {
  const index = new EventIndex({ threshold, windowMs: 2 * 86_400_000 });
  const out = new Map<string, string>();
  for (const s of [...stories].sort((a, b) => a.published.localeCompare(b.published))) {
    out.set(s.id, index.assign(s.id, Date.parse(s.published), eventFeatures(s)).key);
  }
  return out;
}

export interface ClusterScores {
  pairPrecision: number;
  pairRecall: number;
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
}

/** Pairwise and B-cubed precision and recall of predicted events against the labels. */
export function scoreClusters(stories: LabelledStory[], predicted: Map<string, string>): ClusterScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < stories.length; i++) {
    for (let j = i + 1; j < stories.length; j++) {
      const same = stories[i]!.event === stories[j]!.event;
      const joined = predicted.get(stories[i]!.id) === predicted.get(stories[j]!.id);
      if (same && joined) tp++;
      else if (joined) fp++;
      else if (same) fn++;
    }
  }
  let bp = 0;
  let br = 0;
  for (const s of stories) {
    const mine = stories.filter((o) => predicted.get(o.id) === predicted.get(s.id));
    const truth = stories.filter((o) => o.event === s.event);
    const both = mine.filter((o) => o.event === s.event).length;
    bp += both / mine.length;
    br += both / truth.length;
  }
  bp /= stories.length;
  br /= stories.length;
  return {
    pairPrecision: tp / (tp + fp || 1),
    pairRecall: tp / (tp + fn || 1),
    bcubedPrecision: bp,
    bcubedRecall: br,
    bcubedF1: (2 * bp * br) / (bp + br),
  };
}

/**
 * For debugging (DEBUG_EVENTS=1): each labelled event the predicted events split or
 * mix with others, the predicted events it is in and its stories there; with `note`,
 * what the index said of each story.
 */
export function eventErrors(
  stories: LabelledStory[],
  predicted: Map<string, string>,
  note?: (id: string) => string,
): string[] {
  const byKey = new Map<string, LabelledStory[]>();
  const byLabel = new Map<string, LabelledStory[]>();
  for (const s of stories) {
    const key = predicted.get(s.id)!;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
    byLabel.set(s.event, [...(byLabel.get(s.event) ?? []), s]);
  }
  const out: string[] = [];
  for (const [label, members] of byLabel) {
    const keys = new Set(members.map((s) => predicted.get(s.id)!));
    if (keys.size === 1 && byKey.get([...keys][0]!)!.length === members.length) continue;
    out.push(`== ${label} (${members.length}) in ${keys.size} events`);
    for (const key of keys) {
      const inKey = byKey.get(key)!;
      const others = [...new Set(inKey.filter((s) => s.event !== label).map((s) => s.event))];
      out.push(
        `  -- ${key}: ${inKey.filter((s) => s.event === label).length} of ${inKey.length}${others.length ? ` with ${others.join(' ')}` : ''}`,
      );
      for (const s of inKey.filter((s) => s.event === label))
        out.push(
          `       ${s.id} ${s.published.slice(5, 16)} ${s.title.slice(0, 100)}${note ? ` | ${note(s.id)}` : ''}`,
        );
    }
  }
  return out;
}
