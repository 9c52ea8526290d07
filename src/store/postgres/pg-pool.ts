import pg from 'pg';

/**
 * The pool, transactions and the messages a user sees when PostgreSQL cannot be
 * reached: the server by host:port and the cause in words.
 */

// COUNT(*) and BIGSERIAL come back as int8; dealbot's counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** postgres://user:secret@host/db → postgres://user:***@host/db, so no message prints a password. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/** "host:port/database" as the URL names them (with pg's defaults), for messages. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || process.env.PGHOST || 'localhost';
    const port = u.port || process.env.PGPORT || '5432';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || u.username || 'postgres';
    return `${host}:${port}/${db}`;
  } catch {
    return redactUrl(url);
  }
}

/** How long a new connection may take: libpq's connect_timeout in the URL (seconds; 0: no limit), else 10 s. */
export function connectTimeoutMs(url: string): number {
  const seconds = URL.canParse(url) ? new URL(url).searchParams.get('connect_timeout') : null;
  const n = Number(seconds ?? Number.NaN);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : 10_000;
}

export function createPool(url: string, options: { max?: number; readonly?: boolean } = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 5,
    connectionTimeoutMillis: connectTimeoutMs(url),
    // A reader's sessions refuse writes (the server enforces it, as SQLite's readonly open does).
    ...(options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle connection the server closed (restart, failover) must not crash the process;
  // the next query gets a fresh connection or a clear error.
  pool.on('error', () => undefined);
  // Likewise a connection that dies while checked out (a transaction between two queries): pg
  // emits 'error' on the client, which the pool does not listen to then, and an unheard 'error'
  // would end the process. The query under way is rejected on its own (StoreUnavailableError to
  // callers), and the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Why a connection failed, in words a user can act on, naming host:port. */
export function connectErrorMessage(err: unknown, url: string): string {
  const target = describeTarget(url);
  const e = err as { code?: string; message?: string };
  const cause = (() => {
    switch (e.code) {
      case 'ECONNREFUSED':
        return 'connection refused: no PostgreSQL is listening there; start it, or fix the host and port in storage.database (or DEALBOT_DB)';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return 'the host name does not resolve; check the host in storage.database (or DEALBOT_DB)';
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return 'the server did not answer; check the host, the port and any firewall between';
      case '3D000':
        return 'the database does not exist; create it (createdb) or fix its name in the URL';
      case '28P01':
      case '28000':
        return 'the server refused the user or password in the URL';
      default:
        return e.message ?? String(err);
    }
  })();
  return `cannot connect to PostgreSQL at ${target}: ${cause}`;
}

/**
 * Runs `work` in one transaction on one connection; rolls back if it throws. `begin` may
 * add statements without parameters to the BEGIN (a lock to take first): one round trip.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
