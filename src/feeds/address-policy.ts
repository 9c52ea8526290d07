import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Which addresses a feed URL may point at. A feed URL is typed by an admin but
 * followed by the bot, redirects included, so without this check a feed (or a
 * redirect it answers with) could make the bot read the cloud metadata service,
 * the router's admin page or a database on localhost. Intranet feeds stay
 * possible with feeds.defaults.allow_private_network.
 *
 * Known limit: the host is resolved here and again by fetch, so a DNS answer that
 * changes in between (DNS rebinding) is not caught; pinning the address needs a
 * custom undici dispatcher, which Node 20's built-in fetch does not expose.
 */

/** Why an address is not public ("loopback", "private", …), or null when it is. */
export function nonPublicReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return ipv4Reason(parseIpv4(address)!);
  if (family === 6) return ipv6Reason(address);
  return 'not an IP address';
}

function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

const V4_RANGES: [base: string, bits: number, reason: string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved (IETF protocol assignments)'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved (benchmarking)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V4_TABLE = V4_RANGES.map(([base, bits, reason]) => ({ base: parseIpv4(base)!, size: 2 ** (32 - bits), reason }));

function ipv4Reason(n: number): string | null {
  for (const r of V4_TABLE) if (n >= r.base && n < r.base + r.size) return r.reason;
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function ipv6Groups(text: string): number[] | null {
  let s = text
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
    .toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (v4 === null) return null;
    s = s.slice(0, -dotted[1]!.length) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

function ipv6Reason(text: string): string | null {
  const g = ipv6Groups(text);
  if (!g) return 'unparseable IPv6 address';
  const embeddedV4 = (hi: number, lo: number) => ipv4Reason(hi * 65536 + lo);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms reach the IPv4 host.
  if (zeroUpTo(5) && g[5] === 0xffff) return embeddedV4(g[6]!, g[7]!);
  if (zeroUpTo(6)) return embeddedV4(g[6]!, g[7]!) ?? 'reserved (IPv4-compatible)';
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) also embed an IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embeddedV4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return embeddedV4(g[1]!, g[2]!);
  const first = g[0]!;
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xffc0) === 0xfec0) return 'site-local';
  if ((first & 0xfe00) === 0xfc00) return 'unique-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return null;
}

export type HostCheck =
  { ok: true; addresses: string[] } | { ok: false; reason: 'blocked-address' | 'network'; message: string };

/**
 * Resolves a URL's host (every address, as the OS resolver returns them) and
 * refuses it when any address is not public, unless private networks are allowed.
 * Any one bad address is enough: fetch may connect to any of them.
 */
export async function checkHost(hostname: string, allowPrivateNetwork: boolean): Promise<HostCheck> {
  const host = hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTFOUND' ? 'no such host' : (code ?? (err as Error).message);
    return {
      ok: false,
      reason: 'network',
      message: `could not resolve ${host} (${why}); check the feed URL's host name`,
    };
  }
  if (allowPrivateNetwork) return { ok: true, addresses };
  for (const address of addresses) {
    const reason = nonPublicReason(address);
    if (reason) {
      const shown = address === host ? host : `${host} (${address})`;
      return {
        ok: false,
        reason: 'blocked-address',
        message:
          `refused to fetch from ${shown}: ${/^[aeiou]/.test(reason) ? 'an' : 'a'} ${reason} address. Feeds must be on the public internet; ` +
          'for an intranet feed an admin can set feeds.defaults.allow_private_network: true in the config',
      };
    }
  }
  return { ok: true, addresses };
}
