import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidFileError, type FileProblem } from '../../src/files/problems.js';
import { shippedBriefs } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';

const BRIEF_FILE = 'us-japan-rare-earths-2025.yaml';

/** A folder with dealbot.yaml and the shipped briefs, the brief optionally edited. */
function project(configText: string, editBrief: (text: string) => string = (t) => t): string {
  const dir = tempProject({ 'dealbot.yaml': configText });
  cpSync(shippedBriefs, path.join(dir, 'briefs'), { recursive: true });
  const brief = path.join(dir, 'briefs', BRIEF_FILE);
  writeFileSync(brief, editBrief(readFileSync(brief, 'utf8')));
  return path.join(dir, 'dealbot.yaml');
}

async function problemsOf(load: Promise<unknown>): Promise<FileProblem[]> {
  try {
    await load;
  } catch (err) {
    if (err instanceof InvalidFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the load to fail');
}

const messages = (problems: FileProblem[]) => problems.map((p) => `${p.field ?? ''}: ${p.message}`);

describe('check-config reports everything in one run', () => {
  it('checks brief ids, platforms and cited sources although both files have schema errors', async () => {
    const config = [
      'bot:', //                                          1
      '  command: Deal', //                               2  schema error
      'matching:', //                                     3
      '  relevance_threshold: 1.5', //                    4  schema error
      'digests:', //                                      5
      '  - platform: slak', //                            6  unknown platform
      '    channel: C1', //                               7
      '    briefs: [us-japan-rare-earth-2025]', //        8  unknown brief
      '    max_items: 0', //                              9  schema error
    ].join('\n');
    const file = project(config, (text) =>
      text.replace(/^title: .*\n/m, '').replace('sources: [seed-000]', 'sources: [seed-999]'),
    );
    const found = await problemsOf(loadBotFiles(file, {}));
    const all = messages(found);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bot\.command: expected a lower-case command name/),
        expect.stringMatching(/^matching\.relevance_threshold: expected a number from 0 to 1 \(found 1\.5\)$/),
        expect.stringMatching(/^digests#1\.max_items: expected a whole number from 1 to 25 \(found 0\)$/),
        expect.stringMatching(/^digests#1\.platform: no platform called "slak"; did you mean "slack"\?/),
        expect.stringMatching(
          /^digests#1\.briefs#1: no brief with id "us-japan-rare-earth-2025" .*did you mean "us-japan-rare-earths-2025"\?/,
        ),
        expect.stringMatching(/^title: missing; this key is required$/),
        expect.stringMatching(/^sections\.facts#\d+\.sources#1: entry cites source "seed-999"/),
      ]),
    );
    expect(found).toHaveLength(7);
    // The config's problems come first, each file's by line.
    expect(found.slice(0, 5).every((p) => p.file === file)).toBe(true);
    expect(found.slice(0, 5).map((p) => p.line)).toEqual([2, 4, 6, 8, 9]);
  });

  it('does not call a brief missing when it exists but has mistakes of its own', async () => {
    const file = project('bot:\n  default_brief: us-japan-rare-earths-2025\n', (text) =>
      text.replace(/^as_of: .*$/m, 'as_of: soon'),
    );
    const found = await problemsOf(loadBotFiles(file, {}));
    expect(messages(found)).toEqual(['as_of: expected a date as YYYY-MM-DD (or YYYY-MM) (found "soon")']);
  });

  it('the check-config command prints all of them, then exits 1', async () => {
    const file = project('bot:\n  defualt_brief: x\ndigests:\n  - platform: slak\n    channel: C1\n', (text) =>
      text.replace(/^as_of: .*$/m, 'as_of: 2025-13-45'),
    );
    const r = await runCli(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('3 problems found');
    expect(r.stderr).toContain('dealbot.yaml:2:3: bot: unknown key "defualt_brief"; did you mean "default_brief"?');
    expect(r.stderr).toMatch(/dealbot\.yaml:4:15: digests#1\.platform: no platform called "slak"/);
    expect(r.stderr).toContain(`${BRIEF_FILE}:5:8: as_of: "2025-13-45" is not a real date: there is no month 13`);
  });
});

describe('dates in briefs', () => {
  const withDate = (asOf: string, entryDate = '2025-10-28') =>
    project('{}\n', (text) =>
      text
        .replace(/^as_of: .*$/m, `as_of: ${asOf}`)
        .replace(/^(\s+)sources: \[seed-000\]$/m, `$1sources: [seed-000]\n$1date: "${entryDate}"`),
    );

  it('rejects dates that do not exist, saying why', async () => {
    expect(messages(await problemsOf(loadBotFiles(withDate('2025-13-45'), {})))).toEqual([
      'as_of: "2025-13-45" is not a real date: there is no month 13; write YYYY-MM-DD',
    ]);
    expect(messages(await problemsOf(loadBotFiles(withDate('2025-02-29'), {})))).toEqual([
      'as_of: "2025-02-29" is not a real date: February 2025 has 28 days',
    ]);
    const entry = messages(await problemsOf(loadBotFiles(withDate('2025-10-28', '2025-04-31'), {})));
    expect(entry).toEqual([expect.stringMatching(/\.date: "2025-04-31" is not a real date: April 2025 has 30 days$/)]);
  });

  it('accepts real dates, months, and short labels for timeline entries', async () => {
    await expect(loadBotFiles(withDate('2024-02-29'), {})).resolves.toBeTruthy();
    await expect(loadBotFiles(withDate('2025-10'), {})).resolves.toBeTruthy();
    await expect(loadBotFiles(withDate('2025-10-28', 'Q1 2026'), {})).resolves.toBeTruthy();
  });
});

describe('misspelt keys', () => {
  it('suggests the key meant, in the config and in briefs', async () => {
    const file = project('bot:\n  defualt_brief: us-japan-rare-earths-2025\nfeeds:\n  lists: []\n', (text) =>
      text.replace(/^summary:/m, 'sumary:'),
    );
    const all = messages(await problemsOf(loadBotFiles(file, {})));
    expect(all).toContain('bot: unknown key "defualt_brief"; did you mean "default_brief"?');
    expect(all).toContain('feeds: unknown key "lists"; did you mean "list"?');
    expect(all).toContain(': unknown key "sumary"; did you mean "summary"?');
  });

  it('lists the keys allowed there when nothing is close', async () => {
    const found = await problemsOf(loadConfig(project('storage:\n  colour: blue\n'), {}));
    expect(messages(found)).toEqual(['storage: unknown key "colour"; the keys allowed here are database, lease']);
  });
});

describe('digest schedules', () => {
  const digest = (cron: string, timezone = 'Asia/Tokyo', channel = 'C1') =>
    `  - platform: slack\n    channel: ${channel}\n    cron: "${cron}"\n    timezone: ${timezone}\n`;

  it('names a day no month listed has instead of calling the cron malformed', async () => {
    const found = await problemsOf(loadConfig(project(`digests:\n${digest('0 9 31 2 *')}`), {}));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 4, field: 'digests#1.cron' });
    expect(found[0]?.message).toMatch(/^never fires: February has no 31st; for the last day of the month write L/);
    const several = await problemsOf(loadConfig(project(`digests:\n${digest('0 9 30,31 2 *')}`), {}));
    expect(several[0]?.message).toMatch(/^never fires: February has no 30th or 31st/);
    const months = await problemsOf(loadConfig(project(`digests:\n${digest('0 9 31 2,4,6 *')}`), {}));
    expect(months[0]?.message).toMatch(/^never fires: February, April and June have no 31st/);
    // April has a 30th, so this one fires.
    await expect(loadConfig(project(`digests:\n${digest('0 9 30,31 2,4 *')}`), {})).resolves.toBeTruthy();
    const syntax = await problemsOf(loadConfig(project(`digests:\n${digest('61 8 * * *')}`), {}));
    expect(syntax[0]?.message).toMatch(/expected a cron expression .*; "61" is not a minute \(0–59\)/);
  }, 20_000);

  it('reports a schedule node-cron accepts that names no day to come', async () => {
    // The fifth Monday of February: only in a leap year starting on a Monday (the next is 2044).
    const found = await problemsOf(loadBotFiles(project(`digests:\n${digest('0 9 * 2 1#5')}`), {}));
    expect(messages(found)).toEqual([expect.stringMatching(/^digests#1\.cron: never fires/)]);
  });

  it('refuses a second entry with the same platform, channel, cron and time zone', async () => {
    const text = `digests:\n${digest('0 9 * * *')}${digest('0 9 * * *', 'Europe/Paris')}${digest('0  9 * * *')}`;
    const found = await problemsOf(loadConfig(project(text), {}));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 10, field: 'digests#3' });
    expect(found[0]?.message).toMatch(/^digest #3 repeats digest #1 \(same platform, channel, cron and timezone\)/);
    await expect(
      loadConfig(project(`digests:\n${digest('0 9 * * *')}${digest('0 9 * * *', 'Asia/Tokyo', 'C2')}`), {}),
    ).resolves.toBeTruthy();
  });

  it('refuses time-zone abbreviations and old aliases, naming the IANA zone to write', async () => {
    const text = `digests:\n${digest('0 9 * * *', 'JST')}${digest('0 9 * * *', 'EST', 'C2')}${digest('0 9 * * *', 'Japan', 'C3')}${digest('0 9 * * *', 'IST', 'C4')}`;
    const found = messages(await problemsOf(loadConfig(project(text), {})));
    expect(found).toEqual([
      'digests#1.timezone: "JST" is an abbreviation that Node reads as an old alias; write the IANA name of the place, "Asia/Tokyo"',
      'digests#2.timezone: "EST" is an abbreviation that Node reads as America/Panama, which may not be the place you mean; write the IANA name of the place, "America/New_York"',
      'digests#3.timezone: "Japan" is an old alias; write the IANA name of the place, "Asia/Tokyo"',
      expect.stringMatching(
        /^digests#4\.timezone: "IST" .*e\.g\. "Asia\/Kolkata" \(India\), "Europe\/Dublin" \(Ireland\)/,
      ),
    ]);
    const fine = `digests:\n${digest('0 9 * * *', 'UTC')}${digest('0 9 * * *', 'America/New_York', 'C2')}${digest('0 9 * * *', 'Etc/GMT-9', 'C3')}`;
    await expect(loadConfig(project(fine), {})).resolves.toBeTruthy();
  });
});

describe('messages in plain words', () => {
  it('gives YAML syntax errors once, without repeating the position or ending in a colon', async () => {
    const found = await problemsOf(loadConfig(project('bot:\n  command: [deal\nfeeds:\n\tlist: []\n'), {}));
    for (const p of found) {
      expect(p.message).not.toMatch(/at line \d+|column \d+|:$/);
      expect(p.message).toMatch(/^YAML syntax: /);
    }
    expect(new Set(found.map((p) => `${p.line}:${p.column}`)).size).toBe(found.length);
  });

  it('numbers list items from 1 in both the field and the message', async () => {
    const feed = (id: string, n: number) => `    - id: ${id}\n      url: https://example.com/${n}\n`;
    const found = await problemsOf(
      loadConfig(project(`feeds:\n  list:\n${feed('a', 1)}${feed('b', 2)}${feed('a', 3)}`), {}),
    );
    expect(messages(found)).toEqual([
      'feeds.list#3.id: feed #3 has the same id "a" as feed #1; give each feed its own id',
    ]);
  });

  it('never shows zod’s own wording', async () => {
    const text = [
      'bot: { command: "" }',
      'matching: { relevance_threshold: 2, brief_threshold: -1, cluster_similarity: high }',
      'feeds:',
      '  defaults: { max_redirects: 11, concurrency: 0, allow_private_network: maybe }',
      '  list:',
      '    - { id: a, url: "https://example.com/a", include: [""], enabled: 1 }',
      '    - { url: "https://example.com/b" }',
      'digests:',
      '  - { platform: slack, channel: "", briefs: [], quiet_day: never, alerts: { max_per_hour: 0.5 } }',
    ].join('\n');
    const found = await problemsOf(loadConfig(project(text), {}));
    expect(found.length).toBeGreaterThanOrEqual(12);
    for (const p of found) expect(p.message).not.toMatch(/Too (big|small)|Invalid (input|option)|<=|>=|received/);
    expect(messages(found)).toEqual(
      expect.arrayContaining([
        'matching.relevance_threshold: expected a number from 0 to 1 (found 2)',
        'matching.cluster_similarity: expected a number (found "high")',
        'feeds.defaults.max_redirects: expected a whole number from 0 to 10 (found 11)',
        'feeds.defaults.allow_private_network: expected true or false (found "maybe")',
        'feeds.list#2.id: missing; this key is required',
        'digests#1.quiet_day: expected one of "skip", "short-line" (found "never")',
        'digests#1.briefs: the list must not be empty',
        'digests#1.alerts.max_per_hour: expected a whole number (found 0.5)',
      ]),
    );
  });
});
