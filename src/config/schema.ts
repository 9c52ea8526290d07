import { z } from 'zod';
import { cronProblem } from './cron-check.js';
import { timeZoneProblem } from './time-zone.js';
import { duration, size } from './units.js';

/**
 * The schema of config/dealbot.yaml. Strict objects everywhere, so a misspelt key
 * is an error with its line instead of a setting silently ignored. Secrets never
 * live here: they come from the environment (see .env.example).
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case id of letters, digits, ".", "_" or "-"');

/** A word, phrase or /regular expression/flags used by per-feed filters. */
export const filterPattern = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const m = /^\/(.+)\/([a-z]*)$/.exec(value);
    if (!m) return;
    try {
      new RegExp(m[1]!, m[2]);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
    }
  });

/** A check written as "what is wrong, or undefined", as a zod refinement. */
function problemCheck(problemOf: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const message = problemOf(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  };
}

/** The fields of list items that are plain data, read defensively (the list may be half invalid). */
const itemField = (item: unknown, key: string): unknown =>
  item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;

// Platform ids are checked against the adapters that exist when the config and briefs are
// loaded together (src/bot/load-bot-files.ts): the config knows no platform by name.
const platform = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a platform id such as "slack", "discord" or "terminal"')
  .describe('A chat platform: slack, discord or terminal.');

const feedSchema = z.strictObject({
  id: id.describe('Stable id of the feed, used in logs, the feeds table and stored stories.'),
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .describe('The RSS or Atom feed URL.'),
  poll_interval: duration.optional().describe('How often to poll this feed (default: feeds.defaults.poll_interval).'),
  language: z
    .string()
    .regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, 'expected a language code such as "en" or "ja"')
    .default('en'),
  include: z
    .array(filterPattern)
    .default([])
    .describe('Keep only items containing one of these words, phrases or /regexes/.'),
  exclude: z
    .array(filterPattern)
    .default([])
    .describe('Drop items containing any of these words, phrases or /regexes/.'),
  enabled: z.boolean().default(true),
  note: z.string().optional().describe('What this feed brings; shown in the feeds table.'),
});

function uniqueFeedIds(list: unknown[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  list.forEach((feed, i) => {
    const id = itemField(feed, 'id');
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else
      ctx.addIssue({
        code: 'custom',
        path: [i, 'id'],
        message: `feed #${i + 1} has the same id "${id}" as feed #${first + 1}; give each feed its own id`,
      });
  });
}

const feedDefaultsSchema = z.strictObject({
  poll_interval: duration.prefault('15m'),
  timeout: duration.prefault('20s'),
  max_bytes: size.prefault('5MB'),
  max_redirects: z.number().int().min(0).max(10).default(5),
  concurrency: z.number().int().min(1).max(64).default(8),
  backlog_age: duration
    .prefault('3d')
    .describe('Items older than this, found when a feed is added, are stored as backlog and not digested.'),
  allow_private_network: z
    .boolean()
    .default(false)
    .describe('Allow feed URLs that resolve to loopback or private addresses (intranet feeds).'),
  user_agent_contact: z
    .url()
    .default('https://github.com/dealbot/dealbot')
    .describe('Contact URL sent in the User-Agent header.'),
});

const alertsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  min_score: z.number().min(0).default(0.85).describe('Stories scoring at least this are posted at once.'),
  max_per_hour: z.number().int().min(1).default(10),
});

/** When a digest entry leaves out its schedule: every day at 09:00 UTC. */
export const DIGEST_DEFAULTS = { cron: '0 9 * * *', timezone: 'UTC' } as const;

const digestSchema = z.strictObject({
  platform,
  channel: z.string().min(1).describe('Channel id (Slack C…, Discord snowflake, or any name for the terminal).'),
  cron: z.string().superRefine(problemCheck(cronProblem)).default(DIGEST_DEFAULTS.cron),
  timezone: z
    .string()
    .superRefine(problemCheck(timeZoneProblem))
    .default(DIGEST_DEFAULTS.timezone)
    .describe('IANA name of a place, e.g. "Asia/Tokyo"; abbreviations such as JST or EST are refused.'),
  briefs: z.array(id).min(1).optional().describe('Briefs this channel follows (default: bot.default_brief).'),
  max_items: z.number().int().min(1).max(25).default(8),
  quiet_day: z
    .enum(['skip', 'short-line'])
    .default('skip')
    .describe('On a day with nothing new: post nothing, or one short line.'),
  alerts: alertsSchema.prefault({}),
});

const SCHEDULE_FIELDS = ['platform', 'channel', 'cron', 'timezone'] as const;

/**
 * Two entries with the same platform, channel, cron and time zone would post the same
 * digest twice. Compared as written (defaults filled in), even when one of those fields
 * is wrong in both, so the repeat is reported in the same run.
 */
function uniqueSchedules(list: unknown[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  list.forEach((digest, i) => {
    const fields = SCHEDULE_FIELDS.map((key) => itemField(digest, key));
    if (!fields.every((f) => typeof f === 'string')) return;
    const [platform, channel, cron, timezone] = fields as string[];
    const key = JSON.stringify([platform, channel, cron!.trim().split(/\s+/).join(' '), timezone]);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `digest #${i + 1} repeats digest #${first + 1} (same platform, channel, cron and timezone), so it would post twice; remove one, or list both briefs in one entry`,
      });
  });
}

const platformAdminsSchema = z.strictObject({
  users: z.array(z.string()).default([]).describe("User ids of the platform's admins."),
  roles: z
    .array(z.string())
    .default([])
    .describe('Role ids whose members are admins (platforms with roles, e.g. Discord).'),
});

const noticesSchema = z.strictObject({ platform, channel: z.string().min(1) });

/** The person at the terminal prompt is "local": an admin unless admins.terminal says otherwise. */
const TERMINAL_DEFAULT_ADMINS = { users: ['local'], roles: [] as string[] };

// In the file, admins are keyed by platform id beside `notices`; parsed, they are a map, so
// checking an admin needs no list of platforms.
const adminsSchema = z
  .object({
    notices: noticesSchema.optional().describe('Where the bot tells admins about dead feeds and failed posts.'),
  })
  .catchall(platformAdminsSchema)
  .transform(({ notices, ...byPlatform }) => {
    const platforms: Record<string, z.output<typeof platformAdminsSchema>> = {
      terminal: TERMINAL_DEFAULT_ADMINS,
      ...byPlatform,
    };
    return { ...(notices ? { notices } : {}), platforms };
  });

const matchingSchema = z.strictObject({
  relevance_threshold: z.number().min(0).max(1).default(0.5).describe('Score from which a story counts as relevant.'),
  brief_threshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('Score from which a relevant story is tied to a brief.'),
  cluster_similarity: z
    .number()
    .min(0)
    .max(1)
    .default(0.35)
    .describe('Similarity (words, names, figures, action; rarer ones weigh more) from which a story joins an event.'),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  bot: z
    .strictObject({
      command: z
        .string()
        .regex(
          /^[a-z0-9_-]{1,32}$/,
          'expected a lower-case command name of 1–32 letters, digits, "-" or "_", without the slash',
        )
        .default('deal'),
      default_brief: id.default('us-japan-rare-earths-2025'),
      briefs_dir: z
        .string()
        .min(1)
        .default('briefs')
        .describe('Folder of brief files. A relative path is relative to the folder the config file is in.'),
    })
    .prefault({}),
  storage: z
    .strictObject({
      database: z
        .string()
        .min(1)
        .default('data/dealbot.db')
        .describe(
          'SQLite file. A relative path is relative to the folder the config file is in; DEALBOT_DB overrides it.',
        ),
      lease: duration
        .prefault('60s')
        .refine((ms) => ms >= 2_000, { message: 'expected at least "2s"' })
        .describe(
          'Replicas on PostgreSQL: how long a replica holds a feed it polls or a post it sends without renewing; another replica takes over the work of one that died after this.',
        ),
    })
    .prefault({}),
  admins: adminsSchema.prefault({}),
  feeds: z
    .strictObject({
      defaults: feedDefaultsSchema.prefault({}),
      list: z
        .array(feedSchema)
        .default([])
        .superRefine(uniqueFeedIds, {
          // Run even when some feed has other mistakes, so every problem shows at once.
          when: (payload) => Array.isArray(payload.value),
        }),
    })
    .prefault({}),
  matching: matchingSchema.prefault({}),
  digests: z
    .array(digestSchema)
    .default([])
    .superRefine(uniqueSchedules, {
      // Run even when some digest has other mistakes, so every problem shows at once.
      when: (payload) => Array.isArray(payload.value),
    }),
});

export type Config = z.output<typeof configSchema>;
export type FeedConfig = Config['feeds']['list'][number];
export type FeedDefaults = Config['feeds']['defaults'];
export type DigestConfig = Config['digests'][number];
export type PlatformAdmins = z.output<typeof platformAdminsSchema>;
