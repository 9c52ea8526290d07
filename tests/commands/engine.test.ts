import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subcommand } from '../../src/commands/subcommand.js';
import { SUBCOMMANDS } from '../../src/commands/subcommands/index.js';
import { renderText } from '../../src/render/text.js';
import { createTestBot, type TestBot } from '../helpers/test-bot.js';

const adminOnly: Subcommand = {
  name: 'secret',
  summary: 'an admin-only test subcommand',
  usage: 'secret',
  adminOnly: true,
  run: () => ({ title: 'secret answer', sections: [] }),
};
const failing: Subcommand = {
  name: 'explode',
  summary: 'always throws',
  usage: 'explode',
  run: () => {
    throw new Error('boom');
  },
};

let bot: TestBot;
beforeAll(async () => {
  bot = await createTestBot({ subcommands: [...SUBCOMMANDS, adminOnly, failing] });
});
afterAll(() => bot.close());

describe('/deal, as a person would use it in the terminal', () => {
  it('gives the facts with compact citations and the single-source marks', async () => {
    const answer = await bot.ask('/deal facts');
    expect(answer).toContain('Key facts');
    expect(answer).toMatch(/\[1\]|\[2\]/);
    expect(answer).toContain('(one source)');
    expect(answer).toContain("editor's note: ");
    expect(answer).toMatch(/Sources\n\s+\[\d\]/);
  });

  it("gives Beijing's, the EU's, the markets' and both leaders' reactions", async () => {
    const answer = await bot.ask('/deal reactions');
    expect(answer).toMatch(/Chin|Beijing/);
    expect(answer).toMatch(/EU|European/);
    expect(answer).toMatch(/market|shares/i);
    expect(answer).toContain('Takaichi');
    expect(answer).toContain('Trump');
    expect(answer).toContain('free and resilient Indo-Pacific');
  });

  it('lists both source articles with reliability notes', async () => {
    const reply = await bot.reply('/deal sources');
    const brief = bot.files.briefs.default;
    expect(reply.message.sections[0]?.items).toHaveLength(brief.sources.length);
    expect(brief.sources.length).toBeGreaterThanOrEqual(2);
    for (const s of brief.sources) expect(renderText(reply.message)).toContain(s.title);
  });

  it('marks the disputed and single-source figures of the seed articles', async () => {
    const facts = renderText((await bot.reply('facts')).message);
    const all = ['facts', 'provisions', 'impact', 'timeline', 'reactions'].map(async (s) =>
      renderText((await bot.reply(s)).message),
    );
    const text = facts + (await Promise.all(all)).join('\n');
    expect(text).toMatch(/5\.8 billion.*\(one source\)/);
    expect(text).toMatch(/25,000.*\(one source\)/);
    // Lithium: one source, corrected by the editor, not a disagreement between sources.
    expect(text).toMatch(/lithium is not\. \[2\] \(editor's correction\)/);
    expect(text).not.toMatch(/lithium[^\n]*\(sources disagree\)/i);
  });

  it('answers every section subcommand without error', async () => {
    for (const name of ['provisions', 'impact', 'timeline', 'takeaways', 'faq', 'briefs']) {
      const reply = await bot.reply(`/deal ${name}`);
      expect(reply.message.tone, name).toBeUndefined();
      expect(reply.message.sections.flatMap((s) => s.items).length, name).toBeGreaterThan(0);
    }
  });

  it('picks a brief by id and refuses an unknown one with the closest match', async () => {
    const id = bot.files.briefs.default.id;
    const picked = await bot.reply(`/deal facts ${id}`);
    expect(picked.message.title).toContain(bot.files.briefs.default.title);
    const typo = await bot.reply(`/deal facts ${id.slice(0, -1)}x`);
    expect(typo.message.tone).toBe('warning');
    expect(renderText(typo.message)).toContain(`Did you mean /deal facts ${id}?`);
  });

  it('suggests the closest subcommand for a typo and lists what it can do', async () => {
    const answer = await bot.ask('/deal fcats');
    expect(answer).toContain('Did you mean /deal facts?');
    expect(answer).toContain('/deal reactions');
  });

  it('answers empty input and "help" with help', async () => {
    for (const text of ['', '/deal', '/deal help', 'HELP']) {
      const reply = await bot.reply(text);
      expect(reply.message.sections[0]?.heading, JSON.stringify(text)).toBe('Commands');
    }
  });

  it('never throws on odd input', async () => {
    const odd = [
      '/deal "unclosed',
      '/deal \u0000\u001b[31m',
      '/deal ' + 'x'.repeat(5000),
      '/deal 事実',
      '/deal facts facts facts',
      '／ｄｅａｌ　ｆａｃｔｓ',
    ];
    for (const text of odd) {
      const reply = await bot.reply(text);
      expect(reply.message.title.length).toBeGreaterThan(0);
    }
    // Full-width input is normalised (NFKC), so a Japanese keyboard works.
    expect((await bot.reply('／ｄｅａｌ　ｆａｃｔｓ')).message.title).toContain('Key facts');
  });

  it('answers privately unless the user asks to share', async () => {
    expect((await bot.reply('/deal facts')).visibility).toBe('private');
    expect((await bot.reply('/deal facts share')).visibility).toBe('channel');
    expect((await bot.reply('/deal share reactions')).message.title).toContain('Reactions');
  });

  it('keeps admin-only subcommands from other users, politely', async () => {
    const denied = await bot.reply('/deal secret', { platform: 'slack', user: { id: 'U999' } });
    expect(denied.message.title).toContain('is for admins');
    expect(renderText(denied.message)).toContain('U999');
    expect((await bot.reply('/deal secret')).message.title).toBe('secret answer');
    expect(
      renderText((await bot.reply('/deal help', { platform: 'slack', user: { id: 'U999' } })).message),
    ).not.toContain('secret');
  });

  it('turns a failing subcommand into an apology, not a crash', async () => {
    const reply = await bot.reply('/deal explode');
    expect(reply.message.tone).toBe('error');
    expect(reply.visibility).toBe('private');
  });
});

describe('share words', () => {
  const echo: Subcommand = {
    name: 'find',
    summary: 'echo the query',
    usage: 'find <words>',
    freeText: true,
    run: (ctx) => ({ title: `query: ${ctx.args.join(' ')}`, sections: [] }),
  };
  it('leave a free-text query whole and share only on request', async () => {
    const b = await createTestBot({ subcommands: [...SUBCOMMANDS, echo] });
    const plain = await b.reply('/deal find market share');
    expect(plain.message.title).toBe('query: market share');
    expect(plain.visibility).toBe('private');
    const shared = await b.reply('/deal share find market share');
    expect(shared.message.title).toBe('query: market share');
    expect(shared.visibility).toBe('channel');
    expect((await b.reply('/deal find rare earths --share')).visibility).toBe('channel');
    await b.close();
  });
});

describe('search with "share" in the query', () => {
  it('keeps "market share" whole in /deal search', async () => {
    const b = await createTestBot();
    const reply = await b.reply('/deal search market share');
    expect(reply.visibility).toBe('private');
    expect(renderText(reply.message)).toContain('market share');
    await b.close();
  });
});
