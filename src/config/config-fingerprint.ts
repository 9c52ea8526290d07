import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Config, DigestConfig } from './schema.js';

/**
 * What replicas compare to notice they run different configs: a fingerprint
 * (equal means the same config) and a summary that says where they differ.
 *
 * In it: every feed (id and whole entry), the feed defaults, every digest
 * (platform, channel, schedule, briefs, alerts…), matching thresholds, the
 * command name and default brief, and admins. Parsed values with defaults
 * filled in, so `max_items: 8` written out equals it left out; feeds and
 * digests by key, so their order in the file does not matter.
 * Not in it: `storage` (each replica may spell the database differently, and a
 * URL may carry a password), `bot.briefs_dir` (a path on one machine) and
 * `$schema`. Tokens live in the environment, never in the config, so never here.
 * The summary holds short hashes, not values: a feed URL may carry an API key,
 * and the summary is stored in the shared database.
 */

/** A feed's or a digest's key → a short hash of its entry; a section → a short hash of it. */
export const configSummarySchema = z.object({
  feeds: z.record(z.string(), z.string()),
  feedDefaults: z.string(),
  digests: z.record(z.string(), z.string()),
  matching: z.string(),
  bot: z.string(),
  admins: z.string(),
});
export type ConfigSummary = z.output<typeof configSummarySchema>;

export interface ConfigIdentity {
  /** sha256 (hex) of the shared parts in canonical JSON. */
  fingerprint: string;
  summary: ConfigSummary;
}

/** A digest's key: what makes two entries the same schedule (the schema refuses repeats). */
export function digestKey(digest: Pick<DigestConfig, 'platform' | 'channel' | 'cron' | 'timezone'>): string {
  return `${digest.platform}:${digest.channel} ${digest.cron.trim().split(/\s+/).join(' ')} ${digest.timezone}`;
}

export function configIdentity(config: Config): ConfigIdentity {
  const feeds = Object.fromEntries(config.feeds.list.map((feed) => [feed.id, feed]));
  const digests = Object.fromEntries(config.digests.map((digest) => [digestKey(digest), digest]));
  const shared = {
    feeds,
    feedDefaults: config.feeds.defaults,
    digests,
    matching: config.matching,
    bot: { command: config.bot.command, default_brief: config.bot.default_brief },
    admins: config.admins,
  };
  const mapValues = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, shortHash(value)]));
  return {
    fingerprint: sha256(canonicalJson(shared)),
    summary: {
      feeds: mapValues(feeds),
      feedDefaults: shortHash(shared.feedDefaults),
      digests: mapValues(digests),
      matching: shortHash(shared.matching),
      bot: shortHash(shared.bot),
      admins: shortHash(shared.admins),
    },
  };
}

/** JSON with object keys sorted at every depth (arrays keep their order); undefined members left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** 12 hex digits (48 bits) of sha256: enough to tell two entries apart, and not the value itself. */
const shortHash = (value: unknown) => sha256(canonicalJson(value)).slice(0, 12);
