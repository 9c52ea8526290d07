import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Story } from '../store/story.js';
import type { ParseOptions, ParseResult } from './feed-types.js';
import { CancelledError } from './host-limiter.js';
import { parseFeed } from './parse-feed.js';
import type { ParseJob, ParseReply } from './parse-worker.js';

/**
 * parseFeed for the running bot: a big feed is parsed in a worker thread
 * (parse-worker.ts runs the same parseFeed) so the event loop keeps answering
 * users meanwhile; a small one inline, where a round trip to a thread would
 * cost more than the parse (about 10 ms per 100 KB of feed, so a feed under the
 * threshold holds the loop for ~10 ms at most). What the worker throws comes back
 * as the same Error message the inline parse would throw, so a broken feed fails
 * with the same words either way. At most `maxWorkers` threads run; an idle one
 * ends after `idleMs`, and close() ends them all (stop: a parse under way is
 * cancelled with CancelledError).
 */

export interface ParseWorkersOptions {
  /** Feed texts at least this long (characters) are parsed off the main thread (default 100,000). */
  thresholdChars?: number;
  /** Threads at most (default: one fewer than the CPUs, at least 1, at most 2). */
  maxWorkers?: number;
  /** An idle thread ends after this long (default 30 s). */
  idleMs?: number;
}

interface Job {
  data: ParseJob;
  stories: Story[];
  resolve: (result: ParseResult) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  idleTimer?: NodeJS.Timeout;
}

export class ParseWorkers {
  private readonly threshold: number;
  private readonly maxWorkers: number;
  private readonly idleMs: number;
  private readonly threads = new Set<Thread>();
  private readonly queue: Job[] = [];

  constructor(options: ParseWorkersOptions = {}) {
    this.threshold = options.thresholdChars ?? 100_000;
    this.maxWorkers = options.maxWorkers ?? Math.min(2, Math.max(1, availableParallelism() - 1));
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** A ParseFeedFn. */
  readonly parse = (text: string, opts: ParseOptions): Promise<ParseResult> => {
    if (text.length < this.threshold) return parseFeed(text, opts);
    const { signal, ...plain } = opts;
    if (signal?.aborted) return Promise.reject(new CancelledError('the parse was cancelled'));
    // The poller's signal lives as long as the bot: a settled parse must stop listening to it.
    let onAbort = () => {};
    return new Promise<ParseResult>((resolve, reject) => {
      const job: Job = { data: { text, opts: plain }, stories: [], resolve, reject };
      onAbort = () => this.cancel(job);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    }).finally(() => signal?.removeEventListener('abort', onAbort));
  };

  /** Threads running now (for tests). */
  get size(): number {
    return this.threads.size;
  }

  /** Ends every thread; parses under way or waiting are rejected with CancelledError. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new CancelledError('the parse was cancelled'));
    await Promise.all([...this.threads].map((t) => this.end(t)));
  }

  private pump(): void {
    while (this.queue.length) {
      let thread = [...this.threads].find((t) => t.job === null);
      if (!thread) {
        if (this.threads.size >= this.maxWorkers) return;
        thread = this.spawn();
      }
      clearTimeout(thread.idleTimer);
      const job = this.queue.shift()!;
      thread.job = job;
      thread.worker.ref();
      thread.worker.postMessage(job.data);
    }
  }

  private spawn(): Thread {
    const worker = WORKER_URL.pathname.endsWith('.ts')
      ? new Worker(typeScriptBootstrap(), { eval: true })
      : new Worker(WORKER_URL);
    const thread: Thread = { worker, job: null };
    this.threads.add(thread);
    worker.on('message', (reply: ParseReply) => this.answer(thread, reply));
    worker.on('error', (err) => this.fail(thread, new Error(`the feed parser thread failed: ${err.message}`)));
    worker.on('exit', (code) => this.fail(thread, new Error(`the feed parser thread stopped (exit code ${code})`)));
    return thread;
  }

  private answer(thread: Thread, reply: ParseReply): void {
    const job = thread.job;
    if (!job) return;
    if (reply.type === 'stories') {
      for (const story of reply.stories) job.stories.push(story);
      return;
    }
    if (reply.type === 'done') job.resolve({ feedTitle: reply.feedTitle, stories: job.stories, errors: reply.errors });
    else job.reject(new Error(reply.message));
    thread.job = null;
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => void this.end(thread), this.idleMs).unref();
    this.pump();
  }

  /** A thread that died (or was ended): its parse fails, and it leaves the pool. */
  private fail(thread: Thread, err: Error): void {
    if (!this.threads.delete(thread)) return;
    clearTimeout(thread.idleTimer);
    thread.job?.reject(err);
    thread.job = null;
    this.pump();
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const thread = [...this.threads].find((t) => t.job === job);
    job.reject(new CancelledError('the parse was cancelled'));
    // Ending the thread is the only way to stop a parse under way; the next big feed starts another.
    if (thread) void this.end(thread);
  }

  private async end(thread: Thread): Promise<void> {
    const job = thread.job;
    this.threads.delete(thread);
    clearTimeout(thread.idleTimer);
    thread.job = null;
    job?.reject(new CancelledError('the parse was cancelled'));
    await thread.worker.terminate();
    this.pump();
  }
}

// The worker file beside this one: .js once built, .ts under tsx and vitest.
const WORKER_URL = new URL(`./parse-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** Under tsx or vitest the worker is TypeScript, and Node 20 does not hand a thread tsx's loader: register it there. */
function typeScriptBootstrap(): string {
  // tsx's ESM entry of its API (the CommonJS one registers nothing usable in a thread).
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
}
