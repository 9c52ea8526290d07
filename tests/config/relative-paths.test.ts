import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidFileError, type FileProblem } from '../../src/files/problems.js';
import { repoRoot, shippedBriefs, shippedConfig } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/test-bot.js';

async function problemsOf(load: Promise<unknown>): Promise<FileProblem[]> {
  try {
    await load;
  } catch (err) {
    if (err instanceof InvalidFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the load to fail');
}

const RULE = 'relative to the folder the config file is in';

describe('relative paths in the config: relative to the folder the config file is in', () => {
  it('the shipped config/dealbot.yaml reaches the briefs and data folders beside config/', async () => {
    const { loaded, briefs } = await loadBotFiles(shippedConfig, {});
    expect(loaded.briefsDir).toBe(path.join(repoRoot, 'briefs'));
    expect(loaded.databasePath).toBe(path.join(repoRoot, 'data', 'dealbot.db'));
    expect(briefs.ids()).toContain('us-japan-rare-earths-2025');
  });

  it('whatever directory the bot is started from', async () => {
    // (A folder inside the repository, so the tsx loader the helper uses still resolves.)
    const r = await runCli(['check-config', '--config', shippedConfig], { cwd: path.join(repoRoot, 'docs') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`database ${path.join(repoRoot, 'data', 'dealbot.db')}`);
  });

  it('a config in a folder not named config resolves against that folder, defaults too', async () => {
    const dir = tempProject({ 'deploy/prod.yaml': 'bot: { briefs_dir: my-briefs }\n' });
    cpSync(shippedBriefs, path.join(dir, 'deploy', 'my-briefs'), { recursive: true });
    const { loaded } = await loadBotFiles(path.join(dir, 'deploy', 'prod.yaml'), {});
    expect(loaded.briefsDir).toBe(path.join(dir, 'deploy', 'my-briefs'));
    expect(loaded.databasePath).toBe(path.join(dir, 'deploy', 'data', 'dealbot.db'));
  });

  it('a config inside a folder named config follows the same rule (no special case)', async () => {
    const dir = tempProject({
      'config/dealbot.yaml': 'bot: { briefs_dir: ../briefs }\nstorage: { database: state/bot.db }\n',
    });
    cpSync(shippedBriefs, path.join(dir, 'briefs'), { recursive: true });
    const { loaded } = await loadBotFiles(path.join(dir, 'config', 'dealbot.yaml'), {});
    expect(loaded.briefsDir).toBe(path.join(dir, 'briefs'));
    expect(loaded.databasePath).toBe(path.join(dir, 'config', 'state', 'bot.db'));
    // DEALBOT_DB is a path of its own, taken from the current directory.
    const overridden = await loadConfig(path.join(dir, 'config', 'dealbot.yaml'), { DEALBOT_DB: 'elsewhere.db' });
    expect(overridden.databasePath).toBe(path.resolve('elsewhere.db'));
  });

  it('leaves ":memory:" and sqlite:// URLs as written', async () => {
    const dir = tempProject({ 'config/a.yaml': 'storage: { database: ":memory:" }\n' });
    expect((await loadConfig(path.join(dir, 'config', 'a.yaml'), {})).databasePath).toBe(':memory:');
    const url = 'sqlite:///var/lib/dealbot/bot.db';
    expect((await loadConfig(path.join(dir, 'config', 'a.yaml'), { DEALBOT_DB: url })).databasePath).toBe(url);
  });

  it('points out a path written for the old rule (the parent of config/) instead of starting afresh', async () => {
    const dir = tempProject({
      'config/dealbot.yaml': 'bot: { briefs_dir: briefs }\nstorage: { database: data/dealbot.db }\n',
    });
    cpSync(shippedBriefs, path.join(dir, 'briefs'), { recursive: true });
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'dealbot.db'), '');
    const file = path.join(dir, 'config', 'dealbot.yaml');
    const found = await problemsOf(loadBotFiles(file, {}));
    expect(found.map((p) => `${p.line} ${p.field}: ${p.message}`)).toEqual([
      `1 bot.briefs_dir: "briefs" is relative to the config file's folder, so it means ${path.join(dir, 'config', 'briefs')}, which does not exist; ${path.join(dir, 'briefs')} does: write briefs_dir: ../briefs`,
      `2 storage.database: "data/dealbot.db" is relative to the config file's folder, so it means ${path.join(dir, 'config', 'data', 'dealbot.db')}, which does not exist; ${path.join(dir, 'data', 'dealbot.db')} does: write database: ../data/dealbot.db`,
    ]);
    // With DEALBOT_DB set the database line is not used, so only the briefs are pointed out.
    expect(await problemsOf(loadBotFiles(file, { DEALBOT_DB: path.join(dir, 'x.db') }))).toHaveLength(1);
  });

  it('README.md, the shipped config comment and the schema state the same rule', () => {
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    expect(flat(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'))).toContain(
      `(\`bot.briefs_dir\`, \`storage.database\`) are ${RULE}`,
    );
    const shipped = readFileSync(shippedConfig, 'utf8');
    expect(shipped).toContain('# Relative paths (briefs_dir, database) are relative to the folder this file is in.');
    expect(shipped).toMatch(/^ {2}briefs_dir: \.\.\/briefs\s/m);
    expect(shipped).toMatch(/^ {2}database: \.\.\/data\/dealbot\.db\s/m);
    const schema = readFileSync(path.join(repoRoot, 'config', 'dealbot.schema.json'), 'utf8');
    expect(schema.match(/A relative path is relative to the folder the config file is in/g)).toHaveLength(2);
  });
});
