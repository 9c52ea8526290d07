import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ConfigIdentity } from '../config/config-fingerprint.js';
import type { ReplicaRegistration } from '../store/coordination.js';

/** Where this process runs: the parts of its replica id (passed in tests). */
export interface ProcessPlace {
  host: string;
  pid: number;
  /** Tells apart two processes that reuse a host and pid (containers all run as pid 1). */
  nonce: string;
}

export function thisProcess(): ProcessPlace {
  return { host: hostname(), pid: process.pid, nonce: randomBytes(3).toString('hex') };
}

/**
 * What this replica registers: an id unique to this run ("host:pid:nonce", which
 * admins can read in logs and lease holders), and its config's fingerprint and
 * summary (src/config/config-fingerprint.ts).
 */
/** This run's replica id, "host:pid:nonce": the holder of the leases and claims it takes. */
export function replicaIdOf(place: ProcessPlace): string {
  return `${place.host}:${place.pid}:${place.nonce}`;
}

export function replicaRegistration(config: ConfigIdentity, place: ProcessPlace = thisProcess()): ReplicaRegistration {
  return {
    id: replicaIdOf(place),
    host: place.host,
    pid: place.pid,
    configFingerprint: config.fingerprint,
    configSummary: config.summary,
  };
}
