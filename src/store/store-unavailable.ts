/**
 * The store cannot be reached right now (a network database's server is down, restarting or cut
 * off). An engine throws this for connection-class failures only, never for a bad query or a
 * broken row, so callers can tell "the database is down; try again later" from their own fault:
 * the poller does not blame a feed for it, the command engine answers it in plain words, and
 * delivery retries on its schedule. SQLite, a file in the process, never throws it.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    /** "host:port/database", as messages name it (no password). */
    readonly target: string,
    /** What the engine saw, in words ("connection refused", "the server closed the connection"). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the database at ${target} is not answering (${reason}); dealbot keeps running and retries by itself once it answers: check that PostgreSQL is up and reachable from this host`,
      options,
    );
  }
}

/** Whether err (or what it wraps) says the store is unreachable. */
export function isStoreUnavailable(err: unknown): err is StoreUnavailableError {
  return err instanceof StoreUnavailableError;
}
