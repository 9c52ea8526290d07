import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplicaPresence, leasesOf } from '../../src/bot/replica-presence.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore } from '../../src/store/open-store.js';
import type { AsyncStore } from '../../src/store/async-store.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function logLines() {
  const stream = new PassThrough();
  const lines: { level: number; msg: string }[] = [];
  stream.on('data', (d: Buffer) => {
    for (const l of d.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as never);
  });
  return { logger: createLogger({ level: 'info', destination: stream }), lines };
}

/** Two processes' stores on one SQLite file (the registry works the same on PostgreSQL: coordination contract tests). */
async function sharedFile(): Promise<() => Promise<AsyncStore>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-presence-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return async () => {
    const store = await openStore(path.join(dir, 'shared.db'));
    cleanups.unshift(() => store.close());
    return store;
  };
}

const config = (feeds: string[]): Config =>
  configSchema.parse({ feeds: { list: feeds.map((id) => ({ id, url: `https://${id}.example/rss` })) } });
const flush = () => new Promise((r) => setTimeout(r, 20));

describe('replica presence', () => {
  it('registers, and a replica started with another config says where it differs from the running one', async () => {
    const open = await sharedFile();
    const a = logLines();
    const b = logLines();
    const first = createReplicaPresence({
      replicas: (await open()).replicas,
      getConfig: () => config(['nhk', 'reuters']),
      logger: a.logger,
      place: { host: 'box-a', pid: 1, nonce: 'aaa' },
    });
    await first.start();
    cleanups.unshift(() => first.stop());
    const secondStore = await open();
    let secondConfig = config(['nhk', 'kyodo']);
    const second = createReplicaPresence({
      replicas: secondStore.replicas,
      getConfig: () => secondConfig,
      logger: b.logger,
      place: { host: 'box-b', pid: 1, nonce: 'bbb' },
    });
    await second.start();
    cleanups.unshift(() => second.stop());
    await flush();

    expect(first.id).toBe('box-a:1:aaa');
    expect((await secondStore.replicas.live(60_000)).map((r) => r.id)).toEqual(['box-a:1:aaa', 'box-b:1:bbb']);
    const warned = b.lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/differs from replica box-a:1:aaa/);
    expect(warned[0]).toMatch(/feeds only here: kyodo/);
    expect(warned[0]).toMatch(/feeds only there: reuters/);
    expect(a.lines.filter((l) => l.level === 40)).toEqual([]);

    // The admin deploys the same config to the second replica and it reloads: no warning any more.
    secondConfig = config(['nhk', 'reuters']);
    await second.configChanged();
    await flush();
    expect(b.lines.filter((l) => l.level === 40)).toHaveLength(1);
  });

  it('comes back after being pruned, and leaves the registry on a clean stop', async () => {
    const open = await sharedFile();
    const store = await open();
    const presence = createReplicaPresence({
      replicas: store.replicas,
      getConfig: () => config(['nhk']),
      logger: logLines().logger,
      place: { host: 'box', pid: 7, nonce: 'ccc' },
      heartbeatMs: 30,
    });
    await presence.start();
    await store.replicas.forget(presence.id);
    await new Promise((r) => setTimeout(r, 120));
    expect((await store.replicas.live(60_000)).map((r) => r.id)).toEqual(['box:7:ccc']);
    await presence.stop();
    expect(await store.replicas.live(60_000)).toEqual([]);
  });

  it("holds leases in the replica's name", async () => {
    const open = await sharedFile();
    const one = leasesOf((await open()).leases, 'box-a:1:aaa');
    const other = leasesOf((await open()).leases, 'box-b:1:bbb');
    expect(await one.acquire('discord-gateway', 60_000)).toBe(true);
    expect(await other.acquire('discord-gateway', 60_000)).toBe(false);
    expect(await other.renew('discord-gateway', 60_000)).toBe(false);
    await one.release('discord-gateway');
    expect(await other.acquire('discord-gateway', 60_000)).toBe(true);
  });
});
