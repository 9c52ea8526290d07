import { createScratchDatabase, type ScratchDatabase } from '../store/postgres/scratch-database.js';

/**
 * The PostgreSQL server the pg benches use: DEALBOT_BENCH_PG_URL, or the local
 * one the tests use. Each bench makes its own throwaway databases there
 * (dealbot_bench_<random>) and drops them, so it never touches a real store.
 */
export const BENCH_PG_URL = process.env.DEALBOT_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Thrown when no server answers: the bench says it was skipped, and `npm run bench` goes on. */
export class PgUnavailable extends Error {}

export async function scratchDatabase(): Promise<ScratchDatabase> {
  try {
    return await createScratchDatabase(BENCH_PG_URL, 'dealbot_bench');
  } catch (err) {
    throw new PgUnavailable((err as Error).message);
  }
}

/** Runs the bench, or answers one line saying why the PostgreSQL benches were skipped. */
export async function orSkipped(name: string, bench: () => Promise<string>): Promise<string> {
  try {
    return await bench();
  } catch (err) {
    if (!(err instanceof PgUnavailable)) throw err;
    return `${name}: skipped (no PostgreSQL to bench on: ${err.message}; set DEALBOT_BENCH_PG_URL to a server where this user may create databases)`;
  }
}
