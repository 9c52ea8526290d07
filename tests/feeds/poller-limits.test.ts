import { describe, expect, it } from 'vitest';
import { failureDelay, MAX_BACKOFF_MS, successDelay, withJitter } from '../../src/feeds/backoff.js';
import { CancelledError, HostLimiter, hostOf } from '../../src/feeds/host-limiter.js';

const min = 60_000;
const noJitter = () => 0.5;

describe('backoff', () => {
  it('doubles from the interval and stops at 6 hours', () => {
    expect([1, 2, 3, 4].map((n) => failureDelay(15 * min, n, null, noJitter))).toEqual([
      15 * min,
      30 * min,
      60 * min,
      120 * min,
    ]);
    expect(failureDelay(15 * min, 30, null, noJitter)).toBe(MAX_BACKOFF_MS);
    expect(failureDelay(15 * min, 30, null, () => 1)).toBe(MAX_BACKOFF_MS); // jitter never passes the cap
  });

  it('never comes back before Retry-After, within reason', () => {
    expect(failureDelay(5 * min, 1, 90 * min, noJitter)).toBe(90 * min);
    expect(failureDelay(5 * min, 1, 1_000, noJitter)).toBe(5 * min);
    expect(failureDelay(5 * min, 1, 400 * 24 * 60 * min, noJitter)).toBe(24 * 60 * min);
  });

  it('jitters by ±10 %', () => {
    expect(withJitter(1000, () => 0)).toBe(900);
    expect(withJitter(1000, () => 1)).toBe(1100);
    expect(successDelay(1000, noJitter)).toBe(1000);
  });
});

describe('HostLimiter', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('bounds concurrency and runs one job per host at a time', async () => {
    const limiter = new HostLimiter(3);
    const running = new Map<string, number>();
    let total = 0;
    let maxTotal = 0;
    let maxPerHost = 0;
    const job = (host: string) => async () => {
      total++;
      running.set(host, (running.get(host) ?? 0) + 1);
      maxTotal = Math.max(maxTotal, total);
      maxPerHost = Math.max(maxPerHost, running.get(host)!);
      await tick();
      running.set(host, running.get(host)! - 1);
      total--;
    };
    const hosts = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'd', 'e', 'a'];
    await Promise.all(hosts.map((h) => limiter.run(h, job(h))));
    expect(maxPerHost).toBe(1);
    expect(maxTotal).toBe(3);
  });

  it('gives a free slot to a waiting job whose host is idle, not to the head of the line', async () => {
    const limiter = new HostLimiter(2);
    const order: string[] = [];
    const job = (name: string, ms: number) => async () => {
      order.push(name);
      await new Promise((r) => setTimeout(r, ms));
    };
    await Promise.all([
      limiter.run('a', job('a1', 30)),
      limiter.run('a', job('a2', 1)),
      limiter.run('b', job('b1', 1)),
    ]);
    expect(order).toEqual(['a1', 'b1', 'a2']);
  });

  it('clearPending cancels waiting jobs; idle() waits for running ones', async () => {
    const limiter = new HostLimiter(1);
    let done = false;
    const first = limiter.run('a', async () => {
      await tick();
      done = true;
    });
    const second = limiter.run('b', async () => 'never');
    expect(limiter.clearPending()).toBe(1);
    await expect(second).rejects.toBeInstanceOf(CancelledError);
    await limiter.idle();
    expect(done).toBe(true);
    await first;
  });

  it('keys hosts by name, not port or case', () => {
    expect(hostOf('https://WWW.Example.com:8443/feed')).toBe('www.example.com');
    expect(hostOf('http://127.0.0.2:1234/x')).toBe('127.0.0.2');
  });
});
