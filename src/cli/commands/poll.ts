import { parseArgs } from 'node:util';
import { Poller, type PollOutcome } from '../../feeds/poller.js';
import { createLogger, silentLogger } from '../../log/logger.js';
import { MatchService } from '../../bot/match-service.js';
import { openStore, withoutPassword } from '../../store/open-store.js';
import type { CliCommand } from '../cli-command.js';
import { loadFilesOrReport } from '../load-or-report.js';
import { onStopSignals } from '../stop-signals.js';

/** Polls every enabled feed once and exits: for cron jobs, first runs, and checking a new feed. */
export const pollCommand: CliCommand = {
  name: 'poll',
  summary:
    'poll every enabled feed once (--once), print a line per feed; non-zero exit if any failed; a failing feed waits out its backoff unless --force',
  usage: 'dealbot poll --once [--force] [--config FILE] [--feed ID]…',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: {
        once: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        config: { type: 'string' },
        feed: { type: 'string', multiple: true },
      },
    });
    if (!values.once) {
      io.stderr.write(
        'dealbot poll: only --once is supported here; the running bot (npm start) polls on its own schedule.\n',
      );
      return 2;
    }
    const files = await loadFilesOrReport(values.config, io);
    if (!files) return 1;
    const { loaded, briefs } = files;
    const { feeds } = loaded.config;
    const wanted = values.feed ?? [];
    const unknown = wanted.filter((id) => !feeds.list.some((f) => f.id === id));
    if (unknown.length) {
      io.stderr.write(`dealbot poll: no feed with id ${unknown.map((u) => `"${u}"`).join(', ')} in ${loaded.file}.\n`);
      return 2;
    }
    const chosen = feeds.list.filter((f) => f.enabled && (!wanted.length || wanted.includes(f.id)));
    if (!chosen.length) {
      io.stdout.write('No enabled feeds to poll (feeds.list in the config).\n');
      return 0;
    }

    const store = await openStore(loaded.databasePath, { onBusy: (m) => io.stderr.write(`dealbot poll: ${m}\n`) });
    const logger = io.env.LOG_LEVEL ? createLogger({ level: io.env.LOG_LEVEL }) : silentLogger();
    const matching = new MatchService({ store, getBriefs: () => briefs, getConfig: () => loaded.config });
    const poller = new Poller({
      store,
      getFeeds: () => feeds,
      logger,
      filter: matching.filter,
      onNewStories: matching.onNewStories,
      // Beside replicas (PostgreSQL): each feed leased first, so one a replica is polling now is not fetched twice.
      leases: store.feedLeases,
      leaseTtlMs: loaded.config.storage.lease,
    });
    const width = Math.max(...chosen.map((f) => f.id.length));
    const started = Date.now();
    let outcomes: PollOutcome[];
    // SIGTERM/SIGINT: fetches and parses under way are aborted, storing and deciding stop between
    // slices (what was stored waits in the undecided queue), and the database is closed below.
    let stoppedBy: string | null = null;
    const release = onStopSignals(
      async (signal) => {
        stoppedBy = signal;
        await Promise.allSettled([poller.stop(), matching.stop()]);
      },
      (line) => io.stderr.write(`dealbot poll: ${line}\n`),
    );
    try {
      io.stdout.write(
        `Polling ${chosen.length} feed${chosen.length === 1 ? '' : 's'} (database ${withoutPassword(loaded.databasePath)})\n`,
      );
      outcomes = await poller.pollOnce(
        chosen,
        (o) =>
          io.stdout.write(`${progressLine(o, width)}
`),
        {
          honourBackoff: !values.force,
        },
      );
      // Stories an earlier run stored but was stopped before deciding (killed, crashed): decide them now.
      const leftover = await matching.drainUndecided();
      if (leftover)
        io.stdout.write(`Decided ${leftover} stor${leftover === 1 ? 'y' : 'ies'} stored earlier without a decision.
`);
    } finally {
      await Promise.allSettled([poller.stop(), matching.stop()]);
      await store.close();
      release();
    }
    io.stdout.write(`${summaryLine(outcomes, Date.now() - started)}\n`);
    if (stoppedBy) {
      const left = chosen.length - outcomes.length;
      io.stdout.write(
        `Stopped by ${stoppedBy}${left ? `: ${left} feed${left === 1 ? '' : 's'} not polled` : ''}; stories stored without a decision are decided by the next run.\n`,
      );
    }
    return outcomes.some((o) => o.kind === 'error' || o.kind === 'dead') ? 1 : 0;
  },
};

/**
 * "reuters-asia  200    3 new, 1 updated  (0.4 s)" — one line per feed as it finishes; the time
 * covers fetching, parsing, storing and deciding, and is broken down when it is a second or more.
 */
export function progressLine(o: PollOutcome, width: number): string {
  if (o.kind === 'waiting' && o.waitingFor === 'another replica')
    return `  ${o.feedId.padEnd(width)}  ${'busy'.padEnd(5)}  a running replica is polling it now; its stories reach the same database`;
  if (o.kind === 'waiting') {
    const until = o.nextDueAt ? `${o.nextDueAt.slice(0, 19).replace('T', ' ')} UTC` : 'later';
    return `  ${o.feedId.padEnd(width)}  ${'wait'.padEnd(5)}  not due until ${until} (${o.waitingFor ?? 'backoff'}); --force polls it anyway`;
  }
  const status = o.kind === 'dead' ? 'dead' : o.kind === 'error' ? 'error' : String(o.status ?? '');
  let detail: string;
  if (o.kind === 'ok') {
    const parts = [`${o.inserted} new`, `${o.updated} updated`];
    if (o.backlog) parts.push(`${o.backlog} of the new as backlog`);
    if (o.filtered) parts.push(`${o.filtered} filtered out`);
    detail = parts.join(', ');
  } else if (o.kind === 'not-modified') detail = 'not modified';
  else if (o.kind === 'dead') detail = `skipped: ${o.error ?? 'the feed is dead'}`;
  else detail = o.error ?? 'failed';
  const moved = o.movedTo ? `  [moved to ${o.movedTo}: update the config]` : '';
  const time = o.kind === 'dead' ? '' : `  (${(o.durationMs / 1000).toFixed(1)} s${timeSpent(o)})`;
  return `  ${o.feedId.padEnd(width)}  ${status.padEnd(5)}  ${detail}${time}${moved}`;
}

/** ": fetch 0.3, parse 1.2, store 2.4, match 3.2" for a poll that took a second or more: where its time went. */
function timeSpent(o: PollOutcome): string {
  if (o.durationMs < 1000) return '';
  const t = o.timings;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return `: fetch ${s(t.fetch)}, parse ${s(t.parse)}, store ${s(t.store)}, match ${s(t.match)}`;
}

export function summaryLine(outcomes: PollOutcome[], ms: number): string {
  const count = (k: PollOutcome['kind']) => outcomes.filter((o) => o.kind === k).length;
  const sum = (f: (o: PollOutcome) => number) => outcomes.reduce((n, o) => n + f(o), 0);
  const failed = count('error') + count('dead');
  const busy = outcomes.filter((o) => o.waitingFor === 'another replica').length;
  const waiting = count('waiting') - busy;
  const polled = outcomes.length - waiting - busy;
  return (
    `Polled ${polled} feed${polled === 1 ? '' : 's'} in ${(ms / 1000).toFixed(1)} s: ` +
    `${count('ok')} changed, ${count('not-modified')} not modified, ${failed} failed${count('dead') ? ` (${count('dead')} dead)` : ''}; ` +
    `${sum((o) => o.inserted)} new stor${sum((o) => o.inserted) === 1 ? 'y' : 'ies'}, ${sum((o) => o.updated)} updated.` +
    (waiting
      ? ` ${waiting} failing feed${waiting === 1 ? '' : 's'} not asked before ${waiting === 1 ? 'its' : 'their'} next try (--force polls anyway).`
      : '') +
    (busy ? ` ${busy} feed${busy === 1 ? '' : 's'} left to the replica polling ${busy === 1 ? 'it' : 'them'} now.` : '')
  );
}
