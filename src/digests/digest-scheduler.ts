import type { Async } from '../store/async-store.js';
import { createTask, type ScheduledTask } from 'node-cron';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config, DigestConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import { StoryAlreadyDeliveredError, type DigestLedger, type ScheduleCursor } from '../store/digest-ledger.js';
import type { DigestCandidateSource } from './candidate-source.js';
import { cronLogger } from '../log/cron-logger.js';
import { CronSlots } from './cron-slots.js';
import { channelKeyOf, type DigestDeliverer, type FlushResult } from './deliver-digest.js';
import {
  channelOf,
  deliveryId,
  digestDelivery,
  prepareDigest,
  scheduleKeyOf,
  storiesToRecord,
} from './prepare-digest.js';

export interface DigestSchedulerDeps {
  getConfig: () => Config;
  getBriefs: () => BriefRegistry;
  ledger: Async<DigestLedger>;
  candidates: DigestCandidateSource;
  deliverer: DigestDeliverer;
  /** Whether a platform's adapter is running: without one, slots wait (not reserved) for it to come back. */
  hasAdapter: (platform: string) => boolean;
  logger: Logger;
  now?: () => Date;
  /** A digest handled later than this after its slot says it is late (default 2 minutes). */
  lateAfterMs?: number;
}

/** What one run of a schedule did, for logs and tests. */
export interface RunOutcome {
  slot: Date | null;
  /** The delivery reserved for a new slot (null: nothing due, already reserved, or nothing to record). */
  reserved: string | null;
  late: boolean;
  flush: FlushResult;
}

interface Schedule {
  entry: DigestConfig;
  task: ScheduledTask;
  slots: CronSlots;
  guard?: NodeJS.Timeout;
}

const GUARD_MAX_MS = 86_400_000;

/**
 * Runs the config's digest schedules. node-cron fires each one in its time zone;
 * every firing, a missed execution, a start and a reload all go through
 * runDue(), which compares the latest slot with the schedule's cursor in the
 * ledger. So a slot is delivered exactly once, however many timers see it, and
 * a slot that passed while the bot was down is delivered once on start, marked
 * late. A short guard timer covers the slots node-cron skips in a
 * spring-forward gap.
 */
export class DigestScheduler {
  private readonly schedules = new Map<string, Schedule>();
  private readonly now: () => Date;
  private readonly log: Logger;
  private stopped = false;
  /** Settles when the catch-up of the last start or reload is reserved and its first post attempted. */
  caughtUp: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DigestSchedulerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.log = deps.logger;
  }

  /**
   * Schedules every entry and starts catching up on what was missed while the
   * bot was down. Resolves once scheduled: a catch-up riding out a platform
   * outage must not hold up the bot's start. `caughtUp` resolves when it is done.
   */
  async start(): Promise<void> {
    this.sync(this.deps.getConfig().digests);
    this.caughtUp = this.runAll();
  }

  /**
   * Records when each configured schedule was first seen, without starting it.
   * Call before the first poll: a new channel's alerts and first digest reach
   * back to this time, so stories stored before it would never alert.
   */
  async register(): Promise<void> {
    for (const entry of this.deps.getConfig().digests) await this.registerOne(scheduleKeyOf(entry), entry);
  }

  /** The schedule's cursor, made if new; under the channel's lock, as the read and the write must not interleave with a digest run's. */
  private registerOne(key: string, entry: DigestConfig): Promise<ScheduleCursor> {
    return this.deps.deliverer.withChannel(channelOf(entry), () => this.cursor(key, entry));
  }

  /** Applies a reloaded config: new schedules start, removed ones stop, edits to briefs or caps apply at once. */
  async reload(): Promise<void> {
    if (this.stopped) return;
    this.sync(this.deps.getConfig().digests);
    this.caughtUp = this.runAll();
    await this.caughtUp;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const key of [...this.schedules.keys()]) this.remove(key);
  }

  /** The next slot of each schedule (for logs, /deal digest and tests). */
  nextRuns(): { key: string; next: Date | null }[] {
    return [...this.schedules.entries()].map(([key, s]) => ({ key, next: s.slots.nextAfter(this.now()) }));
  }

  /**
   * Delivers the latest slot of a schedule if its cursor has not passed it, then
   * posts whatever is pending for the channel. Safe to call at any time and any
   * number of times.
   */
  async runDue(key: string, firedFor?: Date): Promise<RunOutcome | null> {
    const schedule = this.schedules.get(key);
    if (!schedule || this.stopped) return null;
    const { entry } = schedule;
    const channel = channelOf(entry);
    try {
      const reserved = await this.deps.deliverer.withChannel(channel, async () => {
        const now = this.now();
        // node-cron hands over the slot it fired for; never look past the present.
        const at = firedFor && firedFor > now ? firedFor : now;
        const slot = schedule.slots.latestAtOrBefore(at);
        const cursor = await this.cursor(key, entry);
        const handledUpTo = Date.parse(cursor.lastSlot ?? cursor.registeredAt);
        if (!slot || slot.getTime() <= handledUpTo) return { slot, id: null, late: false, waits: false };
        if (!this.deps.hasAdapter(entry.platform)) {
          this.log.warn({ schedule: key }, `no ${entry.platform} adapter is running; this digest waits until one is`);
          return { slot, id: null, late: false, waits: true };
        }
        const late = now.getTime() - slot.getTime() > (this.deps.lateAfterMs ?? 120_000);
        const id = await this.reserveSlot(key, entry, slot, late, now, cursor.registeredAt);
        await this.deps.ledger.saveCursor({ ...cursor, lastSlot: slot.toISOString() });
        return { slot, id, late, waits: false };
      });
      if (reserved.waits) return { slot: reserved.slot, reserved: null, late: false, flush: { sent: [], pending: [] } };
      // Posting goes on in the channel's queue: a failure's retries hold up neither this run nor other channels.
      const flush = await this.deps.deliverer.post(channel);
      return { slot: reserved.slot, reserved: reserved.id, late: reserved.late, flush };
    } finally {
      this.armGuard(key);
    }
  }

  private async reserveSlot(
    key: string,
    entry: DigestConfig,
    slot: Date,
    late: boolean,
    now: Date,
    registeredAt: string,
  ): Promise<string | null> {
    const { ledger } = this.deps;
    const id = deliveryId('dg', key, slot.toISOString());
    if (await ledger.get(id)) return null; // reserved before a crash: flush posts it
    // A story can only be taken by a concurrent writer between compose and reserve; compose again then.
    for (let tries = 0; tries < 3; tries++) {
      const composed = await prepareDigest({
        entry,
        config: this.deps.getConfig(),
        briefs: this.deps.getBriefs(),
        ledger,
        candidates: this.deps.candidates,
        now,
        slot,
        late,
        registeredAt,
      });
      const delivery = digestDelivery(id, entry, composed, slot, late, now);
      if (!delivery) {
        this.log.info({ schedule: key, slot }, 'quiet day: nothing new, nothing posted');
        return null;
      }
      try {
        const stories = await storiesToRecord(composed);
        if (!(await ledger.reserve(delivery, stories))) {
          // Another replica reserved this slot a moment ago: the flush after this posts (or finds) it.
          this.log.info({ schedule: key, slot, delivery: id }, 'digest already reserved by another replica');
          return id;
        }
        this.log.info(
          {
            schedule: key,
            slot,
            late,
            delivery: id,
            items: composed.shown.length,
            more: composed.more.length,
            stories: stories.length,
          },
          'digest reserved',
        );
        return id;
      } catch (err) {
        if (!(err instanceof StoryAlreadyDeliveredError)) throw err;
      }
    }
    throw new Error(`could not reserve the digest for ${key}: its stories kept being taken`);
  }

  private async cursor(key: string, entry: DigestConfig): Promise<ScheduleCursor> {
    const existing = await this.deps.ledger.getCursor(key);
    if (existing) return existing;
    // A new schedule starts now: nothing before its first slot is "missed".
    const fresh: ScheduleCursor = {
      scheduleKey: key,
      channelKey: channelKeyOf(channelOf(entry)),
      registeredAt: this.now().toISOString(),
      lastSlot: null,
    };
    await this.deps.ledger.saveCursor(fresh);
    return fresh;
  }

  private sync(entries: DigestConfig[]): void {
    const wanted = new Map<string, DigestConfig>();
    for (const entry of entries) {
      const key = scheduleKeyOf(entry);
      if (wanted.has(key))
        this.log.warn({ schedule: key }, 'the same digest schedule is listed twice; using the first');
      else wanted.set(key, entry);
    }
    for (const key of [...this.schedules.keys()]) if (!wanted.has(key)) this.remove(key);
    for (const [key, entry] of wanted) {
      const existing = this.schedules.get(key);
      if (existing) existing.entry = entry;
      else this.add(key, entry);
    }
  }

  private add(key: string, entry: DigestConfig): void {
    this.registerOne(key, entry).catch((err: unknown) =>
      this.log.error({ err, schedule: key }, 'could not record when the schedule was first seen'),
    );
    const task = createTask(entry.cron, (ctx) => this.runDue(key, ctx.date), {
      name: `digest ${key}`,
      timezone: entry.timezone,
      noOverlap: true,
      logger: cronLogger(this.log),
    });
    // A slot node-cron could not run on time (sleep, blocked loop): runDue delivers it once, late.
    task.on('execution:missed', () => void this.runDue(key));
    this.schedules.set(key, { entry, task, slots: new CronSlots(entry.cron, entry.timezone) });
    void task.start();
    this.log.info({ schedule: key, next: this.schedules.get(key)!.slots.nextAfter(this.now()) }, 'digest scheduled');
  }

  private remove(key: string): void {
    const s = this.schedules.get(key);
    if (!s) return;
    clearTimeout(s.guard);
    void s.task.destroy();
    s.slots.dispose();
    this.schedules.delete(key);
  }

  private async runAll(): Promise<void> {
    await Promise.all(
      [...this.schedules.keys()].map((key) =>
        this.runDue(key).catch((err: unknown) => this.log.error({ err, schedule: key }, 'digest run failed')),
      ),
    );
  }

  /** Arms a one-shot timer when our next slot comes before node-cron's (a time in a spring-forward gap). */
  private armGuard(key: string): void {
    const s = this.schedules.get(key);
    if (!s || this.stopped) return;
    clearTimeout(s.guard);
    const now = this.now();
    const ours = s.slots.nextAfter(now);
    const theirs = s.task.getNextRun();
    if (!ours || (theirs && ours.getTime() >= theirs.getTime())) return;
    const delay = Math.min(ours.getTime() - now.getTime(), GUARD_MAX_MS);
    s.guard = setTimeout(
      () => void this.runDue(key).catch((err: unknown) => this.log.error({ err, schedule: key }, 'digest run failed')),
      delay,
    );
  }
}
