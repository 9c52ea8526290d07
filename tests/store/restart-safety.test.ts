import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSyncStore } from '../helpers/sync-store.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/upsert-forever.ts');

/** Starts a writer, lets it commit a few batches, then kills it without warning. */
function killMidWrite(file: string, batches: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let committed = -1;
    child.stdout.on('data', (d: Buffer) => {
      const last = d.toString().trim().split('\n').at(-1)!;
      committed = Number(last.replace('batch ', ''));
      if (committed + 1 >= batches) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', () => resolve(committed));
  });
}

describe('restart safety', () => {
  it('a process killed mid-poll keeps every committed batch whole and stores nothing twice after restart', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-kill-')), 'dealbot.db');
    const committed = await killMidWrite(file, 4);
    const store = openSyncStore(file);
    const count = store.stories.count();
    expect(count % 50).toBe(0); // no half batch
    expect(count / 50).toBeGreaterThanOrEqual(committed + 1);
    // The restarted poller sees the same items again: nothing is inserted twice.
    const again = Array.from({ length: count / 50 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => ({
        id: `b${b}-${i}`,
        feedId: 'feed-a',
        title: `Batch ${b} story ${i} about rare earth magnets`,
        summary: 'x'.repeat(2000),
        url: `https://example.com/${b}/${i}`,
        published: '2025-10-28T09:00:00.000Z',
        author: null,
        lang: 'en',
      })),
    ).flat();
    const r = store.stories.upsert(again, { seenAt: new Date().toISOString() });
    expect(r.inserted).toBe(0);
    expect(store.stories.count()).toBe(count);
    expect(store.stories.search('magnets', 1000)).toHaveLength(count);
    store.close();
  });
});
