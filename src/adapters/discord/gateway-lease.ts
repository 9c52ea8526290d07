import type { Logger } from '../../log/logger.js';
import type { NamedLeases } from '../adapter-module.js';

/** The store's named leases, as the adapter contract gives them (src/adapters/adapter-module.ts). */
export type GatewayLease = NamedLeases;

/** The lease's name: one gateway connection per bot token across every replica. */
export const GATEWAY_LEASE_NAME = 'discord-gateway';

export interface LeaseTimes {
  /** How long a taken or renewed lease lasts: how soon another replica takes over from a dead holder. */
  ttlMs: number;
  /** How often the holder renews (well inside the ttl) and the others try to take it. */
  everyMs: number;
}

export const DEFAULT_LEASE_TIMES: LeaseTimes = { ttlMs: 30_000, everyMs: 10_000 };

export interface GatewayLeaseKeeperOptions {
  lease: GatewayLease;
  times: LeaseTimes;
  logger: Logger;
  /** Opens the gateway connection (throws when it cannot). */
  connect: () => Promise<void>;
  /** Closes it. */
  disconnect: () => Promise<void>;
}

/**
 * Holds the gateway connection only while holding the lease: tries to take the
 * lease at start and then every `everyMs`; once taken, connects and renews it every
 * `everyMs`; when a renewal fails (taken over, or the store cannot be reached, so
 * another replica may take it soon) it disconnects and goes back to trying. A
 * connection that fails gives the lease back at once, so a healthy replica can have
 * it. stop() disconnects and releases, so a replica shutting down hands over now,
 * not after the ttl.
 */
export class GatewayLeaseKeeper {
  private held = false;
  /** Set while asking for or renewing the lease fails (warned once per streak). */
  private failing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: GatewayLeaseKeeperOptions) {}

  /** This replica holds the lease and its gateway connection is open. */
  get holds(): boolean {
    return this.held;
  }

  /** The first attempt, awaited, so a lone replica is connected when start() returns. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.step();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!this.held) return;
    this.held = false;
    await this.options.disconnect().catch(() => undefined);
    await this.options.lease
      .release(GATEWAY_LEASE_NAME)
      .catch((err: unknown) =>
        this.options.logger.warn({ err }, 'discord: could not release the gateway lease; it expires by itself'),
      );
  }

  private step(): Promise<void> {
    this.running = this.attempt().finally(() => {
      if (!this.stopped) this.timer = setTimeout(() => void this.step(), this.options.times.everyMs);
    });
    return this.running;
  }

  private async attempt(): Promise<void> {
    const { lease, times, logger } = this.options;
    if (this.held) {
      const kept = await lease.renew(GATEWAY_LEASE_NAME, times.ttlMs).then(
        (ok) => this.answered(ok),
        (err: unknown) => this.failed(err, 'discord: could not renew the gateway lease'),
      );
      if (kept || this.stopped) return;
      this.held = false;
      logger.warn('discord: lost the gateway lease (another replica may hold it now); closing the gateway connection');
      await this.options.disconnect().catch(() => undefined);
      return;
    }
    const taken = await lease.acquire(GATEWAY_LEASE_NAME, times.ttlMs).then(
      (ok) => this.answered(ok),
      (err: unknown) => this.failed(err, 'discord: could not ask for the gateway lease; trying again later'),
    );
    if (!taken || this.stopped) {
      if (taken) await lease.release(GATEWAY_LEASE_NAME).catch(() => undefined);
      return;
    }
    try {
      await this.options.connect();
      this.held = true;
      logger.info('discord: took the gateway lease; this replica holds the gateway connection');
    } catch (err) {
      logger.error({ err }, 'discord: took the gateway lease but could not connect; giving it back');
      await this.options.disconnect().catch(() => undefined);
      await lease.release(GATEWAY_LEASE_NAME).catch(() => undefined);
    }
  }

  /** The lease store answered: a failure streak logged before is over. */
  private answered(ok: boolean): boolean {
    if (this.failing) this.options.logger.info('discord: the gateway lease can be asked for again');
    this.failing = false;
    return ok;
  }

  /** One warning per streak of failures (the database is away: every attempt fails alike until it answers). */
  private failed(err: unknown, line: string): false {
    if (!this.failing) this.options.logger.warn({ err }, line);
    this.failing = true;
    return false;
  }
}
