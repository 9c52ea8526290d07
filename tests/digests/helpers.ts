import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, vi } from 'vitest';
import type { ChatAdapter, PostOptions, PostReceipt } from '../../src/messages/chat-adapter.js';
import { BriefRegistry } from '../../src/briefs/brief-registry.js';
import { briefSchema, type Brief } from '../../src/briefs/schema.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { CandidateQuery, DigestCandidate, DigestCandidateSource } from '../../src/digests/candidate-source.js';
import type { Message } from '../../src/messages/message.js';
import type { DigestLedger } from '../../src/store/digest-ledger.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import type { StoredStory } from '../../src/store/story.js';

/** A fresh SQLite file path in a temporary folder (reopened by "restarted" schedulers). */
export function tempDbFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'dealbot-digests-')), 'dealbot.db');
}

/**
 * The ledger of the real SQLite store (its migrations included) over a file; open
 * it again on the same file to simulate a restart. `db` is a second connection
 * for the tests' own reads and tampering. The ledger answers at once, for a test's
 * own calls; hand `promised(ledger)` (src/store/async-store.ts) to product code.
 */
export function openLedger(file: string): { ledger: DigestLedger; db: Database.Database; close(): void } {
  const store = openSqliteStore(file);
  const db = new Database(file, { timeout: 5000 });
  return {
    ledger: store.ledger,
    db,
    close: () => {
      db.close();
      store.close();
    },
  };
}

export function brief(id: string, title: string, atAGlance?: string): Brief {
  return briefSchema.parse({
    id,
    title,
    summary: `${title}.`,
    ...(atAGlance ? { at_a_glance: atAGlance } : {}),
    as_of: '2025-10-28',
    sources: [{ id: 's1', outlet: 'Outlet', title: 'Source', reliability: 'fine' }],
    sections: {},
  });
}

export const BRIEFS = new BriefRegistry(
  [
    brief('rare-earths', 'US–Japan rare-earths deal', 'Trump and Takaichi signed a rare-earths deal.'),
    brief('tariffs', 'US tariffs', 'Tariffs keep moving.'),
  ],
  'rare-earths',
);

export function config(digests: unknown[], extra: Record<string, unknown> = {}): Config {
  return configSchema.parse({ bot: { default_brief: 'rare-earths' }, digests, ...extra });
}

let counter = 0;

/** A matched story: defaults make a fresh, relevant, non-backlog story of the default brief. */
export function candidate(
  over: Partial<Omit<DigestCandidate, 'story'>> & { story?: Partial<StoredStory> } = {},
): DigestCandidate {
  counter += 1;
  const storyId = over.storyId ?? over.story?.id ?? `story-${counter}`;
  const firstSeen = over.story?.firstSeen ?? '2025-03-10T06:00:00.000Z';
  const story: StoredStory = {
    id: storyId,
    feedId: 'feed-a',
    title: `Headline ${storyId}`,
    summary: '',
    url: `https://news.example/${storyId}`,
    published: firstSeen,
    author: null,
    lang: 'en',
    firstSeen,
    backlog: false,
    feedIds: ['feed-a'],
    ...over.story,
  };
  return {
    storyId,
    briefId: over.briefId ?? 'rare-earths',
    score: over.score ?? 0.7,
    clusterKey: over.clusterKey ?? `cluster-${storyId}`,
    outlets: over.outlets ?? ['Nikkei'],
    story,
  };
}

/** Matching as digests see it, from a list the test controls. */
export class MemoryCandidates implements DigestCandidateSource {
  constructor(public list: DigestCandidate[] = []) {}
  add(...c: DigestCandidate[]): void {
    this.list.push(...c);
  }
  /** Only stories already seen by the (possibly fake) clock, so a test can preload a week of news. */
  candidates(q: CandidateQuery): DigestCandidate[] {
    const now = new Date().toISOString();
    return this.list.filter(
      (c) =>
        c.story.firstSeen <= now &&
        q.briefIds.includes(c.briefId) &&
        (!q.since || c.story.firstSeen >= q.since) &&
        (q.minScore === undefined || c.score >= q.minScore),
    );
  }
}

export interface PlatformPost {
  channel: string;
  message: Message;
  key: string | undefined;
  messageId: string;
  /** When the platform received it (the fake clock in scheduler tests). */
  at: string;
}

/**
 * A chat platform that outlives the bot process: it keeps what was posted across
 * "restarts", and each adapter() is a fresh process's adapter over it. Failure
 * modes are queued per call: 'fail' (the platform refuses), 'crash-before' (the
 * process dies before the post leaves), 'crash-after' (the platform accepts,
 * then the process dies before hearing back).
 */
export class FakePlatform {
  readonly posts: PlatformPost[] = [];
  private plan: ('ok' | 'fail' | 'crash-before' | 'crash-after')[] = [];
  readonly calls: string[] = [];
  /** How far back each findPosted was asked to look. */
  readonly finds: { key: string; since: string | undefined }[] = [];

  next(...modes: ('ok' | 'fail' | 'crash-before' | 'crash-after')[]): void {
    this.plan.push(...modes);
  }

  adapter(options: { platform?: string; findPosted?: boolean } = {}): ChatAdapter {
    const adapter: ChatAdapter = {
      platform: options.platform ?? 'slack',
      start: async () => undefined,
      stop: async () => undefined,
      postToChannel: async (channel: string, message: Message, opts?: PostOptions): Promise<PostReceipt> => {
        this.calls.push(`post ${opts?.idempotencyKey}`);
        const mode = this.plan.shift() ?? 'ok';
        if (mode === 'fail') throw new Error('platform said 503');
        if (mode === 'crash-before') throw new Error('process died before posting');
        const messageId = `m${this.posts.length + 1}`;
        this.posts.push({ channel, message, key: opts?.idempotencyKey, messageId, at: new Date().toISOString() });
        if (mode === 'crash-after') throw new Error('process died after the platform accepted');
        return { channelId: channel, messageId };
      },
    };
    if (options.findPosted ?? true) {
      adapter.findPosted = async (channel, key, opts) => {
        this.calls.push(`find ${key}`);
        this.finds.push({ key, since: opts?.since?.toISOString() });
        const hit = this.posts.find((p) => p.channel === channel && p.key === key);
        return hit ? { channelId: channel, messageId: hit.messageId } : null;
      };
    }
    return adapter;
  }

  /** Story URLs as they appeared in posts, to count how often each story reached the channel. */
  storyUrls(): string[] {
    return this.posts.flatMap((p) => p.message.sections.flatMap((s) => s.items.map((i) => i.url ?? '')));
  }
}

/** How many times each value occurs. */
export function tally(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/**
 * Fake timers from `start` for every test of the file, and a list of cleanups
 * (stores to close, deliverers to stop) run in reverse after each test.
 */
export function fakeClockEachTest(start: string): (() => Promise<void> | void)[] {
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(start));
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    vi.useRealTimers();
  });
  return cleanups;
}
