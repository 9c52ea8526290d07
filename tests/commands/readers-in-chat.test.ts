import { asyncFromSync } from '../../src/store/async-store.js';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchService } from '../../src/bot/match-service.js';
import { helpMessage } from '../../src/commands/help-message.js';
import { SUBCOMMANDS } from '../../src/commands/subcommands/index.js';
import { renderText } from '../../src/render/text.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import { repoRoot } from '../helpers/paths.js';
import { createTestBot, type TestBot } from '../helpers/test-bot.js';
import { story } from '../store/story-factory.js';

/**
 * Issue #13, "Readers in chat": search across briefs and languages, best first;
 * one-source marks and corrections; editors' words kept from readers; a brief's own
 * headings; ways on from long lists; loose words refused. A project with the shipped
 * brief and a second one on export controls (one source, its own headings).
 */

const CONTROLS = `id: china-export-controls-2025
title: China's export controls on rare-earth technology
summary: China widened its export controls to magnet-making technology.
as_of: '2025-10-20'
sources:
  - id: wire-001
    outlet: Example Wire
    title: China widens export controls
    reliability: Established wire service; consistent with its earlier reports.
headings:
  provisions: What the controls cover
  reactions: Industry and government responses
sections:
  facts:
    - text: China requires export licences for magnet-making technology.
      sources: [wire-001]
  provisions:
    - text: Licences are also needed for gallium and germanium.
      sources: [wire-001]
      note: Only article 001 lists the metals; seed-999 is not a source here.
  reactions:
    - text: Warned of production stoppages.
      by: Carmakers
      sources: [wire-001]
matching:
  groups:
    gallium: [gallium, ガリウム]
    controls: [export controls, export curbs, 輸出規制]
  strong: ["@controls"]
`;

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-readers-'));
  cpSync(path.join(repoRoot, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
  cpSync(path.join(repoRoot, 'config'), path.join(dir, 'config'), { recursive: true });
  writeFileSync(path.join(dir, 'briefs/china-export-controls-2025.yaml'), CONTROLS);
  return dir;
}

const NOW = new Date(Date.UTC(2025, 9, 30, 12));
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const OTHER = 'china-export-controls-2025';

let bot: TestBot;
let store: Store;
beforeAll(async () => {
  store = openSyncStore(':memory:');
  bot = await createTestBot({
    configFile: path.join(project(), 'config/dealbot.yaml'),
    services: { store: asyncFromSync(store) },
  });
  const stories = [
    // Matched to the US–Japan brief, but the oldest of the recent ones.
    story({
      id: 'matched',
      title: 'Japan, US sign deal on rare earths as Trump visits Tokyo',
      url: 'https://www.reuters.com/matched',
      published: hoursAgo(20),
    }),
    // On topic, no brief, newer.
    story({
      id: 'relevant',
      title: 'Kazakhstan reports major rare earth deposit find',
      url: 'https://mining.example/relevant',
      published: hoursAgo(5),
    }),
    // Scored off-topic, and the newest of all.
    story({
      id: 'skincare',
      title: "Kiehl's Rare Earth deep pore cleansing clay mask review",
      url: 'https://beauty.example/skincare',
      published: hoursAgo(1),
    }),
  ];
  const old = story({
    id: 'backlog',
    title: 'China rare earth output rises',
    url: 'https://old.example/backlog',
    published: '2024-07-25T00:00:00.000Z',
  });
  store.stories.upsert(stories, { seenAt: hoursAgo(0.5) });
  store.stories.upsert([old], { seenAt: hoursAgo(0.5), backlogBefore: hoursAgo(24 * 30) });
  await new MatchService({
    store: asyncFromSync(store),
    getBriefs: () => bot.files.briefs,
    getConfig: () => bot.files.loaded.config,
    now: () => NOW,
  }).matchStories(['matched', 'relevant', 'skincare', 'backlog']);
});
afterAll(async () => {
  await bot.close();
  store.close();
});

const text = async (words: string) => renderText((await bot.reply(words)).message);

describe('/deal search (items 1–3)', () => {
  it('looks in every brief: a word only in the second brief finds its entry', async () => {
    const answer = await text('/deal search gallium');
    expect(answer).toContain(`In the brief (${OTHER})`);
    expect(answer).toContain('Licences are also needed for gallium and germanium.');
  });

  it('takes a brief id among the words as the brief to search, not as a word', async () => {
    const reply = await bot.reply(`/deal search export licences ${OTHER}`);
    expect(reply.message.title).toBe(`Search in ${OTHER}: export licences`);
    const answer = renderText(reply.message);
    expect(answer).toContain('China requires export licences');
    expect(answer).not.toContain('In the brief (us-japan-rare-earths-2025)');
    // Its citations are listed with the answer: one brief answered.
    expect(answer).toContain('[1] Example Wire — China widens export controls');
  });

  it('ranks news matched to a brief first, then relevant, newest first; off-topic and backlog stories after', async () => {
    const reply = await bot.reply('/deal search rare earth');
    const news = reply.message.sections.find((s) => s.heading === 'News')!;
    const order = news.items.map((i) => i.url);
    expect(order).toEqual([
      'https://www.reuters.com/matched',
      'https://mining.example/relevant',
      'https://old.example/backlog',
      'https://beauty.example/skincare',
    ]);
  });

  it('says where the brief hits it did not show are, section by section', async () => {
    const reply = await bot.reply('/deal search rare earth');
    const inBrief = reply.message.sections.find((s) => s.heading === 'In the brief (us-japan-rare-earths-2025)')!;
    expect(inBrief.more!.count).toBeGreaterThan(3);
    expect(inBrief.more!.hint).toMatch(/^\/deal facts \(\d+\), /);
    expect(inBrief.more!.hint).toMatch(/\/deal faq \(\d+\)$/);
    const counts = [...inBrief.more!.hint.matchAll(/\((\d+)\)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(counts).toBe(inBrief.more!.count);
    // A brief other than the default is named in the way on.
    const other = await bot.reply(`/deal search China ${OTHER}`);
    expect(other.message.sections[0]!.more).toBeUndefined();
  });

  it('finds the brief through its Japanese terms: レアアース and 日米 reach the English entries', async () => {
    const rare = await text('/deal search レアアース');
    expect(rare).toContain('In the brief (us-japan-rare-earths-2025)');
    expect(rare).toContain('Is lithium a rare earth?');
    const nichibei = await text('/deal search 日米');
    expect(nichibei).toContain('US President Donald Trump and Japanese Prime Minister Sanae Takaichi signed');
    // The second brief's own group: ガリウム finds "gallium".
    expect(await text('/deal search ガリウム')).toContain('gallium and germanium');
    // A Japanese word no group knows is not widened into anything.
    expect(await text('/deal search 相撲')).not.toContain('In the brief');
  });

  it('refuses an empty search with what to type', async () => {
    const reply = await bot.reply('/deal search');
    expect(reply.refused).toBe(true);
    expect(renderText(reply.message)).toContain('/deal search rare earth magnets');
  });
});

describe('claim marks (item 4) and words for readers (item 5)', () => {
  it('marks an entry citing one source as "(one source)", also in a brief with one source', async () => {
    const answer = await text(`/deal facts ${OTHER}`);
    expect(answer).toContain('China requires export licences for magnet-making technology. [1] (one source)');
    // The editor's shorthand for its own source becomes the number; an id the brief does not have stays as written.
    expect(await text(`/deal provisions ${OTHER}`)).toContain(
      'Only article [1] lists the metals; seed-999 is not a source here.',
    );
  });

  it('marks the lithium entries as the editor\'s correction, and keeps "sources disagree" for two sources', async () => {
    const faq = await text('/deal faq');
    expect(faq).toMatch(/Is lithium a rare earth\? No\.[^\n]*\[2\] \(editor's correction\)/);
    expect(faq).toMatch(/Was Trump president when he signed it\?[^\n]*\[1\]\[2\] \(sources disagree\)/);
  });

  it('shows "Outlet unknown" and citation numbers, never the editors\' "seed article 000"', async () => {
    const answers = await Promise.all(['facts', 'sources', 'faq', 'timeline', 'reactions'].map((s) => text(s)));
    const all = answers.join('\n');
    expect(all).not.toMatch(/seed article|Unnamed|[Aa]rticle 00\d|seed-00\d/);
    expect(all).toContain('[1] Outlet unknown — Trump and Takaichi sign trade and rare earths agreement');
    expect(all).toContain('Only article [2] gives this amount.');
    expect(all).toContain('Consistent with article [2] on the basics.');
  });

  it('lists a source the note names, even when the entry does not cite it', async () => {
    const reply = await bot.reply('/deal timeline');
    const signing = reply.message.sections[0]!.items[0]!;
    expect(signing.citations).toEqual([2]);
    expect(signing.note).toContain('Article [1] confirms the signing');
    expect(signing.mentions).toEqual([1]);
    expect(reply.message.sources!.map((s) => s.n)).toEqual([1, 2]);
  });
});

describe("a brief's own headings (item 6)", () => {
  it('heads its sections with them and keeps the defaults for the rest', async () => {
    expect((await bot.reply(`/deal provisions ${OTHER}`)).message.title).toBe(
      `What the controls cover — ${bot.files.briefs.get(OTHER)!.title}`,
    );
    expect((await bot.reply(`/deal facts ${OTHER}`)).message.title).toMatch(/^Key facts — /);
    expect((await bot.reply('/deal provisions')).message.title).toMatch(/^What the agreement provides — /);
  });

  it("describes those sections by them in help, not by a trade deal's words", () => {
    const help = renderText(
      helpMessage({ command: 'deal', subcommands: SUBCOMMANDS, brief: bot.files.briefs.get(OTHER)!, isAdmin: false }),
    );
    expect(help).toContain('/deal provisions [brief]: what the controls cover');
    expect(help).toContain('/deal reactions [brief]: industry and government responses');
    expect(help).not.toContain('leaders, governments and markets');
    expect(help).toContain('/deal facts [brief]: the key facts');
  });
});

describe('loose arguments are refused, with what to type (item 8)', () => {
  it('refuses latest with a word, zero, a negative or too big a number, and says n is 1–10', async () => {
    for (const n of ['abc', '0', '-3', '11', '2 3']) {
      const reply = await bot.reply(`/deal latest ${n}`);
      expect(reply.refused, n).toBe(true);
      expect(reply.message.tone, n).toBe('warning');
      expect(renderText(reply.message), n).toContain('n is a whole number from 1 to 10');
    }
    const ok = await bot.reply(`/deal latest 3 ${OTHER}`);
    expect(ok.refused).toBeUndefined();
    expect(ok.message.title).toContain(bot.files.briefs.get(OTHER)!.title);
  });

  it('refuses extra words after a brief id, and words where none are taken', async () => {
    const extra = await bot.reply(`/deal facts ${OTHER} id2`);
    expect(extra.refused).toBe(true);
    expect(renderText(extra.message)).toContain('leave out "id2"');
    const two = await bot.reply('/deal facts id1 id2');
    expect(two.refused).toBe(true);
    expect(renderText(two.message)).toContain('No brief called "id1"');
    expect(renderText(two.message)).toContain('"id2"');
    const briefs = await bot.reply('/deal briefs all');
    expect(briefs.refused).toBe(true);
    expect(renderText(briefs.message)).toContain('/deal briefs takes no words: leave out "all".');
  });

  it('marks a typo refused and a good answer not', async () => {
    expect((await bot.reply('/deal fatcs')).refused).toBe(true);
    expect((await bot.reply('/deal facts')).refused).toBeUndefined();
  });
});
