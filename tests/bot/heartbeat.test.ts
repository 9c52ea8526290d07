import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readBotStatus, statusFileFor } from '../../src/bot/bot-status.js';
import { createHeartbeat, HEARTBEAT_INTERVAL_MS } from '../../src/bot/heartbeat.js';
import { silentLogger } from '../../src/log/logger.js';
import type { ChatAdapter } from '../../src/messages/chat-adapter.js';

/** The status file the running bot keeps beside its database, for `dealbot health` in another process. */

function adapter(platform: string, connected?: () => boolean): ChatAdapter {
  return {
    platform,
    start: async () => undefined,
    stop: async () => undefined,
    postToChannel: async () => ({ channelId: 'c', messageId: 'm' }),
    ...(connected ? { isConnected: connected } : {}),
  };
}

const tempDb = () => path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-heartbeat-')), 'dealbot.db');

describe('heartbeat', () => {
  afterEach(() => vi.useRealTimers());

  it('writes the status at start, on every beat, and once more with stoppedAt when it stops', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T12:00:00Z') });
    const file = statusFileFor(tempDb());
    let slackUp = true;
    const beat = createHeartbeat({
      file,
      adapters: [adapter('slack', () => slackUp), adapter('terminal')],
      logger: silentLogger(),
    });
    beat.start();
    expect(readBotStatus(file)).toEqual({
      pid: process.pid,
      startedAt: '2026-03-02T12:00:00.000Z',
      heartbeatAt: '2026-03-02T12:00:00.000Z',
      stoppedAt: null,
      adapters: [
        { platform: 'slack', connected: true, since: '2026-03-02T12:00:00.000Z' },
        // An adapter that cannot tell counts as connected once started.
        { platform: 'terminal', connected: true, since: '2026-03-02T12:00:00.000Z' },
      ],
    });

    slackUp = false;
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    const dropped = readBotStatus(file)!;
    expect(dropped.heartbeatAt).toBe('2026-03-02T12:00:30.000Z');
    expect(dropped.adapters[0]).toEqual({ platform: 'slack', connected: false, since: '2026-03-02T12:00:30.000Z' });

    // Still down a beat later: "since" keeps the time it went down.
    vi.advanceTimersByTime(HEARTBEAT_INTERVAL_MS);
    expect(readBotStatus(file)!.adapters[0]!.since).toBe('2026-03-02T12:00:30.000Z');

    await beat.stop();
    expect(readBotStatus(file)!.stoppedAt).toBe('2026-03-02T12:01:00.000Z');
    vi.advanceTimersByTime(5 * HEARTBEAT_INTERVAL_MS);
    expect(readBotStatus(file)!.heartbeatAt).toBe('2026-03-02T12:01:00.000Z');
  });

  it('warns once, naming the file, when it cannot write, and keeps the bot running', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-heartbeat-'));
    // A folder where the file should be: renaming onto it fails even for root (file modes would not).
    const file = path.join(dir, 'status');
    mkdirSync(file);
    writeFileSync(path.join(file, 'keep'), '');
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          done();
        },
      }),
    );
    vi.useFakeTimers();
    const beat = createHeartbeat({ file, adapters: [], logger });
    beat.start();
    vi.advanceTimersByTime(3 * HEARTBEAT_INTERVAL_MS);
    await beat.stop();
    expect(lines).toHaveLength(1);
    expect(readdirSync(dir)).toEqual(['status']); // no temporary file left behind
    expect(lines[0]).toMatchObject({
      file,
      msg: 'cannot write the status file; the health check will report the bot as down',
    });
  });
});

describe('readBotStatus', () => {
  it('is null without a file, and names the file when it is not a status', () => {
    const file = statusFileFor(tempDb());
    expect(readBotStatus(file)).toBeNull();
    writeFileSync(file, '{"pid": 1');
    expect(() => readBotStatus(file)).toThrow(`${file} is not JSON`);
    writeFileSync(file, JSON.stringify({ pid: 1, startedAt: 'x', heartbeatAt: 'x', stoppedAt: null }));
    expect(() => readBotStatus(file)).toThrow(`${file}: adapters:`);
    expect(readFileSync(file, 'utf8')).toContain('"pid":1');
  });
});
