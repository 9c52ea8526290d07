import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Discord signs every request to an Interactions Endpoint URL with the application's
 * Ed25519 key: X-Signature-Ed25519 (hex) over X-Signature-Timestamp followed by the
 * raw body. node:crypto verifies Ed25519 itself; the public key comes from the
 * developer portal as 64 hex characters (the raw 32-byte key).
 */

/** Five minutes either side of now, as for Slack's requests: older (or future) stamps are replays or a wrong clock. */
export const MAX_SKEW_SECONDS = 5 * 60;

/** The raw Ed25519 public key (64 hex characters) as a KeyObject; throws on anything else. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('expected 64 hex characters (the raw Ed25519 public key)');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
}

export type SignatureVerdict = { ok: true } | { ok: false; why: string };

/** Checks the two headers against the key and the raw body, and the stamp against now. */
export function checkSignature(
  key: KeyObject,
  headers: { signature: string | undefined; timestamp: string | undefined },
  rawBody: Buffer,
  nowMs: number,
): SignatureVerdict {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, why: 'no X-Signature-Ed25519 or X-Signature-Timestamp header' };
  if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, why: 'X-Signature-Ed25519 is not 64 bytes of hex' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, why: 'X-Signature-Timestamp is not a number of seconds' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]);
  if (!verify(null, signed, key, Buffer.from(signature, 'hex')))
    return { ok: false, why: 'the signature does not match (is DISCORD_PUBLIC_KEY the key of this application?)' };
  // After the signature: a genuine request stamped far off is logged as a clock problem, not as a bad signature.
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (Math.abs(skew) > MAX_SKEW_SECONDS) {
    const minutes = Math.round(Math.abs(skew) / 60);
    return {
      ok: false,
      why: `stamped ${minutes} min in the ${skew > 0 ? 'future' : 'past'} (allowed: 5 min either way): a replayed request, or this machine's clock is wrong (check NTP)`,
    };
  }
  return { ok: true };
}
