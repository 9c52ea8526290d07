import { gunzipSync } from 'node:zlib';

/**
 * Feeds saved as .gz files, or served gzipped without a Content-Encoding header
 * (so fetch does not decompress them), start with gzip's magic bytes. They are
 * decompressed here with the same size cap as any body, so a small file cannot
 * expand into gigabytes.
 */
export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than the ${formatBytes(maxBytes)} limit once decompressed`);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes, decompressed when gzipped; throws TooLargeError past maxBytes, Error when corrupt. */
export function gunzipIfCompressed(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
      throw new TooLargeError(maxBytes);
    throw new Error(`the gzip data is corrupt (${(err as Error).message})`, { cause: err });
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
