/**
 * Runs jobs with a global concurrency bound and at most one job per host at a
 * time (politeness: never two requests at once to the same server). A free slot
 * goes to the first waiting job whose host is idle, so twenty feeds from one
 * outlet never hold every slot while other hosts wait.
 */

export class CancelledError extends Error {
  constructor(message = 'cancelled before it started') {
    super(message);
    this.name = 'CancelledError';
  }
}

interface Waiting {
  host: string;
  job: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export class HostLimiter {
  private readonly waiting: Waiting[] = [];
  private readonly busyHosts = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  /** May be changed at any time (a reloaded config); applies to the next start. */
  constructor(public concurrency: number) {}

  get active(): number {
    return this.running;
  }

  get pending(): number {
    return this.waiting.length;
  }

  run<T>(host: string, job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ host: host.toLowerCase(), job, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Drops the jobs not started yet (their promises reject with CancelledError); returns how many. */
  clearPending(): number {
    const dropped = this.waiting.splice(0);
    for (const w of dropped) w.reject(new CancelledError());
    this.settleIdle();
    return dropped.length;
  }

  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < Math.max(1, this.concurrency)) {
      const i = this.waiting.findIndex((w) => !this.busyHosts.has(w.host));
      if (i < 0) break;
      const [next] = this.waiting.splice(i, 1);
      this.start(next!);
    }
  }

  private start(w: Waiting): void {
    this.running++;
    this.busyHosts.add(w.host);
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(w.job());
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(w.resolve, w.reject).finally(() => {
      this.running--;
      this.busyHosts.delete(w.host);
      this.pump();
      this.settleIdle();
    });
  }

  private settleIdle(): void {
    if (this.running > 0 || this.waiting.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The politeness key of a feed URL: its host name, whatever the port. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
}
