import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layer rules in .dependency-cruiser.cjs, run the way `npm run lint` runs them: on a small
// planted tree (each key rule must catch its violation, and allowed imports must pass) and on
// the repository's own src/.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const depcruiseBin = path.join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** Runs the depcruise CLI in `cwd` on its src/ and returns the violations it reports. */
function depcruise(cwd: string): Promise<Violation[]> {
  const args = [depcruiseBin, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'];
  return new Promise((resolve, reject) => {
    // Exits non-zero when it finds violations: judge by the JSON, not the exit code.
    execFile(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
        resolve(result.summary.violations);
      } catch {
        reject(new Error(`depcruise gave no JSON (${err?.message ?? 'exit 0'}):\n${stderr}`));
      }
    });
  });
}

const show = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

/** A tree of source files, each path → its text. */
const planted: Record<string, string> = {
  // Allowed imports: none of these may be reported.
  'src/log/logger.ts': 'export const log = (m: string): string => m;\n',
  'src/messages/message.ts': 'export type Message = { text: string };\n',
  'src/store/story.ts': "import type { Message } from '../messages/message.js';\nexport type Story = Message;\n",
  'src/store/sqlite/s.ts': "import Database from 'better-sqlite3';\nexport const db = Database;\n",
  'src/store/postgres/p.ts': "import pg from 'pg';\nexport const pool = pg;\n",
  'src/store/open-store.ts': "export { db } from './sqlite/s.js';\nexport { pool } from './postgres/p.js';\n",
  'src/adapters/adapter-module.ts':
    "import type { Message } from '../messages/message.js';\nexport type M = Message;\n",
  'src/adapters/slack/y.ts':
    "import { App } from '@slack/bolt';\nimport type { M } from '../adapter-module.js';\nexport const y = App;\nexport type Y = M;\n",
  'src/adapters/index.ts': "export { y } from './slack/y.js';\n",
  'src/bot/glue.ts':
    "import { y } from '../adapters/index.js';\nimport { db } from '../store/open-store.js';\nimport cron from 'node-cron';\nexport const glue = [y, db, cron];\n",
  'src/main.ts': "import { glue } from './bot/glue.js';\nexport const main = glue;\n",
  'src/cli/index.ts': "import { main } from '../main.js';\nexport const cli = main;\n",

  // Violations, one (or two) per rule.
  'src/commands/x.ts': "import { y } from '../adapters/slack/y.js';\nexport const x = y;\n",
  'src/commands/z.ts': "import { glue } from '../bot/glue.js';\nexport const z = glue;\n",
  'src/matching/m.ts':
    "import { db } from '../store/sqlite/s.js';\nimport type { Story } from '../store/story.js';\nexport const m = db;\nexport type S = Story;\n",
  'src/store/store.ts': "import { db } from './sqlite/s.js';\nexport const store = db;\n",
  'src/store/async-store.ts': "import { pool } from './postgres/p.js';\nexport const a = pool;\n",
  'src/feeds/g.ts': "import pg from 'pg';\nexport const g = pg;\n",
  'src/events/e.ts': "import type { store } from '../store/store.js';\nexport type E = typeof store;\n",
  'src/render/r.ts': "import { App } from '@slack/bolt';\nexport const r = App;\n",
  'src/feeds/f.ts': "import { Client } from 'discord.js';\nexport const f = Client;\n",
  'src/adapters/discord/d.ts': "import { y } from '../slack/y.js';\nexport const d = y;\n",
  'src/config/c.ts':
    "import { cli } from '../cli/index.js';\nimport cron from 'node-cron';\nexport const c = [cli, cron];\n",
  'src/matching/n.ts': "import cron from 'node-cron';\nexport const n = cron;\n",
  'src/config/u.ts': "import { u } from '../misc/u.js';\nexport const cu = u;\n",
  'src/misc/u.ts': 'export const u = 1;\n',
  'src/digests/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
  'src/digests/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",

  // Stub packages, so that SDK rules are checked on resolved imports (discord.js is left
  // unresolved on purpose: the rule must catch it either way).
  'node_modules/@slack/bolt/package.json': '{ "name": "@slack/bolt", "main": "index.js" }\n',
  'node_modules/@slack/bolt/index.js': 'exports.App = class App {};\n',
  'node_modules/better-sqlite3/package.json': '{ "name": "better-sqlite3", "main": "index.js" }\n',
  'node_modules/better-sqlite3/index.js': 'module.exports = function Database() {};\n',
  'node_modules/pg/package.json': '{ "name": "pg", "main": "index.js" }\n',
  'node_modules/pg/index.js': 'module.exports = {};\n',
  'node_modules/node-cron/package.json': '{ "name": "node-cron", "main": "index.js" }\n',
  'node_modules/node-cron/index.js': 'module.exports = {};\n',
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    include: ['src'],
  }),
};

const slack = 'node_modules/@slack/bolt/index.js';
const cron = 'node_modules/node-cron/index.js';
const pgPackage = 'node_modules/pg/index.js';
/** Every violation the planted tree must produce, and no other. */
const expected = [
  'commands-layer: src/commands/x.ts → src/adapters/slack/y.ts',
  'commands-layer: src/commands/z.ts → src/bot/glue.ts',
  'bot-and-main-only-from-entry-points: src/commands/z.ts → src/bot/glue.ts',
  'matching-layer: src/matching/m.ts → src/store/sqlite/s.ts',
  'store-contract-engine-free: src/store/store.ts → src/store/sqlite/s.ts',
  'store-contract-engine-free: src/store/async-store.ts → src/store/postgres/p.ts',
  `pg-only-in-postgres-store: src/feeds/g.ts → ${pgPackage}`,
  'events-layer: src/events/e.ts → src/store/store.ts',
  `slack-sdk-only-in-slack-adapter: src/render/r.ts → ${slack}`,
  'discord-sdk-only-in-discord-adapter: src/feeds/f.ts → discord.js',
  'not-to-unresolvable: src/feeds/f.ts → discord.js',
  'adapter-platforms-independent: src/adapters/discord/d.ts → src/adapters/slack/y.ts',
  'config-layer: src/config/c.ts → src/cli/index.ts',
  'cli-only-from-cli: src/config/c.ts → src/cli/index.ts',
  `cron-only-in-schedulers: src/matching/n.ts → ${cron}`,
  'config-layer: src/config/u.ts → src/misc/u.ts',
  'unknown-layer: src/config/u.ts → src/misc/u.ts',
  // A cycle is reported once, from its first file.
  'no-circular: src/digests/a.ts → src/digests/b.ts',
];

describe('layer rules (.dependency-cruiser.cjs)', () => {
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dealbot-layers-'));
    for (const [file, text] of Object.entries(planted)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    copyFileSync(path.join(repoRoot, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports each planted violation under its rule, and nothing that is allowed', async () => {
    const found = (await depcruise(dir)).map(show);
    expect([...found].sort()).toEqual([...expected].sort());
  });

  it("finds no violation in the repository's src/", async () => {
    const found = (await depcruise(repoRoot)).map(show);
    expect(found).toEqual([]);
  });
});
