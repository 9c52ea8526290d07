import { describe, expect, it } from 'vitest';
import { canonicalJson, configIdentity, digestKey } from '../../src/config/config-fingerprint.js';
import { configSchema } from '../../src/config/schema.js';

const base = {
  storage: { database: 'data/dealbot.db' },
  feeds: {
    list: [
      { id: 'nhk', url: 'https://nhk.example/rss?api_key=SECRET123' },
      { id: 'reuters', url: 'https://reuters.example/feed', exclude: ['celebrity'] },
    ],
  },
  digests: [{ platform: 'slack', channel: 'C1', cron: '0 9 * * *', timezone: 'Asia/Tokyo' }],
};

const identity = (raw: unknown) => configIdentity(configSchema.parse(raw));

describe('configIdentity', () => {
  it('is the same for the same config written differently: order, defaults spelled out, storage, briefs_dir', () => {
    const same = {
      bot: { briefs_dir: '/srv/other/briefs' },
      storage: { database: 'postgres://dealbot:password@db:5432/dealbot' },
      feeds: { list: [{ ...base.feeds.list[1], language: 'en' }, base.feeds.list[0]] },
      digests: [{ ...base.digests[0], max_items: 8 }],
    };
    expect(identity(same)).toEqual(identity(base));
    expect(identity(base).fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with a feed, a digest, a threshold or the admins, and the summary says which', () => {
    const a = identity(base);
    const changedFeed = identity({
      ...base,
      feeds: { list: [base.feeds.list[0], { ...base.feeds.list[1], exclude: [] }] },
    });
    expect(changedFeed.fingerprint).not.toBe(a.fingerprint);
    expect(changedFeed.summary.feeds.nhk).toBe(a.summary.feeds.nhk);
    expect(changedFeed.summary.feeds.reuters).not.toBe(a.summary.feeds.reuters);

    const otherTime = identity({ ...base, digests: [{ ...base.digests[0], cron: '0 10 * * *' }] });
    expect(Object.keys(otherTime.summary.digests)).toEqual(['slack:C1 0 10 * * * Asia/Tokyo']);

    const threshold = identity({ ...base, matching: { relevance_threshold: 0.6 } });
    expect(threshold.fingerprint).not.toBe(a.fingerprint);
    expect(threshold.summary.matching).not.toBe(a.summary.matching);
    expect(threshold.summary.feeds).toEqual(a.summary.feeds);

    const admins = identity({ ...base, admins: { slack: { users: ['U1'] } } });
    expect(admins.summary.admins).not.toBe(a.summary.admins);
  });

  it('keeps no URL, token or database location in the summary it shares', () => {
    const text = JSON.stringify(identity(base).summary);
    for (const secret of ['SECRET123', 'nhk.example', 'data/dealbot.db']) expect(text).not.toContain(secret);
    expect(identity(base).summary.feeds).toEqual({
      nhk: expect.stringMatching(/^[0-9a-f]{12}$/),
      reuters: expect.any(String),
    });
  });
});

describe('canonicalJson and digestKey', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('names a digest by platform, channel, cron (spaces folded) and time zone', () => {
    expect(digestKey({ platform: 'discord', channel: '123', cron: ' 0  9 * * 1 ', timezone: 'UTC' })).toBe(
      'discord:123 0 9 * * 1 UTC',
    );
  });
});
