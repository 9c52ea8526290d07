import { describe, expect, it } from 'vitest';
import type { APIApplicationCommandOption } from 'discord.js';
import { briefChoices } from '../../../src/adapters/discord/brief-choices.js';
import { commandDefinition, subcommandSpecs } from '../../../src/adapters/discord/command-definitions.js';
import { slashText } from '../../../src/adapters/discord/interaction-to-invocation.js';
import { BriefRegistry } from '../../../src/briefs/brief-registry.js';
import type { Brief } from '../../../src/briefs/schema.js';
import type { Subcommand } from '../../../src/commands/subcommand.js';
import { SUBCOMMANDS } from '../../../src/commands/subcommands/index.js';
import { LATEST_MAX } from '../../../src/commands/subcommands/latest.js';

/** Discord's rules for application commands (developer docs, "Application Commands"). */
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
const OPTION_TYPES = { SUBCOMMAND: 1, STRING: 3, INTEGER: 4, BOOLEAN: 5 } as const;

function checkNameAndDescription(o: { name: string; description: string }) {
  expect(o.name, o.name).toMatch(NAME);
  expect(o.name, o.name).toBe(o.name.toLowerCase());
  expect(o.description.length, o.name).toBeGreaterThanOrEqual(1);
  expect(o.description.length, o.name).toBeLessThanOrEqual(100);
}

/** Discord counts names, descriptions and choice values of a command toward 8,000 characters. */
function commandChars(o: { name: string; description: string; options?: APIApplicationCommandOption[] }): number {
  return o.name.length + o.description.length + (o.options ?? []).reduce((n, c) => n + commandChars(c as never), 0);
}

const stub = (name: string, usage: string, extra: Partial<Subcommand> = {}): Subcommand => ({
  name,
  usage,
  summary: `${name} summary that is rather long `.repeat(extra.adminOnly ? 6 : 1),
  run: () => ({ title: name, sections: [] }),
  ...extra,
});

// The subcommands other engineers are adding, as the registry will list them (their stand-ins replace any already there).
const UPCOMING = ['latest', 'search', 'feeds', 'digest', 'why'];
const WITH_UPCOMING: Subcommand[] = [
  ...SUBCOMMANDS.filter((s) => !UPCOMING.includes(s.name)),
  stub('latest', 'latest [n] [brief]', { takesBriefArg: true, acceptsOtherArgs: true }),
  stub('search', 'search <words>'),
  stub('feeds', 'feeds [add <url> | remove <id>]', { adminOnly: true }),
  stub('digest', 'digest [now] [brief]', { takesBriefArg: true, adminOnly: true }),
  stub('why', 'why <story-id>'),
];

describe('the /deal registration payload', () => {
  for (const [label, subs] of [
    ['shipped registry', SUBCOMMANDS],
    ['with latest/search/feeds/digest/why', WITH_UPCOMING],
  ] as const) {
    it(`obeys Discord's rules for names, descriptions and counts (${label})`, () => {
      const body = commandDefinition('deal', subs);
      checkNameAndDescription(body);
      expect(body.options!.length).toBeLessThanOrEqual(25);
      expect(commandChars(body as never)).toBeLessThanOrEqual(8000);
      for (const sub of body.options!) {
        expect(sub.type).toBe(OPTION_TYPES.SUBCOMMAND);
        checkNameAndDescription(sub);
        const options = (sub as { options?: APIApplicationCommandOption[] }).options ?? [];
        expect(options.length).toBeLessThanOrEqual(25);
        options.forEach(checkNameAndDescription);
        // Required options must come before optional ones.
        const firstOptional = options.findIndex((o) => !o.required);
        if (firstOptional >= 0) expect(options.slice(firstOptional).some((o) => o.required)).toBe(false);
      }
      expect(body.options!.map((o) => o.name)).toEqual([...subs.map((s) => s.name), 'help']);
    });
  }

  it('gives known subcommands their options, lookups a brief option with autocomplete, and everyone share', () => {
    const body = commandDefinition('deal', WITH_UPCOMING);
    const options = (name: string) =>
      (body.options!.find((o) => o.name === name) as { options?: APIApplicationCommandOption[] }).options ?? [];
    expect(options('facts')).toEqual([
      expect.objectContaining({ name: 'brief', type: OPTION_TYPES.STRING, autocomplete: true, required: false }),
      expect.objectContaining({ name: 'share', type: OPTION_TYPES.BOOLEAN, required: false }),
    ]);
    expect(options('latest')[0]).toMatchObject({
      name: 'n',
      type: OPTION_TYPES.INTEGER,
      required: false,
      min_value: 1,
      max_value: LATEST_MAX,
    });
    expect(options('latest').map((o) => o.name)).toEqual(['n', 'brief', 'share']);
    expect(options('search')).toEqual([
      expect.objectContaining({ name: 'query', type: OPTION_TYPES.STRING, required: true }),
      expect.objectContaining({ name: 'share' }),
    ]);
    expect(options('why')[0]).toMatchObject({ name: 'target', type: OPTION_TYPES.STRING, required: true });
    // Unknown words in a usage become one free-text option rather than being lost.
    expect(options('feeds')[0]).toMatchObject({ name: 'args', type: OPTION_TYPES.STRING, required: false });
    expect(options('digest').map((o) => o.name)).toEqual(['args', 'brief', 'share']);
    expect(options('sources').map((o) => o.name)).toEqual(['brief', 'share']);
    expect(options('briefs').map((o) => o.name)).toEqual(['share']);
    expect(body.options!.find((o) => o.name === 'feeds')!.description).toMatch(/\(admins\)$/);
    const alreadyMarked = commandDefinition('deal', [
      stub('reload', 'reload', { adminOnly: true, summary: 'reload the briefs (admins)' }),
    ]);
    expect(alreadyMarked.options![0]!.description).toBe('Reload the briefs (admins)');
  });

  it('refuses a registry that lists a name twice (Discord would refuse the whole set)', () => {
    expect(() => commandDefinition('deal', [stub('latest', 'latest'), stub('latest', 'latest')])).toThrow(
      /listed twice: latest/,
    );
  });

  it('uses the configured command name and refuses one Discord would refuse', () => {
    expect(commandDefinition('news', SUBCOMMANDS).name).toBe('news');
    expect(() => commandDefinition('Deal Bot', SUBCOMMANDS)).toThrow();
  });
});

describe('slash options back to the core text form', () => {
  const specs = subcommandSpecs(WITH_UPCOMING);
  const text = (subcommand: string, options: Record<string, string | number | boolean>) =>
    slashText({ subcommand, options: new Map(Object.entries(options)) }, specs);

  it('writes what a terminal user would type', () => {
    expect(text('facts', {})).toBe('facts');
    expect(text('facts', { brief: 'us-japan-rare-earths-2025' })).toBe('facts us-japan-rare-earths-2025');
    expect(text('facts', { brief: 'us-japan-rare-earths-2025', share: true })).toBe(
      'facts us-japan-rare-earths-2025 share',
    );
    expect(text('facts', { share: false })).toBe('facts');
    expect(text('search', { query: 'rare earth' })).toBe('search rare earth');
    expect(text('latest', { n: 5, brief: 'b' })).toBe('latest 5 b');
    expect(text('why', { target: 'story-42' })).toBe('why story-42');
  });

  it('keeps a pasted multi-line value on one line', () => {
    expect(text('search', { query: '  rare\n\nearth\t magnets ' })).toBe('search rare earth magnets');
  });
});

describe('brief autocomplete', () => {
  const brief = (id: string, title: string): Brief =>
    ({
      id,
      title,
      summary: 's',
      as_of: '2025-10-28',
      sources: [],
      sections: {},
      matching: { strong: [], supporting: [], negative: [], specific: [] },
    }) as unknown as Brief;
  const registry = new BriefRegistry(
    [
      brief('eu-china-ev-tariffs', 'EU tariffs on Chinese EVs'),
      brief('us-japan-rare-earths-2025', 'US–Japan rare earths @everyone'),
      ...Array.from({ length: 40 }, (_, i) => brief(`b${i}`, `Brief ${i}`)),
    ],
    'us-japan-rare-earths-2025',
  );

  it('offers matching briefs by id or title, the default first, at most 25, names within 100 characters', () => {
    const all = briefChoices(registry, '');
    expect(all.length).toBe(25);
    expect(all[0]!.value).toBe('us-japan-rare-earths-2025');
    expect(all[0]!.name).not.toContain('@everyone');
    expect(briefChoices(registry, 'TARIFF').map((c) => c.value)).toEqual(['eu-china-ev-tariffs']);
    expect(briefChoices(registry, 'japan').map((c) => c.value)).toEqual(['us-japan-rare-earths-2025']);
    for (const c of all) expect(c.name.length).toBeLessThanOrEqual(100);
  });
});

describe('the shipped subcommands on Discord', () => {
  const body = commandDefinition('deal', SUBCOMMANDS);
  const options = (name: string) =>
    (body.options!.find((o) => o.name === name) as { options?: APIApplicationCommandOption[] }).options ?? [];

  it('caps latest n where the core does, so Discord never sends a number the core refuses', () => {
    expect(LATEST_MAX).toBe(10);
    expect(options('latest')[0]).toMatchObject({ name: 'n', min_value: 1, max_value: LATEST_MAX });
  });

  it('carries feeds\' page and "failing" in its args option, and a brief for search', () => {
    expect(options('feeds')[0]).toMatchObject({ name: 'args', type: OPTION_TYPES.STRING, required: false });
    expect(options('feeds')[0]!.description).toContain('[failing] [page]');
    const specs = subcommandSpecs(SUBCOMMANDS);
    expect(slashText({ subcommand: 'feeds', options: new Map([['args', 'failing 2']]) }, specs)).toBe(
      'feeds failing 2',
    );
    expect(options('search').map((o) => o.name)).toEqual(['query', 'brief', 'share']);
    expect(
      slashText(
        {
          subcommand: 'search',
          options: new Map([
            ['query', 'レアアース'],
            ['brief', 'us-japan-rare-earths-2025'],
          ]),
        },
        specs,
      ),
    ).toBe('search レアアース us-japan-rare-earths-2025');
  });
});
