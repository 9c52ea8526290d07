import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/cli/commands/config-schema.js';
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
