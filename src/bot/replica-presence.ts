import type { NamedLeases } from '../adapters/adapter-module.js';
import type { Config } from '../config/schema.js';
import { configIdentity } from '../config/config-fingerprint.js';
import type { Logger } from '../log/logger.js';
import type { Async } from '../store/async-store.js';
import type { LeaseRepo, ReplicaRepo } from '../store/coordination.js';
import type { BackgroundJob } from './background-job.js';
import { replicaConfigDifferences } from './replica-config-diff.js';
import { replicaIdOf, replicaRegistration, type ProcessPlace } from './replica-registration.js';

/**
 * This replica in the shared registry: registered at start (and again after a
 * reload, with the new config's fingerprint), alive by a heartbeat, forgotten on
 * a clean stop. After registering it compares its config with the live others'
 * and logs one warning per replica that differs (replica-config-diff.ts), so an
 * admin who deployed a config to one replica of two sees it in either log.
 */

/** How often a replica says it is alive. */
const HEARTBEAT_MS = 15_000;
/** Silent this long, a replica counts as gone (it missed three beats). */
const LIVE_WITHIN_MS = 3 * HEARTBEAT_MS;
/** Replicas silent this long are removed from the registry (crashed ones never forget themselves). */
const PRUNE_AFTER_MS = 86_400_000;

export interface ReplicaPresenceDeps {
  replicas: Async<ReplicaRepo>;
  getConfig: () => Config;
  logger: Logger;
  /** This process's host, pid and nonce (tests pass their own). */
  place: ProcessPlace;
  heartbeatMs?: number;
}

export interface ReplicaPresence extends BackgroundJob {
  /** This replica's id in the registry, leases and post claims. */
  readonly id: string;
  /** Registers again with the config now (after a reload) and logs how it differs from the others'. */
  configChanged(): Promise<void>;
}

export function createReplicaPresence(deps: ReplicaPresenceDeps): ReplicaPresence {
  const { replicas, logger } = deps;
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const id = replicaIdOf(deps.place);
  let timer: NodeJS.Timeout | undefined;

  const register = async () => {
    const identity = configIdentity(deps.getConfig());
    await replicas.register(replicaRegistration(identity, deps.place));
    const others = await replicas.live(Math.max(LIVE_WITHIN_MS, 3 * heartbeatMs));
    for (const line of replicaConfigDifferences(id, identity, others)) logger.warn({ replica: id }, line);
  };

  const beat = async () => {
    // Forgotten (pruned by another replica after a long pause of this one): register again.
    if (!(await replicas.heartbeat(id))) await register();
    await replicas.prune(PRUNE_AFTER_MS);
  };

  return {
    name: 'replica presence',
    id,
    async start() {
      await register();
      // A failing beat (the database down) is logged once per streak; the timer keeps beating, so
      // the replica is live again at the first beat the database answers.
      let failing = false;
      timer = setInterval(() => {
        beat().then(
          () => (failing = false),
          (err: unknown) => {
            if (!failing) logger.warn({ err, replica: id }, 'replica heartbeat failed; trying again every beat');
            failing = true;
          },
        );
      }, heartbeatMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await replicas
        .forget(id)
        .catch((err: unknown) => logger.warn({ err }, 'could not remove this replica from the registry'));
    },
    configChanged: () =>
      register().catch((err: unknown) => logger.warn({ err }, 'could not register the reloaded config')),
  };
}

/** The store's named leases, held in this replica's name (the adapters' NamedLeases). */
export function leasesOf(leases: Async<LeaseRepo>, holder: string): NamedLeases {
  return {
    acquire: (name, ttlMs) => leases.acquire(name, holder, ttlMs),
    renew: (name, ttlMs) => leases.renew(name, holder, ttlMs),
    release: async (name) => {
      await leases.release(name, holder);
    },
  };
}
