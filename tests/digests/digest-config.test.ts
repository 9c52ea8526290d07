import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidFileError, type FileProblem } from '../../src/files/problems.js';
import { shippedBriefs } from '../helpers/paths.js';

function configFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-digest-config-'));
  cpSync(shippedBriefs, path.join(dir, 'briefs'), { recursive: true });
  writeFileSync(path.join(dir, 'dealbot.yaml'), text);
  return path.join(dir, 'dealbot.yaml');
}

async function problems(text: string): Promise<FileProblem[]> {
  try {
    await loadConfig(configFile(text), {});
  } catch (err) {
    if (err instanceof InvalidFileError) return err.problems;
    throw err;
  }
  return [];
}

const TEAMS = [
  'digests:', //                                     1
  '  - platform: slack', //                          2
  '    channel: C0TOKYO', //                         3
  '    cron: "30 8 * * *"', //                       4
  '    timezone: Asia/Tokyo', //                     5
  '    briefs: [us-japan-rare-earths-2025]', //      6
  '  - platform: discord', //                        7
  '    channel: "112233445566778899"', //            8
  '    cron: "0 8 * * 1-5"', //                      9
  '    timezone: America/New_York', //              10
  '    quiet_day: short-line', //                   11
  '    alerts:', //                                 12
  '      enabled: true', //                         13
  '      min_score: 0.9', //                        14
].join('\n');

describe('digest schedules in the config', () => {
  it('accepts the Tokyo and Washington teams, with defaults filled in', async () => {
    const { config } = await loadConfig(configFile(TEAMS), {});
    expect(config.digests[0]).toMatchObject({
      cron: '30 8 * * *',
      timezone: 'Asia/Tokyo',
      max_items: 8,
      quiet_day: 'skip',
      alerts: { enabled: false },
    });
    expect(config.digests[1]).toMatchObject({
      timezone: 'America/New_York',
      quiet_day: 'short-line',
      alerts: { enabled: true, min_score: 0.9, max_per_hour: 10 },
    });
  });

  it('reports a bad cron expression and an unknown time zone with their lines', async () => {
    const text = TEAMS.replace('"0 8 * * 1-5"', '"8:00 weekdays"').replace('Asia/Tokyo', 'Asia/Tokio');
    const found = await problems(text);
    expect(found).toHaveLength(2);
    expect(found).toContainEqual(
      expect.objectContaining({
        line: 5,
        field: 'digests#1.timezone',
        message: expect.stringMatching(/IANA time zone/),
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ line: 9, field: 'digests#2.cron', message: expect.stringMatching(/cron expression/) }),
    );
  });

  it('reports an unknown quiet_day value and a misspelt alerts key with their lines', async () => {
    const found = await problems(
      TEAMS.replace('quiet_day: short-line', 'quiet_day: silent').replace('min_score: 0.9', 'min_scor: 0.9'),
    );
    expect(found.map((p) => p.line).sort()).toEqual([11, 14]);
  });
});
