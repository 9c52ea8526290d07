import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidFileError, type FileProblem } from '../../src/files/problems.js';
import { shippedBriefs, shippedConfig } from '../helpers/paths.js';

/** A project folder with the shipped briefs and the given config text. */
function projectWith(configText: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-config-'));
  cpSync(shippedBriefs, path.join(dir, 'briefs'), { recursive: true });
  writeFileSync(path.join(dir, 'config.yaml'), configText);
  return path.join(dir, 'config.yaml');
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

describe('config loading', () => {
  it('accepts the shipped config and briefs', async () => {
    const { loaded, briefs } = await loadBotFiles(shippedConfig, {});
    expect(loaded.config.bot.command).toBe('deal');
    expect(briefs.default.id).toBe('us-japan-rare-earths-2025');
    expect(loaded.config.feeds.defaults.timeout).toBe(20_000);
  });

  it('reports every mistake at once, each with its line and field', async () => {
    const text = [
      'bot:', //                                        1
      '  comand: deal', //                               2  unknown key
      'feeds:', //                                       3
      '  defaults:', //                                  4
      '    timeout: soon', //                            5  bad duration
      '  list:', //                                      6
      '    - id: reuters', //                            7
      '      url: ftp://example.com/feed', //            8  not http(s)
      '      exclude: ["/(unclosed/"]', //               9  bad regex
      '    - id: reuters', //                           10  duplicate id
      '      url: https://example.com/rss', //          11
      'digests:', //                                    12
      '    - platform: slack', //                       13
      '      channel: C1', //                           14
      '      cron: "61 8 * * *"', //                    15  bad cron
      '      timezone: Asia/Tokio', //                  16  unknown time zone
      '      max_items: many', //                       17  wrong type
    ].join('\n');
    const problems = await problemsOf(loadConfig(projectWith(text), {}));
    const byLine = new Map(problems.map((p) => [p.line, p]));
    expect(byLine.get(2)?.message).toMatch(/unknown key "comand"/);
    expect(byLine.get(5)?.field).toBe('feeds.defaults.timeout');
    expect(byLine.get(5)?.message).toMatch(/duration/);
    expect(byLine.get(8)?.field).toBe('feeds.list#1.url');
    expect(byLine.get(9)?.message).toMatch(/invalid regular expression/);
    expect(byLine.get(10)?.message).toMatch(/feed #2 has the same id "reuters" as feed #1/);
    expect(byLine.get(15)?.message).toMatch(/cron expression/);
    expect(byLine.get(16)?.message).toMatch(/IANA time zone/);
    expect(byLine.get(17)?.message).toMatch(/^expected a number \(found "many"\)$/);
    expect(problems.every((p) => p.file.endsWith('config.yaml'))).toBe(true);
    expect(problems).toHaveLength(8);
  });

  it('names the file and line of a YAML syntax error', async () => {
    const problems = await problemsOf(loadConfig(projectWith('bot:\n  command: [deal\n'), {}));
    expect(problems[0]?.message).toMatch(/YAML syntax/);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('says when the file is missing and how to point at another', async () => {
    const problems = await problemsOf(loadConfig('/nonexistent/dealbot.yaml', {}));
    expect(problems[0]?.message).toMatch(/file not found.*--config/);
  });

  it('checks that the briefs the config names exist, with the config line', async () => {
    const text = 'bot:\n  default_brief: no-such-brief\n';
    const problems = await problemsOf(loadBotFiles(projectWith(text), {}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2, field: 'bot.default_brief' });
    expect(problems[0]?.message).toMatch(/no brief with id "no-such-brief".*us-japan-rare-earths-2025/);
  });

  it('storage.lease: 60 s unless set, a duration of at least 2 s', async () => {
    expect((await loadConfig(shippedConfig, {})).config.storage.lease).toBe(60_000);
    expect((await loadConfig(projectWith('storage:\n  lease: 90s\n'), {})).config.storage.lease).toBe(90_000);
    const problems = await problemsOf(loadConfig(projectWith('storage:\n  lease: 1s\n'), {}));
    expect(problems).toEqual([expect.objectContaining({ line: 2, field: 'storage.lease' })]);
    expect(problems[0]?.message).toContain('at least "2s"');
  });

  it('lets DEALBOT_DB override the database path', async () => {
    const loaded = await loadConfig(shippedConfig, { DEALBOT_DB: '/tmp/elsewhere.db' });
    expect(loaded.databasePath).toBe('/tmp/elsewhere.db');
  });
});
