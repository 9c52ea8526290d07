import { describe, expect, it } from 'vitest';
import { replicaConfigDifferences, summaryDifferences } from '../../src/bot/replica-config-diff.js';
import { replicaRegistration, thisProcess } from '../../src/bot/replica-registration.js';
import { configIdentity, type ConfigSummary } from '../../src/config/config-fingerprint.js';
import { configSchema } from '../../src/config/schema.js';
import type { Replica } from '../../src/store/coordination.js';

const summary = (over: Partial<ConfigSummary> = {}): ConfigSummary => ({
  feeds: { nhk: 'aaaaaaaaaaaa', reuters: 'bbbbbbbbbbbb' },
  feedDefaults: 'dddddddddddd',
  digests: { 'slack:C1 0 9 * * * UTC': 'cccccccccccc' },
  matching: 'eeeeeeeeeeee',
  bot: 'ffffffffffff',
  admins: '000000000000',
  ...over,
});

const replica = (id: string, fingerprint: string, configSummary: unknown): Replica => ({
  id,
  host: `host-${id}`,
  pid: 42,
  startedAt: '2026-12-07T20:00:00.000Z',
  lastHeartbeatAt: '2026-12-07T21:00:00.000Z',
  configFingerprint: fingerprint,
  configSummary,
});

describe('replicaConfigDifferences', () => {
  const self = { fingerprint: 'fp-1', summary: summary() };

  it('says nothing when every other replica runs the same config, and never compares a replica with itself', () => {
    expect(
      replicaConfigDifferences('me', self, [replica('me', 'fp-other', {}), replica('b', 'fp-1', summary())]),
    ).toEqual([]);
  });

  it('names the replica, when it started, and which feeds and settings differ', () => {
    const theirs = summary({
      feeds: { nhk: 'aaaaaaaaaaaa', reuters: 'changed00000', bloomberg: 'gggggggggggg' },
      matching: 'other0000000',
    });
    expect(replicaConfigDifferences('me', self, [replica('b', 'fp-2', theirs)])).toEqual([
      "this replica's config differs from replica b (host-b, pid 42, started 2026-12-07T20:00:00.000Z): " +
        'feeds only there: bloomberg; feeds set differently: reuters; matching thresholds differ. ' +
        'Replicas sharing a database should run the same config; deploy one config to all of them',
    ]);
  });

  it("says so when the other replica's summary is not one it can read (another dealbot version)", () => {
    const [line] = replicaConfigDifferences('me', self, [replica('b', 'fp-2', { feeds: ['nhk'] })]);
    expect(line).toContain('replica b (host-b, pid 42');
    expect(line).toContain('its summary is not one this dealbot reads (a different dealbot version?)');
  });

  it('works on identities made from two parsed configs', () => {
    const config = (feeds: string[]) =>
      configIdentity(
        configSchema.parse({ feeds: { list: feeds.map((id) => ({ id, url: `https://${id}.example/rss` })) } }),
      );
    const mine = config(['nhk', 'kyodo']);
    const theirs = config(['nhk']);
    const lines = replicaConfigDifferences('me', mine, [replica('b', theirs.fingerprint, theirs.summary)]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(': feeds only here: kyodo.');
  });
});

describe('summaryDifferences', () => {
  it('lists at most five names, then counts the rest', () => {
    const feeds = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => [id, 'x']));
    expect(summaryDifferences(summary({ feeds }), summary({ feeds: {} }))).toEqual([
      'feeds only here: a, b, c, d, e and 2 more',
    ]);
  });

  it('names digests, feed defaults, the bot settings and admins', () => {
    const theirs = summary({
      digests: { 'slack:C1 0 9 * * * UTC': 'changed00000', 'discord:1 0 8 * * * UTC': 'x' },
      feedDefaults: 'x',
      bot: 'x',
      admins: 'x',
    });
    expect(summaryDifferences(summary(), theirs)).toEqual([
      'feed defaults differ',
      'digests only there: discord:1 0 8 * * * UTC',
      'digests set differently: slack:C1 0 9 * * * UTC',
      'bot command or default brief differs',
      'admins differ',
    ]);
  });
});

describe('replicaRegistration', () => {
  it('gives an id of host, pid and a nonce, with the config fingerprint and summary', () => {
    const config = { fingerprint: 'fp-1', summary: summary() };
    expect(replicaRegistration(config, { host: 'web-1', pid: 1, nonce: 'a1b2c3' })).toEqual({
      id: 'web-1:1:a1b2c3',
      host: 'web-1',
      pid: 1,
      configFingerprint: 'fp-1',
      configSummary: summary(),
    });
  });

  it('tells apart two processes of one host and pid (two containers, each pid 1)', () => {
    const config = { fingerprint: 'fp-1', summary: summary() };
    const a = replicaRegistration(config, { ...thisProcess(), pid: 1 });
    const b = replicaRegistration(config, { ...thisProcess(), pid: 1 });
    expect(a.host).toBe(b.host);
    expect(a.id).not.toBe(b.id);
  });
});
