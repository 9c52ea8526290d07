import { z } from 'zod';

/**
 * Durations and sizes as admins write them ("15m", "20s", "3d", "5MB"): readable
 * in YAML, turned into milliseconds and bytes at the edge.
 */

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * DURATION_MS[m[2]!]!);
}

/** A duration such as "90s", "15m", "6h" or "3d", in milliseconds once parsed. */
export const duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, {
    message: 'expected a duration such as "30s", "15m", "6h" or "3d"',
  })
  .transform((s) => parseDuration(s)!);

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)$/i;
const SIZE_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

export function parseSize(text: string): number | null {
  const m = SIZE.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * SIZE_BYTES[m[2]!.toUpperCase()]!);
}

/** A size such as "512KB" or "5MB", in bytes once parsed. */
export const size = z
  .string()
  .refine((s) => parseSize(s) !== null, { message: 'expected a size such as "512KB" or "5MB"' })
  .transform((s) => parseSize(s)!);
