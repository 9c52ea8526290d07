import { asyncFromSync } from '../../src/store/async-store.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { MatchService } from '../../src/bot/match-service.js';
import { openSyncStore } from '../helpers/sync-store.js';
import { runCli } from '../helpers/run-cli.js';
import { shippedConfig } from '../helpers/paths.js';
import { story } from '../store/story-factory.js';

describe('dealbot why', () => {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-why-')), 'bot.db');
  beforeAll(async () => {
    const files = await loadBotFiles(shippedConfig, {});
    const store = openSyncStore(db);
    store.stories.upsert(
      [
        story({
          id: 'w1',
          feedId: 'nikkei',
          title: 'Kiehl’s Rare Earth Deep Pore Cleansing Masque',
          url: 'https://example.com/kiehls',
        }),
      ],
      { seenAt: '2025-10-28T10:00:00.000Z' },
    );
    await new MatchService({
      store: asyncFromSync(store),
      getBriefs: () => files.briefs,
      getConfig: () => files.loaded.config,
    }).matchStories(['w1']);
    store.close();
  });

  it('explains a stored story: its feed, score, reasons and why it has no brief', async () => {
    const { code, stdout } = await runCli(['why', '--config', shippedConfig, 'https://example.com/kiehls'], {
      env: { DEALBOT_DB: db },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('feed "nikkei"');
    expect(stdout).toMatch(/not relevant \(score [0-9.]+; threshold 0\.5\), brief: none/);
    expect(stdout).toContain('negative "Kiehl"');
  });

  it('says plainly when the bot never saw the story', async () => {
    const { code, stdout } = await runCli(['why', '--config', shippedConfig, 'https://example.com/unknown'], {
      env: { DEALBOT_DB: db },
    });
    expect(code).toBe(1);
    expect(stdout).toContain('has not seen it');
  });
});
