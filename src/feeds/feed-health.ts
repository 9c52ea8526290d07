import type { FeedConfig } from '../config/schema.js';
import type { Message } from '../messages/message.js';
import type { FeedState } from '../store/store.js';

/**
 * The feeds table admins read (`dealbot feeds`, `/deal feeds`): for each feed in
 * the config, whether it works, when it last did, what went wrong in plain words,
 * how many stories it brought, when it is polled next, and where it moved.
 */

export type FeedHealthState = 'ok' | 'new' | 'failing' | 'dead' | 'disabled';

export interface FeedHealthRow {
  feedId: string;
  url: string;
  note: string | null;
  state: FeedHealthState;
  /** "ok", "failing (4 in a row)", "dead", "disabled", "new (not polled yet)". */
  stateText: string;
  lastSuccess: string | null;
  /** The last error in plain words with when it happened, or null. */
  lastError: string | null;
  lastErrorAt: string | null;
  lastStatus: number | null;
  stories: number;
  /** ISO time, or null for dead and disabled feeds (never) and new ones (next tick). */
  nextPoll: string | null;
  movedTo: string | null;
}

export function buildFeedHealth(feeds: FeedConfig[], states: FeedState[]): FeedHealthRow[] {
  const byId = new Map(states.map((s) => [s.feedId, s]));
  return feeds.map((feed) => {
    const saved = byId.get(feed.id);
    // A URL changed in the config starts afresh: the old URL's troubles no longer apply.
    const state = saved && saved.url === feed.url ? saved : null;
    const kind: FeedHealthState = !feed.enabled ? 'disabled' : (state?.status ?? 'new');
    return {
      feedId: feed.id,
      url: feed.url,
      note: feed.note ?? null,
      state: kind,
      stateText:
        kind === 'failing'
          ? `failing (${state!.consecutiveFailures} in a row)`
          : kind === 'new'
            ? 'new (not polled yet)'
            : kind,
      lastSuccess: state?.lastSuccessAt ?? null,
      lastError: state?.lastError ?? null,
      lastErrorAt: state?.lastErrorAt ?? null,
      lastStatus: state?.lastStatus ?? null,
      stories: saved?.storyCount ?? 0,
      nextPoll: kind === 'dead' || kind === 'disabled' ? null : (state?.nextDueAt ?? null),
      movedTo: state?.movedTo ?? null,
    };
  });
}

/** "3m ago", "in 12m", "2h ago", "in 1d". */
export function relativeTime(iso: string | null, now: Date): string {
  if (!iso) return '—';
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)}s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)}m`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)}h`
          : `${Math.round(abs / 86_400_000)}d`;
  if (abs < 1000) return 'now';
  return ms < 0 ? `${text} ago` : `in ${text}`;
}

const problemFirst: Record<FeedHealthState, number> = { dead: 0, failing: 1, new: 2, ok: 3, disabled: 4 };

/** Dead and failing feeds first, so the ones that need an admin are on top. */
export function sortForAdmins(rows: FeedHealthRow[]): FeedHealthRow[] {
  return [...rows].sort((a, b) => problemFirst[a.state] - problemFirst[b.state] || a.feedId.localeCompare(b.feedId));
}

export function summarize(rows: FeedHealthRow[]): string {
  const count = (s: FeedHealthState) => rows.filter((r) => r.state === s).length;
  const parts = [`${rows.length} feed${rows.length === 1 ? '' : 's'}`, `${count('ok')} ok`];
  for (const s of ['failing', 'dead', 'new', 'disabled'] as const) if (count(s)) parts.push(`${count(s)} ${s}`);
  return parts.join(', ');
}

/** A plain-text table for the terminal; errors and moves on their own indented lines. */
export function formatFeedHealthTable(rows: FeedHealthRow[], now: Date): string {
  const header = ['FEED', 'STATE', 'LAST SUCCESS', 'STORIES', 'NEXT POLL'];
  const cells = sortForAdmins(rows).map((r) => [
    r.feedId,
    r.stateText,
    relativeTime(r.lastSuccess, now),
    String(r.stories),
    nextPollText(r, now),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === 3 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  sortForAdmins(rows).forEach((r, i) => {
    out.push(line(cells[i]!));
    if (r.lastError && r.state !== 'ok')
      out.push(`    error: ${r.lastError}${r.lastErrorAt ? ` (${relativeTime(r.lastErrorAt, now)})` : ''}`);
    if (r.movedTo) out.push(`    moved to: ${r.movedTo} — update its url in the config`);
  });
  out.push('', summarize(rows));
  return out.join('\n');
}

function nextPollText(r: FeedHealthRow, now: Date): string {
  if (r.state === 'dead') return 'never (fix its URL)';
  if (r.state === 'disabled') return '—';
  if (!r.nextPoll) return 'next tick';
  return Date.parse(r.nextPoll) <= now.getTime() ? 'due now' : relativeTime(r.nextPoll, now);
}

/** What part of the feeds table a chat answer shows (a page, or only the feeds in trouble) and how to see the rest. */
export interface FeedHealthView {
  /** The rows shown, in order (a page of sortForAdmins' order). */
  shown: FeedHealthRow[];
  title?: string;
  /** Rows left out and what to type for them. */
  more?: { count: number; hint: string };
  /** Said instead of the list when nothing is shown. */
  empty?: string;
}

/** Failing or dead: the feeds an admin has to look at. */
export function needsAttention(row: FeedHealthRow): boolean {
  return row.state === 'failing' || row.state === 'dead';
}

/** The same table as a chat message (one item per feed); the summary line counts every feed, shown or not. */
export function feedHealthMessage(rows: FeedHealthRow[], now: Date, view?: FeedHealthView): Message {
  const shown = view?.shown ?? sortForAdmins(rows);
  const items = shown.map((r) => ({
    label: r.feedId,
    text: [
      r.stateText,
      `last success ${relativeTime(r.lastSuccess, now)}`,
      `${r.stories} stor${r.stories === 1 ? 'y' : 'ies'}`,
      `next poll ${nextPollText(r, now)}`,
    ].join(' · '),
    url: r.url,
    ...(r.lastError && r.state !== 'ok' ? { note: r.lastError } : {}),
    ...(r.movedTo ? { meta: `moved to ${r.movedTo} — update its url in the config` } : r.note ? { meta: r.note } : {}),
  }));
  const bad = rows.some(needsAttention);
  const empty = view?.empty ?? 'No feeds are configured (feeds.list in the config).';
  return {
    title: view?.title ?? 'Feeds',
    intro: summarize(rows),
    sections: [
      items.length
        ? { items, ...(view?.more && view.more.count > 0 ? { more: view.more } : {}) }
        : { items: [{ text: empty }] },
    ],
    footer: 'Dead feeds are polled again once their URL changes in the config.',
    tone: bad ? 'warning' : 'info',
  };
}
