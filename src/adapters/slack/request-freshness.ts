import type { RequestListener } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../log/logger.js';

/**
 * Slack HTTP mode: a request stamped more than five minutes from now, either way, is
 * refused with 401 before Bolt sees it. Slack advises this to stop replays; Bolt
 * checks only the past side, so a captured request re-signed for the future (or a
 * clock far behind) would pass it.
 */

/** Slack's advice: five minutes either side of now. */
export const MAX_SKEW_SECONDS = 5 * 60;

/** Seconds from now to the X-Slack-Request-Timestamp header (positive: in the future); undefined when absent or not a number. */
export function requestSkewSeconds(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value) - Math.floor(nowMs / 1000);
}

/** Puts the freshness check in front of the receiver's own request handling (signature and all). */
export function refuseStaleRequests(receiver: HTTPReceiver, logger: Logger, now: () => number = Date.now): void {
  const inner: RequestListener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const skew = requestSkewSeconds(req.headers['x-slack-request-timestamp'], now());
    // No stamp or not a number: Bolt's signature check refuses it and says so.
    if (skew === undefined || Math.abs(skew) <= MAX_SKEW_SECONDS) {
      inner(req, res);
      return;
    }
    const minutes = Math.round(Math.abs(skew) / 60);
    logger.warn(
      { path: req.url, skewSeconds: skew },
      `refused a Slack request stamped ${minutes} min in the ${skew > 0 ? 'future' : 'past'} (allowed: 5 min either way): ` +
        "a replayed request, or this machine's clock is wrong (check NTP)",
    );
    req.resume();
    res.writeHead(401).end();
  };
}
