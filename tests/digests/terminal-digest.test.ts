import { promised } from '../../src/store/async-store.js';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalAdapter } from '../../src/adapters/terminal/terminal-adapter.js';
import { createDigestJob, type DigestJob } from '../../src/bot/digest-job.js';
import { silentLogger } from '../../src/log/logger.js';
import { BRIEFS, candidate, config, MemoryCandidates, openLedger, tempDbFile } from './helpers.js';

let job: DigestJob | undefined;
afterEach(async () => {
  await job?.stop();
  job = undefined;
  vi.useRealTimers();
});

describe('a digest arriving in the terminal', () => {
  it('prints the digest at its scheduled minute through the real terminal adapter and scheduler', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-03-10T12:00:20.000Z'));
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
    const terminal = new TerminalAdapter({ input: new PassThrough(), output, command: 'deal', prompt: false });
    const candidates = new MemoryCandidates([
      candidate({
        storyId: 'pact',
        outlets: ['Nikkei'],
        score: 0.8,
        story: { title: 'US and Japan sign rare-earths pact', firstSeen: '2025-03-10T12:00:30.000Z' },
      }),
    ]);
    const { ledger, close } = openLedger(tempDbFile());
    job = createDigestJob({
      getConfig: () =>
        config([
          {
            platform: 'terminal',
            channel: 'newsroom',
            cron: '* * * * *',
            timezone: 'Europe/London',
            quiet_day: 'skip',
          },
        ]),
      getBriefs: () => BRIEFS,
      ledger: promised(ledger),
      candidates,
      adapters: [terminal],
      logger: silentLogger(),
    });
    await job.start();
    const stop = job.stop.bind(job);
    job.stop = async () => {
      await stop();
      close();
    };

    // The story arrives at 12:00:30; nothing is printed until the 12:01 slot.
    await vi.advanceTimersByTimeAsync(39_000);
    expect(printed).toBe('');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(new Date().toISOString()).toBe('2025-03-10T12:01:00.000Z');
    expect(printed).toMatch(/^\n\[#newsroom\] \(dg-[\w-]{20}\)\nDigest — Mon 10 Mar 2025\n/);
    expect(printed).toContain('Trump and Takaichi signed a rare-earths deal.');
    expect(printed).toContain('• US and Japan sign rare-earths pact\n    Nikkei · just now');
    expect(printed).toContain('https://news.example/pact');

    // The next minutes are quiet (skip): nothing more is printed.
    const length = printed.length;
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(printed.length).toBe(length);
  });
});
