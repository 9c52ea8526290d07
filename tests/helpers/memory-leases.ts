import type { NamedLeases } from '../../src/adapters/adapter-module.js';

/**
 * Named leases in memory, shared by several "replicas" in one test: the table is
 * the database, each `holder(name)` one replica's view of it (the NamedLeases the
 * adapter is given). Expiry is the test's to decide (`expire`), so no test waits
 * on a clock.
 */
export class LeaseTable {
  readonly held = new Map<string, string>();
  /** Every call, in order: "replica-a acquire discord-gateway → true". */
  readonly calls: string[] = [];

  holder(name: string): NamedLeases {
    const log = <T>(what: string, lease: string, result: T): T => {
      this.calls.push(`${name} ${what} ${lease} → ${String(result)}`);
      return result;
    };
    return {
      acquire: async (lease) => {
        const current = this.held.get(lease);
        if (current === undefined) this.held.set(lease, name);
        return log('acquire', lease, (current ?? name) === name);
      },
      renew: async (lease) => log('renew', lease, this.held.get(lease) === name),
      release: async (lease) => {
        if (this.held.get(lease) === name) this.held.delete(lease);
        log('release', lease, undefined);
      },
    };
  }

  /** Another replica takes the lease (or keeps it). */
  takeAs(lease: string, name: string): void {
    this.held.set(lease, name);
  }

  /** The holder's lease ran out (it died or hung): the next acquire gets it. */
  expire(lease: string): void {
    this.held.delete(lease);
  }
}
