import { asyncFromSync } from '../../src/store/async-store.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterModule } from '../../src/adapters/index.js';
import { createCommandEngine } from '../../src/commands/engine.js';
import { loadBotFiles, type BotFiles } from '../../src/bot/load-bot-files.js';
import { MatchService } from '../../src/bot/match-service.js';
import { renderText } from '../../src/render/text.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import type { Story } from '../../src/store/story.js';
import { repoRoot, shippedConfig } from '../helpers/paths.js';

/**
 * Golden answers: what `dealbot ask` prints for every subcommand, in each
 * renderer, over a fixed store and a fixed clock. Refactors must leave these
 * bytes alone; a change that means to alter an answer updates the file in the
 * same commit (run vitest with -u) so the diff shows what readers will see.
 */

const NOW = new Date('2025-10-30T12:00:00.000Z');
const GOLDEN_DIR = path.join(repoRoot, 'tests/golden/answers');

interface Headline {
  id: string;
  title: string;
  summary: string | null;
  source: string;
  published: string | null;
  lang: string;
}

function fixtureStories(): Story[] {
  const lines = readFileSync(path.join(repoRoot, 'tests/fixtures/relevance/headlines.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  return lines.map((line, i) => {
    const h = JSON.parse(line) as Headline;
    // Spread over the two days before NOW so ages and ranking are exercised.
    const published = new Date(NOW.getTime() - (i % 48) * 3_600_000 - 600_000).toISOString();
    return {
      id: `url:https://news.example/${h.id}`,
      feedId: `feed-${h.source.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      title: h.title,
      summary: h.summary ?? '',
      url: `https://news.example/${h.id}`,
      published,
      author: null,
      lang: h.lang,
    };
  });
}

const COMMANDS: Array<{ name: string; text: string; platform?: string; user?: string }> = [
  { name: 'help', text: 'help' },
  { name: 'empty', text: '' },
  { name: 'facts', text: 'facts' },
  { name: 'provisions', text: 'provisions' },
  { name: 'reactions', text: 'reactions' },
  { name: 'impact', text: 'impact' },
  { name: 'timeline', text: 'timeline' },
  { name: 'takeaways', text: 'takeaways' },
  { name: 'faq', text: 'faq' },
  { name: 'sources', text: 'sources' },
  { name: 'briefs', text: 'briefs' },
  { name: 'latest', text: 'latest' },
  { name: 'latest-3', text: 'latest 3' },
  { name: 'search-rare-earth', text: 'search rare earth' },
  { name: 'search-tariffs-share', text: 'search tariffs --share' },
  { name: 'search-japanese', text: 'search レアアース' },
  { name: 'why-url', text: 'why https://news.example/t003' },
  { name: 'why-missing', text: 'why https://nowhere.example/x' },
  { name: 'feeds', text: 'feeds' },
  { name: 'digest', text: 'digest' },
  { name: 'unknown', text: 'fatcs' },
  { name: 'bad-brief', text: 'facts nosuchbrief' },
  { name: 'share', text: 'share facts' },
  { name: 'feeds-not-admin', text: 'feeds', platform: 'slack', user: 'U123' },
];

describe('golden answers of /deal (ask)', () => {
  let files: BotFiles;
  let store: Store;

  beforeAll(async () => {
    files = await loadBotFiles(shippedConfig, {});
    store = openSyncStore(':memory:');
    const stories = fixtureStories();
    const seenAt = new Date(NOW.getTime() - 3_600_000).toISOString();
    const { insertedIds } = store.stories.upsert(stories, { seenAt });
    const matching = new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => files.briefs,
      getConfig: () => files.loaded.config,
      now: () => NOW,
    });
    await matching.matchStories(insertedIds);
  });
  afterAll(() => store.close());

  for (const render of ['text', 'slack', 'discord'] as const) {
    it(`renders every subcommand as ${render}`, async () => {
      const engine = createCommandEngine({
        getConfig: () => files.loaded.config,
        getBriefs: () => files.briefs,
        services: { store: asyncFromSync(store) },
        now: () => NOW,
      });
      const module = render === 'text' ? undefined : await adapterModule(render);
      let out = '';
      for (const c of COMMANDS) {
        const reply = await engine({
          platform: c.platform ?? 'terminal',
          command: files.loaded.config.bot.command,
          text: c.text,
          user: { id: c.user ?? 'local' },
          channel: { id: 'cli' },
        });
        const body = module
          ? JSON.stringify(module.render(reply.message, { visibility: reply.visibility }), null, 2)
          : renderText(reply.message);
        out += `===== /deal ${c.text} (${c.name}) [${reply.visibility}]\n${body}\n`;
      }
      await expect(out).toMatchFileSnapshot(path.join(GOLDEN_DIR, `${render}.golden.txt`));
    });
  }
});
