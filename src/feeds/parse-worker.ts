import { parentPort } from 'node:worker_threads';
import type { Story } from '../store/story.js';
import type { ParseOptions } from './feed-types.js';
import { parseFeed } from './parse-feed.js';

/**
 * The worker-thread side of parse-off-thread.ts: runs the same parseFeed on one
 * feed text at a time and sends the stories back in chunks, so the main thread
 * receives (deserializes) them in pieces between which it can answer users.
 */

export type ParseJob = { text: string; opts: Omit<ParseOptions, 'signal'> };
export type ParseReply =
  | { type: 'stories'; stories: Story[] }
  | { type: 'done'; feedTitle: string | null; errors: string[] }
  | { type: 'error'; message: string };

// Stories per message: ~1,000 deserialize in a few milliseconds on the main thread.
const CHUNK = 1_000;

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread (see parse-off-thread.ts)');

port.on('message', (job: ParseJob) => {
  parseFeed(job.text, job.opts).then(
    (result) => {
      for (let i = 0; i < result.stories.length; i += CHUNK)
        port.postMessage({ type: 'stories', stories: result.stories.slice(i, i + CHUNK) } satisfies ParseReply);
      port.postMessage({ type: 'done', feedTitle: result.feedTitle, errors: result.errors } satisfies ParseReply);
    },
    (err: unknown) =>
      port.postMessage({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
      } satisfies ParseReply),
  );
});
