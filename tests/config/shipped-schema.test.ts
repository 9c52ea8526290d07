import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/cli/commands/config-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { repoRoot } from '../helpers/paths.js';

describe('config/dealbot.schema.json', () => {
  it('is the schema the code generates (run `npm run dealbot -- config-schema > config/dealbot.schema.json` after changing it)', () => {
    const shipped = JSON.parse(readFileSync(path.join(repoRoot, 'config/dealbot.schema.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it('is referenced by the shipped config so editors check it as it is typed', () => {
    const text = readFileSync(path.join(repoRoot, 'config/dealbot.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./dealbot.schema.json');
  });
});

describe('config/dealbot.yaml comments', () => {
  it('says what to do with the shipped feed list, and doing it works', async () => {
    const text = readFileSync(path.join(repoRoot, 'config/dealbot.yaml'), 'utf8');
    expect(text).not.toContain('Paste under');
    expect(text.replace(/\s*\n\s*#\s*/g, ' ')).toContain(
      'delete the ones you do not want, add your own, or write `list: []` to start with none',
    );
    // Following the comment: an empty list is a valid config.
    const emptied = text.replace(/\n {2}list:\n[\s\S]*?\n(?=digests:)/, '\n  list: []\n\n');
    expect(emptied).not.toEqual(text);
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-shipped-'));
    mkdirSync(path.join(dir, 'config'));
    cpSync(path.join(repoRoot, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
    writeFileSync(path.join(dir, 'config', 'dealbot.yaml'), emptied);
    const { config } = await loadConfig(path.join(dir, 'config', 'dealbot.yaml'), {});
    expect(config.feeds.list).toEqual([]);
    expect(config.feeds.defaults.timeout).toBe(20_000);
  });
});
