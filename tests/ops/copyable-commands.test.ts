import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_COMMAND_NAMES } from '../../src/cli/registry.js';
import { repoRoot } from '../helpers/paths.js';

/**
 * After a clone and `npm install`, `dealbot` is not on PATH; `npx dealbot …` is (package.json
 * "bin"), and `npm run dealbot -- …` prints npm's banner into the output. So every command a
 * reader may copy, from the docs or from a message of the bot, says `npx dealbot <command>`.
 * Usage lines name the program `dealbot`, and "dealbot ask: …" prefixes an error: both stay.
 */

const COMMAND = new RegExp(`(?<![\\w./-])dealbot (${CLI_COMMAND_NAMES.join('|')})\\b(?!:)`, 'g');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));
}

function bareCommands(file: string, skip: (line: string) => boolean = () => false): string[] {
  return readFileSync(path.join(repoRoot, file), 'utf8')
    .split('\n')
    .flatMap((line, i) =>
      skip(line)
        ? []
        : [...line.matchAll(COMMAND)]
            .filter((m) => !/npx $/.test(line.slice(0, m.index)))
            .map(() => `${file}:${i + 1}: ${line.trim()}`),
    );
}

describe('commands a reader copies', () => {
  it('are written npx dealbot … in the README, docs/ and briefs/README.md', () => {
    const docs = ['README.md', 'briefs/README.md', ...filesUnder('docs', '.md')];
    expect(docs.flatMap((f) => bareCommands(f))).toEqual([]);
  });

  it('are written npx dealbot … in what the bot and the CLI print', () => {
    // Comments and usage lines (`usage: 'dealbot …'`, or a usage string on a line of its own) are not hints.
    const skip = (line: string) => /^\s*(\/\/|\*|\/\*\*|'dealbot )/.test(line) || /usage|USAGE/.test(line);
    expect(filesUnder('src', '.ts').flatMap((f) => bareCommands(f, skip))).toEqual([]);
  });

  it('the README runs the CLI with npx, never through npm run (whose banner lands in JSON output)', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/npm run (--silent )?dealbot/);
    for (const doc of filesUnder('docs', '.md'))
      expect(readFileSync(path.join(repoRoot, doc), 'utf8'), doc).not.toMatch(/npm run (--silent )?dealbot/);
  });
});
