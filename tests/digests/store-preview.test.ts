import { asyncFromSync } from '../../src/store/async-store.js';
import { cpSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDigestCommand, digestCommand } from '../../src/cli/commands/digest.js';
import { startFakeSlack } from '../helpers/fake-slack-api.js';
import { loadBotFiles } from '../../src/bot/load-bot-files.js';
import type { DigestCandidate } from '../../src/digests/candidate-source.js';
import { COVERAGE_STORIES } from '../../src/digests/read-events.js';
import { createDigestCandidateSource } from '../../src/digests/store-candidates.js';
import { outletOf } from '../../src/events/outlet.js';
import { MatchService } from '../../src/bot/match-service.js';
import { openSyncStore } from '../helpers/sync-store.js';
import type { Store } from '../../src/store/store.js';
import type { Story } from '../../src/store/story.js';
import { shippedBriefs } from '../helpers/paths.js';
import { createTestBot, tempProject, type TestBot } from '../helpers/test-bot.js';
import { captureIO } from '../helpers/capture-io.js';

const BRIEF = 'us-japan-rare-earths-2025';
const CONFIG = `
bot:
  default_brief: ${BRIEF}
  briefs_dir: ../briefs
storage:
  database: ../data/dealbot.db
admins:
  terminal:
    users: [local]
digests:
  - platform: terminal
    channel: test
    cron: "30 8 * * *"
    timezone: Asia/Tokyo
    max_items: 1
  - platform: slack
    channel: C0123
    cron: "0 8 * * 1-5"
    timezone: America/New_York
`;

function story(id: string, title: string, over: Partial<Story> = {}): Story {
  return {
    id,
    feedId: 'feed-a',
    title,
    summary: '',
    url: `https://news.example/${id}`,
    published: new Date(Date.now() - 3_600_000).toISOString(),
    author: null,
    lang: 'en',
    ...over,
  };
}

/** A project folder with the shipped briefs, the config above and a database holding today's stories, matched. */
async function project(): Promise<{ configFile: string; dbFile: string }> {
  const dir = tempProject({ 'config/dealbot.yaml': CONFIG });
  cpSync(shippedBriefs, path.join(dir, 'briefs'), { recursive: true });
  const dbFile = path.join(dir, 'data/dealbot.db');
  const store = openSyncStore(dbFile);
  const seenAt = new Date(Date.now() - 1_800_000).toISOString();
  store.stories.upsert(
    [
      story('pact', 'Trump and Takaichi sign rare earths deal in Tokyo'),
      story('pact-nikkei', 'US, Japan sign rare earth deal as Trump meets Takaichi in Tokyo | Nikkei', {
        url: 'https://www.nikkei.com/pact-nikkei',
      }),
      story('china', 'Takaichi and Trump rare-earth pact: China responds'),
      story('minerals', 'Japan and US sign critical minerals pact - Reuters', {
        url: 'https://www.reuters.com/minerals',
      }),
      story('steak', 'Best rare steak recipes'),
    ],
    { seenAt },
  );
  store.stories.upsert(
    [
      story('archive', 'Trump and Takaichi rare earths talks begin', {
        feedId: 'feed-new',
        published: '2025-01-01T00:00:00.000Z',
      }),
    ],
    { seenAt, backlogBefore: '2025-06-01T00:00:00.000Z' },
  );
  const configFile = path.join(dir, 'config/dealbot.yaml');
  const files = await loadBotFiles(configFile, {});
  // What the running bot's poller hook does for new stories: decide, store, cluster.
  await new MatchService({
    store: asyncFromSync(store),
    getBriefs: () => files.briefs,
    getConfig: () => files.loaded.config,
  }).drainUndecided();
  store.close();
  return { configFile, dbFile };
}

const io = captureIO;

/** Stories the ledger has recorded for a channel, pending or sent. */
function recorded(dbFile: string, channelKey: string): string[] {
  const store = openSyncStore(dbFile);
  try {
    return [
      ...store.ledger.deliveredStories(channelKey, ['pact', 'pact-nikkei', 'china', 'minerals', 'steak', 'archive']),
    ].sort();
  } finally {
    store.close();
  }
}

const stores: Store[] = [];
let bot: TestBot | undefined;
afterEach(async () => {
  stores.splice(0).forEach((s) => s.close());
  await bot?.close();
  bot = undefined;
});

describe('candidates from the store', () => {
  it('stands for each stored event of the brief by its lead, with its outlets, dropping off-topic and backlog stories', async () => {
    const { dbFile } = await project();
    const store = openSyncStore(dbFile);
    stores.push(store);
    const source = createDigestCandidateSource(asyncFromSync(store));
    const list = await source.candidates({ briefIds: [BRIEF] });
    // A candidate's story and outlets are read for those shown (loadShown); here, for all.
    for (const c of list) await c.event?.load?.();
    // Two events: the signing (the pact, Nikkei's copy and Reuters' report in other words) and China's response.
    expect(list).toHaveLength(2);
    const signing = list.find((c) => c.storyId !== 'china')!;
    expect(list.find((c) => c.storyId === 'china')!.clusterKey).not.toBe(signing.clusterKey);
    expect(signing.event?.outletCount).toBe(3);
    expect([...signing.outlets].sort()).toEqual(['Nikkei', 'Reuters', 'news.example']);
    // The lead's own outlet comes first: "Outlet · 3h ago · covered by 3 outlets: the others".
    expect(signing.outlets[0]).toBe(outletOf(signing.story));
    // A delivery records every story of the event, the backlog one and the steak recipe never.
    expect((await source.eventStoryIds?.([signing.clusterKey]))?.get(signing.clusterKey)?.sort()).toEqual([
      'minerals',
      'pact',
      'pact-nikkei',
    ]);
    expect(await source.candidates({ briefIds: ['another-brief'] })).toEqual([]);
    // minScore asks for events with a story scoring at least that much.
    expect(await source.candidates({ briefIds: [BRIEF], minScore: 0.85 })).toHaveLength(2);
    expect(await source.candidates({ briefIds: [BRIEF], minScore: 0.99 })).toEqual([]);
  });
});

describe('candidates shown together', () => {
  it('are read in one pass for all, each as read alone: lead, outlets and the stories compared with the brief', async () => {
    const { dbFile } = await project();
    for (const leads of ['chosen', 'not chosen yet'] as const) {
      if (leads === 'not chosen yet') {
        const db = new Database(dbFile);
        db.exec('UPDATE events SET lead_id = NULL, lead_score = NULL');
        db.close();
      }
      const store = openSyncStore(dbFile);
      stores.push(store);
      // What a brief is compared with, as each event's own read gives it: the lead, then its first stories as stored.
      const coverage = (c: DigestCandidate) => {
        const first = store.matches.clusterMembers(c.clusterKey, COVERAGE_STORIES).filter((d) => d.relevant);
        const others = store.stories
          .getMany(first.map((d) => d.storyId))
          .filter((s) => !s.backlog && s.id !== c.storyId)
          .map((s) => s.id);
        return [c.storyId, ...others].slice(0, COVERAGE_STORIES);
      };
      const members = vi.spyOn(store.matches, 'clusterMembers');
      const events = vi.spyOn(store.matches, 'events');
      const stories = vi.spyOn(store.stories, 'getMany');
      const list = await createDigestCandidateSource(asyncFromSync(store)).candidates({ briefIds: [BRIEF] });
      const shown = list.map((c) => c.event!);
      for (const e of shown) await e.load!(shown);
      expect([events.mock.calls.length, stories.mock.calls.length, members.mock.calls.length]).toEqual([1, 1, 0]);
      expect(list).toHaveLength(2);
      for (const c of list) {
        expect(c.event!.stories().map((s) => s.id)).toEqual(coverage(c));
        expect(c.outlets[0]).toBe(outletOf(c.story));
      }
      const signing = list.find((c) => c.storyId !== 'china')!;
      expect([...signing.outlets].sort()).toEqual(['Nikkei', 'Reuters', 'news.example']);
      vi.restoreAllMocks();
    }
  });
});

describe('dealbot digest', () => {
  it('--preview prints the terminal digest and changes nothing', async () => {
    const { configFile, dbFile } = await project();
    const run = io({ DEALBOT_DB: dbFile });
    expect(await digestCommand.run(['--channel', 'test', '--preview', '--config', configFile], run)).toBe(0);
    expect(run.out()).toMatch(/^Digest — /);
    // The pact, Nikkei's copy and Reuters' report of it are one event, whichever leads it.
    expect(run.out()).toMatch(/ · covered by 3 outlets: /);
    expect(run.out()).toContain('… and 1 more — /deal latest');
    expect(run.out()).not.toContain('steak');
    expect(run.out()).not.toContain('talks begin');
    expect(recorded(dbFile, 'terminal:test')).toEqual([]);
    // The same preview again: nothing was recorded, so nothing changed.
    const again = io({ DEALBOT_DB: dbFile });
    await digestCommand.run(['--channel', 'test', '--preview', '--config', configFile], again);
    expect(again.out()).toBe(run.out());
  });

  it('--preview renders for the channel platform: Slack blocks as JSON', async () => {
    const { configFile, dbFile } = await project();
    const run = io({ DEALBOT_DB: dbFile });
    expect(await digestCommand.run(['--channel', 'C0123', '--preview', '--config', configFile], run)).toBe(0);
    const payload = JSON.parse(run.out()) as { blocks?: unknown[]; text?: string };
    expect(Array.isArray(payload.blocks)).toBe(true);
    // One event per line: the signing (under whichever report leads it) and China's response.
    expect(JSON.stringify(payload)).toMatch(/sign rare earth|critical minerals pact/);
    expect(JSON.stringify(payload)).toContain('China responds');
  });

  it('--send-now on a terminal channel prints the digest through the ledger; the next preview has nothing new', async () => {
    const { configFile, dbFile } = await project();
    const run = io({ DEALBOT_DB: dbFile });
    expect(await digestCommand.run(['--channel', 'test', '--send-now', '--config', configFile], run)).toBe(0);
    expect(run.out()).toMatch(/\[#test\] \(mn-[\w-]{20}\)\nDigest — /);
    expect(recorded(dbFile, 'terminal:test')).toEqual(['china', 'minerals', 'pact', 'pact-nikkei']);
    const after = io({ DEALBOT_DB: dbFile });
    await digestCommand.run(['--channel', 'test', '--preview', '--config', configFile], after);
    expect(after.out()).toBe('Nothing would be sent to terminal:test now: no new stories, and quiet_day is "skip".\n');
  });

  it('--send-now for Slack without tokens says so and sends nothing', async () => {
    const { configFile, dbFile } = await project();
    const run = io({ DEALBOT_DB: dbFile });
    expect(await digestCommand.run(['--channel', 'C0123', '--send-now', '--config', configFile], run)).toBe(1);
    expect(run.err()).toMatch(/slack tokens are not set/);
    expect(recorded(dbFile, 'slack:C0123')).toEqual([]);
  });

  it("--send-now that Slack refuses says so with Slack's answer and exits 1; the digest stays pending, and the next try sends it", async () => {
    const { configFile, dbFile } = await project();
    const slack = await startFakeSlack();
    try {
      const env = {
        DEALBOT_DB: dbFile,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: slack.apiUrl,
      };
      // No waiting between tries in a test; the real command retries after 2 s and 10 s.
      const command = createDigestCommand({ sendNowRetry: { delaysMs: [] } });
      slack.queue('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
      const failed = io(env);
      expect(await command.run(['--channel', 'C0123', '--send-now', '--config', configFile], failed)).toBe(1);
      expect(failed.err()).toMatch(
        /^dealbot digest: posting to slack:C0123 failed \(1 attempt\(s\)\)\.\n {2}slack answered: .*not_in_channel/,
      );
      expect(failed.err()).toContain('Nothing is lost: the digest stays pending');
      expect(failed.out()).toBe('');
      expect(recorded(dbFile, 'slack:C0123')).not.toEqual([]);

      const retried = io(env);
      expect(await command.run(['--channel', 'C0123', '--send-now', '--config', configFile], retried)).toBe(0);
      // The pending one goes first, then the new (short) one: both reach the channel, the first once.
      expect(retried.err()).toContain('Also sent 1 earlier delivery(ies) that were pending for slack:C0123.');
      expect(slack.messages).toHaveLength(2);
    } finally {
      await slack.close();
    }
  });

  it('names the configured channels when asked for an unknown one', async () => {
    const { configFile, dbFile } = await project();
    const run = io({ DEALBOT_DB: dbFile });
    expect(await digestCommand.run(['--channel', 'nope', '--preview', '--config', configFile], run)).toBe(2);
    expect(run.err()).toContain('Configured: terminal:test, slack:C0123.');
  });
});

describe('/deal digest', () => {
  it('shows admins a preview of this channel without sending or recording it', async () => {
    const { configFile, dbFile } = await project();
    const store = openSyncStore(dbFile);
    stores.push(store);
    bot = await createTestBot({ configFile, services: { store: asyncFromSync(store) } });
    const reply = await bot.reply('/deal digest');
    expect(reply.visibility).toBe('private');
    expect(reply.message.title).toMatch(/^Preview — Digest — .* \(terminal:test\)$/);
    expect(reply.message.footer).toMatch(/^Not sent\. Next scheduled digest: .* 08:30 \(Asia\/Tokyo\)\.$/);
    expect(store.ledger.pending()).toEqual([]);
    expect(store.ledger.deliveredStories('terminal:test', ['pact', 'minerals'])).toEqual(new Set());
  });

  it('previews another channel by id, and lists the schedules for an unknown one', async () => {
    const { configFile, dbFile } = await project();
    const store = openSyncStore(dbFile);
    stores.push(store);
    bot = await createTestBot({ configFile, services: { store: asyncFromSync(store) } });
    expect((await bot.reply('/deal digest C0123')).message.title).toMatch(/\(slack:C0123\)$/);
    const unknown = await bot.ask('/deal digest nowhere');
    expect(unknown).toContain('No digest is scheduled for "nowhere".');
    expect(unknown).toContain('slack:C0123: "0 8 * * 1-5" America/New_York');
  });

  it('is for admins only', async () => {
    const { configFile, dbFile } = await project();
    const store = openSyncStore(dbFile);
    stores.push(store);
    bot = await createTestBot({ configFile, services: { store: asyncFromSync(store) } });
    const reply = await bot.reply('/deal digest', { user: { id: 'someone-else' } });
    expect(reply.message.title).toBe('/deal digest is for admins');
  });
});
