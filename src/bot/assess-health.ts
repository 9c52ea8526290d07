import type { Config } from '../config/schema.js';
import type { FeedState } from '../store/store.js';
import type { AdapterStatus, BotStatus } from './bot-status.js';
import { HEARTBEAT_INTERVAL_MS } from './heartbeat.js';

/**
 * Is the bot healthy? One verdict for `dealbot health` (Docker's HEALTHCHECK) and
 * GET /healthz, from what the bot wrote (its status file) and what the database
 * holds (feed states). Pure: the caller reads the file and the store.
 */

/** Four missed beats: the bot is stopped or stuck (a blocked event loop writes none). */
export const HEARTBEAT_STALE_MS = 4 * HEARTBEAT_INTERVAL_MS;
/** An adapter down for less than this is reconnecting (Slack recycles sockets), not broken. */
export const ADAPTER_GRACE_MS = 2 * 60_000;
/** No feed polled successfully for this many times the longest poll_interval: polling is broken. */
export const POLL_STALE_INTERVALS = 3;

export interface HealthInput {
  /** What the bot last wrote; null when it never ran with this database. */
  status: BotStatus | null;
  /** Where the status lives, for the messages. */
  statusFile: string;
  feeds: Config['feeds'];
  feedStates: readonly FeedState[];
  now: Date;
}

export interface HealthReport {
  healthy: boolean;
  /** One line: "healthy: …" or "unhealthy: <why>; <what to do>". */
  line: string;
  bot: { pid: number; startedAt: string; heartbeatAt: string; stoppedAt: string | null } | null;
  adapters: AdapterStatus[];
  /** The newest successful poll among enabled feeds. */
  lastPoll: { feedId: string; at: string } | null;
}

export function assessHealth(input: HealthInput): HealthReport {
  const { status, now } = input;
  const lastPoll = newestSuccess(input.feeds, input.feedStates);
  const report = (healthy: boolean, line: string): HealthReport => ({
    healthy,
    line: `${healthy ? 'healthy' : 'unhealthy'}: ${line}`,
    bot: status && {
      pid: status.pid,
      startedAt: status.startedAt,
      heartbeatAt: status.heartbeatAt,
      stoppedAt: status.stoppedAt,
    },
    adapters: status?.adapters ?? [],
    lastPoll,
  });
  const ago = (iso: string) => formatSpan(now.getTime() - Date.parse(iso));

  if (!status) {
    return report(
      false,
      `no bot has run with this database (${input.statusFile} is missing); start it with npm start or npx dealbot run`,
    );
  }
  if (status.stoppedAt) {
    return report(false, `the bot (pid ${status.pid}) stopped ${ago(status.stoppedAt)} ago, at ${status.stoppedAt}`);
  }
  if (now.getTime() - Date.parse(status.heartbeatAt) > HEARTBEAT_STALE_MS) {
    return report(
      false,
      `no heartbeat from the bot (pid ${status.pid}) for ${ago(status.heartbeatAt)} (${input.statusFile}); it is stuck or was killed: check its log`,
    );
  }
  const down = status.adapters.filter((a) => !a.connected && now.getTime() - Date.parse(a.since) > ADAPTER_GRACE_MS);
  if (down.length) {
    const first = down[0]!;
    return report(
      false,
      `${listWords(down.map((a) => a.platform))} disconnected for ${ago(first.since)} (since ${first.since}); check the bot's log and its network`,
    );
  }

  const enabled = input.feeds.list.filter((f) => f.enabled);
  let polls: string;
  if (enabled.length === 0) {
    polls = 'no feeds enabled';
  } else {
    const longest = Math.max(...enabled.map((f) => f.poll_interval ?? input.feeds.defaults.poll_interval));
    const limit = POLL_STALE_INTERVALS * longest;
    // A bot that has just started gets the same time as one whose last poll worked.
    const since = Math.max(lastPoll ? Date.parse(lastPoll.at) : 0, Date.parse(status.startedAt));
    if (now.getTime() - since > limit) {
      const last = lastPoll
        ? `last success ${lastPoll.at} from feed "${lastPoll.feedId}"`
        : 'none since the bot started';
      return report(
        false,
        `no feed polled successfully for ${formatSpan(now.getTime() - since)} (${last}; limit ${formatSpan(limit)}, ${POLL_STALE_INTERVALS}× the longest poll_interval); npx dealbot feeds shows each feed's last error`,
      );
    }
    polls = lastPoll
      ? `last successful poll ${ago(lastPoll.at)} ago (feed "${lastPoll.feedId}")`
      : `no successful poll yet (${enabled.length} feed${enabled.length === 1 ? '' : 's'} enabled)`;
  }
  const up = status.adapters.filter((a) => a.connected).map((a) => a.platform);
  const reconnecting = status.adapters.filter((a) => !a.connected).map((a) => a.platform);
  const adapters = [
    ...(up.length ? [`${listWords(up)} connected`] : []),
    ...(reconnecting.length ? [`${listWords(reconnecting)} reconnecting`] : []),
  ];
  return report(true, [`bot up ${ago(status.startedAt)} (pid ${status.pid})`, ...adapters, polls].join(', '));
}

function newestSuccess(feeds: Config['feeds'], states: readonly FeedState[]): HealthReport['lastPoll'] {
  const enabled = new Set(feeds.list.filter((f) => f.enabled).map((f) => f.id));
  let newest: HealthReport['lastPoll'] = null;
  for (const state of states) {
    if (!enabled.has(state.feedId) || !state.lastSuccessAt) continue;
    if (!newest || Date.parse(state.lastSuccessAt) > Date.parse(newest.at))
      newest = { feedId: state.feedId, at: state.lastSuccessAt };
  }
  return newest;
}

/** "40s", "12m", "3h 5m", "2d 4h": how long, in the two largest units that matter. */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

function listWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
