import { beforeAll, describe, expect, it } from 'vitest';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { createMatcher, type RelevanceMatcher } from '../../src/matching/relevance.js';
import { shippedConfig } from '../helpers/paths.js';

/**
 * Senses the shipped brief's negative list must tell apart without costing real
 * stories: words such as "clay", "band" or "toy" also occur in rare-earth news.
 */
let matcher: RelevanceMatcher;
beforeAll(async () => {
  const files = await loadBotFiles(shippedConfig, {});
  matcher = createMatcher(files.briefs.briefs, files.loaded.config.matching);
});

describe('the shipped matching profile', () => {
  it.each([
    ["Brazil's ionic clay rare earth deposits draw Western miners"],
    ['Rare earth prices stuck in a narrow trading band'],
    ["China's rare earth curbs hit toy makers"],
    [
      'Rare earth recycling startup raises $50 million',
      'The company says recycling magnets is kinder to the planet than mining.',
    ],
    ['日米、レアアースの共同備蓄で合意'],
  ])('keeps "%s" relevant', (title, summary?: string) => {
    expect(matcher.decide({ title, summary }).relevant).toBe(true);
  });

  it.each([
    ['Kiehl’s Rare Earth deep pore cleansing masque', null],
    ['Rare Earth - Get Ready (1969)', 'Rare Earth are an American rock band.'],
    ["'Rare Earth' review: a sci-fi novel about a lonely world", null],
    ['Rare steak or well done? What chefs say', null],
    ['Japan beat the US in the World Baseball Classic final', 'Ohtani struck out Trout to seal the deal.'],
    ['Trump threatens 25% tariff on Canada', null],
    ['石川県で震度5強 津波の心配なし', null],
  ])('keeps "%s" out', (title, summary) => {
    expect(matcher.decide({ title, summary }).relevant).toBe(false);
  });
});
