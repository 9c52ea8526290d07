import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/**
 * Discord's side of HTTP interactions for tests: an Ed25519 key pair like an
 * application's (the public key as the 64 hex characters the portal shows), and
 * requests signed as Discord signs them (X-Signature-Ed25519 over
 * X-Signature-Timestamp + the raw body), sent over real HTTP.
 */
export interface InteractionKeys {
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function interactionKeys(): InteractionKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { publicKeyHex: Buffer.from(x, 'base64url').toString('hex'), privateKey };
}

export interface SendOptions {
  /** Seconds since the epoch to stamp (default: now). */
  timestamp?: number;
  /** Sign with this key instead (a wrong one). */
  signWith?: KeyObject;
  /** Leave the signature headers out. */
  unsigned?: boolean;
  /** Sign this body but send `body` (a tampered request). */
  signedBody?: string;
  path?: string;
}

export interface InteractionAnswer {
  status: number;
  /** The parsed JSON answer, or the text when it is not JSON. */
  body: unknown;
}

/** POSTs an interaction to http://host:port/discord/interactions, signed unless told otherwise. */
export async function sendInteraction(
  base: string,
  keys: InteractionKeys,
  payload: object | string,
  options: SendOptions = {},
): Promise<InteractionAnswer> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = sign(
    null,
    Buffer.from(timestamp + (options.signedBody ?? body)),
    options.signWith ?? keys.privateKey,
  ).toString('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!options.unsigned) {
    headers['x-signature-ed25519'] = signature;
    headers['x-signature-timestamp'] = timestamp;
  }
  const response = await fetch(`${base}${options.path ?? '/discord/interactions'}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
