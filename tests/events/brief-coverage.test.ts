import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBotFiles, type BotFiles } from '../../src/bot/load-bot-files.js';
import { briefCoverage } from '../../src/digests/brief-coverage-of.js';
import { repoRoot, shippedConfig } from '../helpers/paths.js';

/**
 * Which events the shipped brief already reports, against the labels of
 * tests/fixtures/events/events.jsonl (new_to_brief): the signing is in its timeline
 * and facts; Toyota's answer, the named investment projects, the shipbuilding memo
 * and the Westinghouse deal are not, and /deal updates and digests say so.
 */

interface LabelledEvent {
  event: string;
  about_brief: boolean;
  new_to_brief: boolean;
}

describe('brief coverage of events', () => {
  let files: BotFiles;
  const stories = readFileSync(path.join(repoRoot, 'tests/fixtures/events/stories.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; title: string; summary: string | null });
  const events = readFileSync(path.join(repoRoot, 'tests/fixtures/events/events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LabelledEvent)
    .filter((e) => e.about_brief);
  const isNew = (event: string) =>
    briefCoverage(files.briefs.default).entriesFor(stories.filter((s) => s.event === event)).length === 0;

  beforeAll(async () => {
    files = await loadBotFiles(shippedConfig, {});
  });

  it('tells the developments the brief reports from those it does not cover yet', () => {
    expect(isNew('ev-signing')).toBe(false);
    for (const e of ['ev-toyota-response', 'ev-investment-projects', 'ev-shipbuilding-memo', 'ev-westinghouse-80bn'])
      expect(isNew(e), e).toBe(true);
  });

  it('agrees with the labels on most events about the brief', () => {
    const agree = events.filter((e) => isNew(e.event) === e.new_to_brief).length;
    console.log(`brief coverage: ${agree} of ${events.length} labelled events judged as labelled (new or covered)`);
    expect(agree / events.length).toBeGreaterThanOrEqual(0.9);
  });
});
