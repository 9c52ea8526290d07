import { configSummarySchema, type ConfigIdentity, type ConfigSummary } from '../config/config-fingerprint.js';
import type { Replica } from '../store/coordination.js';

/**
 * Replicas on one database should run one config: two that differ poll other
 * feeds or post other digests, and the leases then decide by chance which one
 * does. On start (and after a reload), a replica compares its config
 * fingerprint with the live others' and logs one line per replica that
 * differs, saying where. Pure: the caller lists the replicas and logs.
 */

/** At most this many names per list in a line; the rest are counted. */
const MAX_NAMES = 5;

/** One warning line per live replica (other than `selfId`) whose config differs from `self`'s; none when all agree. */
export function replicaConfigDifferences(selfId: string, self: ConfigIdentity, replicas: Replica[]): string[] {
  return replicas
    .filter((r) => r.id !== selfId && r.configFingerprint !== self.fingerprint)
    .map((r) => {
      const who = `replica ${r.id} (${r.host}, pid ${r.pid}, started ${r.startedAt})`;
      const theirs = configSummarySchema.safeParse(r.configSummary);
      const where = theirs.success
        ? summaryDifferences(self.summary, theirs.data)
        : ['its summary is not one this dealbot reads (a different dealbot version?)'];
      // Equal summaries with unequal fingerprints: a difference below the summary's hashes (or another version's fingerprint).
      const detail = where.length
        ? where.join('; ')
        : 'no difference in feeds, digests or settings this dealbot can name';
      return `this replica's config differs from ${who}: ${detail}. Replicas sharing a database should run the same config; deploy one config to all of them`;
    });
}

/** Where two summaries differ, as phrases ("feeds only here: a, b"); empty when they agree. */
export function summaryDifferences(here: ConfigSummary, there: ConfigSummary): string[] {
  const out: string[] = [];
  const keyed = (label: string, a: Record<string, string>, b: Record<string, string>) => {
    const onlyHere = Object.keys(a).filter((k) => !(k in b));
    const onlyThere = Object.keys(b).filter((k) => !(k in a));
    const changed = Object.keys(a).filter((k) => k in b && a[k] !== b[k]);
    if (onlyHere.length) out.push(`${label} only here: ${names(onlyHere)}`);
    if (onlyThere.length) out.push(`${label} only there: ${names(onlyThere)}`);
    if (changed.length) out.push(`${label} set differently: ${names(changed)}`);
  };
  keyed('feeds', here.feeds, there.feeds);
  if (here.feedDefaults !== there.feedDefaults) out.push('feed defaults differ');
  keyed('digests', here.digests, there.digests);
  if (here.matching !== there.matching) out.push('matching thresholds differ');
  if (here.bot !== there.bot) out.push('bot command or default brief differs');
  if (here.admins !== there.admins) out.push('admins differ');
  return out;
}

function names(keys: string[]): string {
  const sorted = [...keys].sort();
  const shown = sorted.slice(0, MAX_NAMES).join(', ');
  return sorted.length > MAX_NAMES ? `${shown} and ${sorted.length - MAX_NAMES} more` : shown;
}
