import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveBotFiles } from '../../src/bot/live-bot-files.js';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { InvalidFileError } from '../../src/files/problems.js';
import { createLogger } from '../../src/log/logger.js';
import { repoRoot } from '../helpers/paths.js';

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-live-'));
  cpSync(path.join(repoRoot, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
  cpSync(path.join(repoRoot, 'config'), path.join(dir, 'config'), { recursive: true });
  return dir;
}

function logSink() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

let live: LiveBotFiles | undefined;
afterEach(() => live?.close());

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live reload of config and briefs', () => {
  it('picks up a valid edit of the config file while running', async () => {
    const dir = project();
    const file = path.join(dir, 'config/dealbot.yaml');
    const { logger } = logSink();
    live = new LiveBotFiles(await loadBotFiles(file, {}), file, {}, logger);
    live.watch();
    writeFileSync(file, readFileSync(file, 'utf8').replace('command: deal', 'command: pact'));
    await until(() => live!.current.loaded.config.bot.command === 'pact');
  });

  it('keeps the last good version when an edit is invalid, and says why in the log', async () => {
    const dir = project();
    const file = path.join(dir, 'config/dealbot.yaml');
    const { logger, lines } = logSink();
    live = new LiveBotFiles(await loadBotFiles(file, {}), file, {}, logger);
    writeFileSync(file, readFileSync(file, 'utf8').replace('command: deal', 'comand: pact'));
    expect(await live.reload()).toBe(false);
    expect(live.current.loaded.config.bot.command).toBe('deal');
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; problems: string });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.level).toBe(50);
    expect(logged[0]!.msg).toMatch(/^reload refused: still running the last good config and briefs/);
    expect(logged[0]!.problems).toContain('unknown key "comand"');
    // The problems once, not again inside the message.
    expect(lines[0]!.split('comand').length - 1).toBe(logged[0]!.problems.split('comand').length - 1);
  });

  it('refuses an emptied or truncated config on reload, keeping every feed', async () => {
    const dir = project();
    const file = path.join(dir, 'config/dealbot.yaml');
    const { logger, lines } = logSink();
    live = new LiveBotFiles(await loadBotFiles(file, {}), file, {}, logger);
    const feeds = live.current.loaded.config.feeds.list.length;
    expect(feeds).toBeGreaterThan(0);
    for (const text of ['', '\n  \n', '# dealbot config\n---\n']) {
      writeFileSync(file, text);
      expect(await live.reload()).toBe(false);
      expect(live.current.loaded.config.feeds.list).toHaveLength(feeds);
    }
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; problems: string });
    expect(logged).toHaveLength(3);
    expect(logged[0]!.msg).toMatch(/^reload refused/);
    expect(logged[0]!.problems).toContain(`${file}: the config is empty`);
  });

  it('refuses to start on an empty config, naming the file', async () => {
    const dir = project();
    const file = path.join(dir, 'config/dealbot.yaml');
    writeFileSync(file, '# nothing yet\n');
    await expect(loadBotFiles(file, {})).rejects.toThrow(InvalidFileError);
    const problems = await loadBotFiles(file, {}).catch((err: InvalidFileError) => err.problems);
    expect(problems).toContainEqual(
      expect.objectContaining({ file, message: expect.stringMatching(/^the config is empty/) }),
    );
  });

  it('reloads an edited brief, and refuses a brief citing a missing source', async () => {
    const dir = project();
    const file = path.join(dir, 'config/dealbot.yaml');
    const briefFile = path.join(dir, 'briefs/us-japan-rare-earths-2025.yaml');
    const { logger } = logSink();
    live = new LiveBotFiles(await loadBotFiles(file, {}), file, {}, logger);
    const text = readFileSync(briefFile, 'utf8');
    writeFileSync(briefFile, text.replace(/^title: .*$/m, 'title: Renamed brief'));
    expect(await live.reload()).toBe(true);
    expect(live.current.briefs.default.title).toBe('Renamed brief');
    writeFileSync(briefFile, text.replace('sources: [seed-000]', 'sources: [nowhere]'));
    expect(await live.reload()).toBe(false);
    expect(live.current.briefs.default.title).toBe('Renamed brief');
  });
});
