import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSyncStore } from '../helpers/sync-store.js';
import { runCli } from '../helpers/run-cli.js';

describe('dealbot command line', () => {
  it('ask prints the facts with citations and marks, and exits 0', async () => {
    const r = await runCli(['ask', '/deal facts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Key facts');
    expect(r.stdout).toContain('(one source)');
    expect(r.stdout).toMatch(/\[1\]/);
  });

  it('ask exits 1 when the command is refused, after printing why', async () => {
    const r = await runCli(['ask', '/deal facts', 'extra']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('No brief called "extra"');
    expect(r.stderr).toContain('was not answered as asked');
    // A database of its own, so the answer does not depend on what other tests left in data/.
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-ask-')), 'ask.db');
    openSyncStore(db).close();
    const latest = await runCli(['ask', '/deal latest abc'], { env: { DEALBOT_DB: db } });
    expect(latest.code).toBe(1);
    expect(latest.stdout).toContain('n is a whole number from 1 to 10');
  });

  it('ask refuses a platform that is not registered', async () => {
    const r = await runCli(['ask', '--platform', 'teams', '/deal facts']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown --platform "teams"');
    expect(r.stderr).toContain('terminal, slack, discord');
  });

  it('check-config passes on the shipped config', async () => {
    const r = await runCli(['check-config']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK');
  });

  it('check-config reports all mistakes with line numbers and fails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-cli-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'bot:\n  command: "/Deal"\n  colour: blue\nbriefs_dir: x\n');
    const r = await runCli(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('4 problems found');
    expect(r.stderr).toMatch(/bad\.yaml:2:\d+: bot\.command:/);
    expect(r.stderr).toContain('bad.yaml:3:3: bot: unknown key "colour"');
    expect(r.stderr).toContain('bad.yaml:4:1: unknown key "briefs_dir"');
    // The briefs are checked in the same run, though the config has mistakes.
    expect(r.stderr).toContain(`${path.join(dir, 'briefs')}: cannot read the briefs folder (ENOENT)`);
  });

  it('run refuses to start on an invalid config, with the same message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-cli-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'feeds:\n  list:\n    - id: x\n');
    const r = await runCli(['run', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('will not start');
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+: feeds\.list#1\.url: missing/);
  });

  it('run answers commands typed into the terminal and exits 0 at the end of input', async () => {
    // A database of its own: run creates one, and the working tree's data/ is not the test's to write.
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-run-')), 'run.db');
    const r = await runCli(['run'], { input: '/deal reactions\n/deal nonsense\n', env: { DEALBOT_DB: db } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reactions');
    expect(r.stdout).toContain('I don\'t know "nonsense"');
  });

  it('config-schema prints a JSON Schema that knows the config keys', async () => {
    const r = await runCli(['config-schema']);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['bot', 'feeds', 'digests', 'admins', 'matching']),
    );
  });

  it('an unknown command says so and shows the list', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('check-config');
  });
});
