import { StoreUnavailableError } from '../store-unavailable.js';

/**
 * Which pg failures mean "the server cannot be reached", turned into the contract's
 * StoreUnavailableError; every other error (a bad query, a constraint) passes unchanged.
 */

/** Socket errors from Node: the server is down, unreachable or dropped the connection. */
const SOCKET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while writing',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve right now',
};

/** SQLSTATEs of a server going away or refusing sessions for now (class 08 is "connection exception"). */
const SERVER_CODES: Record<string, string> = {
  '57P01': 'the server was shut down by an administrator',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up or shutting down',
};

/** pg's own errors, which carry no code: a connection closed under a query, or no connection in time. */
const PG_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated/i, 'the server closed the connection'],
  [/timeout exceeded when trying to connect/i, 'no connection within the pool timeout'],
  [/not queryable/i, 'the connection broke'],
];

/** The words for a connection-class failure, or null for any other error. */
export function unavailableReason(err: unknown): string | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (typeof e.code === 'string') {
    if (SOCKET_CODES[e.code]) return SOCKET_CODES[e.code]!;
    if (SERVER_CODES[e.code]) return SERVER_CODES[e.code]!;
    if (e.code.startsWith('08')) return `connection exception ${e.code}`;
  }
  if (typeof e.message === 'string') {
    for (const [pattern, reason] of PG_MESSAGES) if (pattern.test(e.message)) return reason;
  }
  // An AggregateError (a host with several addresses, every one refused) carries its codes inside.
  const inner = (e as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length) return unavailableReason(inner[0]);
  return null;
}

/** err as StoreUnavailableError when it is connection-class, else err itself. */
export function asStoreError(err: unknown, target: string): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const reason = unavailableReason(err);
  return reason ? new StoreUnavailableError(target, reason, { cause: err }) : err;
}

/**
 * `repo` with each method's rejection passed through asStoreError: one place for every
 * repository, so a method added later is covered at once. Methods are wrapped once per name.
 */
export function withUnavailable<T extends object>(repo: T, target: string): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(repo, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        const method = value as (...a: unknown[]) => unknown;
        fn = (...args: unknown[]): unknown => {
          const result = method.apply(object, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => {
                throw asStoreError(err, target);
              })
            : result;
        };
        wrapped.set(key, fn);
      }
      return fn;
    },
  });
}
