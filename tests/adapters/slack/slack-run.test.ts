import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack-api.js';
import { repoRoot } from '../../helpers/paths.js';
import { runCli } from '../../helpers/run-cli.js';
import { slashCommandBody } from '../../helpers/slack-request.js';

/** `dealbot run` (what `npm start` runs) picks Slack from the environment and needs nothing but SLACK_API_URL. */
describe('dealbot run with Slack settings', () => {
  let fake: FakeSlack | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
  });

  it('starts the Slack adapter in Socket Mode against SLACK_API_URL and answers /deal facts', async () => {
    fake = await startFakeSlack();
    let stderr = '';
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/index.ts'), 'run'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SLACK_BOT_TOKEN: 'xoxb-run',
        SLACK_APP_TOKEN: 'xapp-run',
        SLACK_API_URL: fake.apiUrl,
        DEALBOT_DB: path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-slack-')), 'dealbot.db'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));

    const ws = await fake
      .waitFor(() => fake!.sockets[0], 20_000)
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${stderr}`);
      });
    const payload = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ command: '/deal', text: 'facts', response_url: fake.responseUrl('run') })),
    );
    ws.sendJson({ envelope_id: 'env-run', type: 'slash_commands', accepts_response_payload: true, payload });
    const answer = await fake.waitFor(() => fake!.responses.find((r) => r.id === 'run')?.body, 10_000);
    expect(answer.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.blocks)).toContain('Key facts');
    expect(stderr).toContain('connected to Slack');
  });

  it('refuses to start on a half-set Slack environment, saying what is missing', async () => {
    const db = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-slack-')), 'dealbot.db');
    const result = await runCli(['run'], { env: { SLACK_BOT_TOKEN: 'xoxb-half', DEALBOT_DB: db } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/SLACK_BOT_TOKEN is set but .* SLACK_APP_TOKEN .* SLACK_SIGNING_SECRET/);
  });
});
