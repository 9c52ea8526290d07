import type { Async } from '../store/async-store.js';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config, DigestConfig } from '../config/schema.js';
import type { DigestLedger } from '../store/digest-ledger.js';
import type { DigestCandidateSource } from './candidate-source.js';
import type { ComposedDigest } from './compose-digest.js';
import type { DigestDeliverer, FlushResult } from './deliver-digest.js';
import { deliveryId, digestDelivery, prepareDigest, scheduleKeyOf, storiesToRecord } from './prepare-digest.js';

/** What previews and manual sends read. */
export interface DigestReadDeps {
  config: Config;
  briefs: BriefRegistry;
  ledger: Async<DigestLedger>;
  candidates: DigestCandidateSource;
}

/** The digest entries for a channel id (several when it has more than one schedule), optionally on one platform. */
export function digestEntriesFor(config: Config, channel: string, platform?: string): DigestConfig[] {
  return config.digests.filter((d) => d.channel === channel && (!platform || d.platform === platform));
}

/** What the channel would be sent now. Reads only: the ledger and schedules are untouched. */
export async function previewDigest(deps: DigestReadDeps, entry: DigestConfig, now: Date): Promise<ComposedDigest> {
  const cursor = await deps.ledger.getCursor(scheduleKeyOf(entry));
  return prepareDigest({ ...deps, entry, now, slot: now, late: false, registeredAt: cursor?.registeredAt });
}

export interface SendNowResult {
  deliveryId: string;
  composed: ComposedDigest;
  flush: FlushResult;
}

/**
 * Sends a digest now through the ledger (an admin's --send-now): the stories it
 * carries are recorded like a scheduled digest's, so the next scheduled one
 * does not repeat them. With nothing new it sends the short line, since an
 * admin asked for a post; the schedule's cursor is not moved.
 */
export async function sendDigestNow(
  deps: DigestReadDeps & { deliverer: DigestDeliverer },
  entry: DigestConfig,
  now: Date,
): Promise<SendNowResult> {
  const channel = { platform: entry.platform, channel: entry.channel };
  const { id, composed } = await deps.deliverer.withChannel(channel, async () => {
    const cursor = await deps.ledger.getCursor(scheduleKeyOf(entry));
    const forced = { ...entry, quiet_day: 'short-line' as const };
    const composed = await prepareDigest({
      ...deps,
      entry: forced,
      now,
      slot: now,
      late: false,
      registeredAt: cursor?.registeredAt,
    });
    const id = deliveryId('mn', scheduleKeyOf(entry), now.toISOString());
    const delivery = digestDelivery(id, entry, composed, null, false, now);
    if (delivery) await deps.ledger.reserve(delivery, await storiesToRecord(composed));
    return { id, composed };
  });
  // The whole retry schedule: a person is waiting for the answer.
  const flush = await deps.deliverer.flush(channel);
  return { deliveryId: id, composed, flush };
}
