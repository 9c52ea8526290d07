import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from './paths.js';

/**
 * Slash-command requests exactly as Slack sends them: the documented body's fields in
 * Slack's order, form-encoded, signed with HMAC-SHA256 over `v0:{timestamp}:{body}`.
 */

const fixture = readFileSync(path.join(repoRoot, 'tests/fixtures/slack/slash-command-body.txt'), 'utf8');

/** The fixture body with some fields replaced (a field set to undefined is left out). */
export function slashCommandBody(overrides: Record<string, string | undefined>): string {
  const params = new URLSearchParams(fixture);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) params.delete(key);
    else params.set(key, value);
  }
  return params.toString();
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Overrides the computed signature (to forge one). */
  signature?: string;
}

export interface AckResult {
  status: number;
  body: string;
  /** Time from sending the request to the whole ack response. */
  ms: number;
}

/** POSTs a signed slash command to a Bolt receiver and returns its ack. */
export async function postSlashCommand(url: string, body: string, options: SignedPostOptions): Promise<AckResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const start = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(options.secret, timestamp, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - start };
}
