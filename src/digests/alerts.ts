import type { DigestConfig } from '../config/schema.js';
import type { Message } from '../messages/message.js';
import { StoryAlreadyDeliveredError, type LedgerStory } from '../store/digest-ledger.js';
import { isStoreUnavailable } from '../store/store-unavailable.js';
import { isBacklog } from './candidate-source.js';
import { channelKeyOf } from './deliver-digest.js';
import { briefsOf, channelOf, deliveryId, receivedOf, scheduleKeyOf, withEventStories } from './prepare-digest.js';
import type { DigestSchedulerDeps } from './digest-scheduler.js';
import { digestItem, loadShown, rankEvents, rankedEvents, type RankedEvent } from './rank-events.js';
import { eventTime } from './compose-digest.js';

/** Alerts are for news: a story first seen longer ago than this waits for the digest. */
export const ALERT_FRESH_MS = 6 * 3_600_000;
const HOUR_MS = 3_600_000;

/** Alerts need what the scheduler needs, less the lateness rule (an alert is never late). */
export type AlertDeps = Omit<DigestSchedulerDeps, 'lateAfterMs'>;

export interface AlertOutcome {
  channel: string;
  alerted: string[];
  /** Events over the hourly cap: their stories wait for the next digest. */
  heldForDigest: string[];
}

/**
 * Posts a story at once when it scores at least alerts.min_score for a channel
 * that wants alerts. Alerts go through the same ledger as digests (reserved,
 * posted with an idempotency key, marked sent), so an alerted story is never in
 * the channel's digest too. Past max_per_hour, events are held for the digest.
 */
export class AlertDispatcher {
  private readonly now: () => Date;

  constructor(private readonly deps: AlertDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Checks every channel with alerts on; called every minute and when new matches
   * land. Channels are checked side by side and each posts through its own queue, so
   * one channel's failing platform never delays another's alerts.
   */
  async sweep(): Promise<AlertOutcome[]> {
    const entries = this.deps.getConfig().digests.filter((e) => e.alerts.enabled && this.deps.hasAdapter(e.platform));
    const outcomes = await Promise.all(
      entries.map((entry) =>
        this.check(entry).catch((err: unknown) => {
          // The database down: the poller logs the outage once; the next sweep (a minute) tries again.
          if (!isStoreUnavailable(err))
            this.deps.logger.error({ err, channel: channelKeyOf(channelOf(entry)) }, 'alert check failed');
          return null;
        }),
      ),
    );
    return outcomes.filter((o): o is AlertOutcome => o !== null);
  }

  /** Reserves the alerts one channel is due, then posts them (a failure is retried in the background). */
  async check(entry: DigestConfig): Promise<AlertOutcome> {
    const channel = channelOf(entry);
    const outcome = await this.reserve(entry);
    await this.deps.deliverer.post(channel);
    return outcome;
  }

  private reserve(entry: DigestConfig): Promise<AlertOutcome> {
    const channel = channelOf(entry);
    const channelKey = channelKeyOf(channel);
    return this.deps.deliverer.withChannel(channel, async () => {
      const now = this.now();
      const outcome: AlertOutcome = { channel: channelKey, alerted: [], heldForDigest: [] };
      const since = await this.sinceOf(entry, now);
      for (const cluster of await this.dueClusters(entry, now, since)) {
        const used = await this.deps.ledger.countAlertsSince(
          channelKey,
          new Date(now.getTime() - HOUR_MS).toISOString(),
        );
        const stories: LedgerStory[] = await withEventStories(
          cluster.members.map((m) => ({
            storyId: m.storyId,
            briefId: m.briefId,
            clusterKey: cluster.key,
            role: 'shown',
          })),
          this.deps.candidates,
          this.deps.ledger,
          channelKey,
          since,
        );
        if (used >= entry.alerts.max_per_hour) {
          await this.deps.ledger.holdForDigest(
            channelKey,
            stories.map((s) => s.storyId),
            now.toISOString(),
          );
          outcome.heldForDigest.push(cluster.key);
          continue;
        }
        const id = deliveryId('al', channelKey, cluster.key);
        try {
          await loadShown([cluster]);
          const message = this.alertMessage(cluster, now);
          const fresh = await this.deps.ledger.reserve(
            {
              id,
              channelKey,
              kind: 'alert',
              slot: null,
              late: false,
              message,
              status: 'pending',
              createdAt: now.toISOString(),
            },
            stories,
          );
          if (fresh) outcome.alerted.push(cluster.key);
        } catch (err) {
          if (!(err instanceof StoryAlreadyDeliveredError)) throw err;
        }
      }
      if (outcome.alerted.length || outcome.heldForDigest.length) this.deps.logger.info(outcome, 'alerts');
      return outcome;
    });
  }

  /** Fresh, high-scoring events the channel has not received, best first. */
  private async dueClusters(entry: DigestConfig, now: Date, since: string): Promise<RankedEvent[]> {
    const { ledger } = this.deps;
    const channelKey = channelKeyOf(channelOf(entry));
    const briefIds = briefsOf(entry, this.deps.getConfig(), this.deps.getBriefs()).map((b) => b.id);
    const all = (await this.deps.candidates.candidates({ briefIds, since, minScore: entry.alerts.min_score })).filter(
      (c) => !isBacklog(c) && c.score >= entry.alerts.min_score,
    );
    const [{ delivered, receivedClusters }, held] = await Promise.all([
      receivedOf(ledger, channelKey, all),
      ledger.heldForDigest(
        channelKey,
        all.map((c) => c.storyId),
      ),
    ]);
    const open = all.filter((c) => !delivered.has(c.storyId) && !held.has(c.storyId));
    const clusters = rankedEvents(open, briefIds, now);
    return rankEvents(clusters.filter((c) => !receivedClusters.has(c.key)));
  }

  /** Alerts are for stories first seen lately, and never older than the channel's schedule. */
  private async sinceOf(entry: DigestConfig, now: Date): Promise<string> {
    const cursor = await this.deps.ledger.getCursor(scheduleKeyOf(entry));
    return new Date(
      Math.max(now.getTime() - ALERT_FRESH_MS, cursor ? Date.parse(cursor.registeredAt) : -Infinity),
    ).toISOString();
  }

  private alertMessage(cluster: RankedEvent, now: Date): Message {
    const config = this.deps.getConfig();
    const brief = this.deps.getBriefs().get(cluster.briefId);
    const hint =
      cluster.briefId === config.bot.default_brief
        ? `/${config.bot.command} latest`
        : `/${config.bot.command} latest ${cluster.briefId}`;
    return {
      title: `Alert — ${brief?.title ?? cluster.briefId}`,
      sections: [{ items: [{ ...digestItem(cluster, now, brief), time: eventTime(cluster) }] }],
      footer: `More in the next digest and with ${hint}.`,
    };
  }
}
