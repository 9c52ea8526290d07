import { missingSharedWarning } from './helpers/shared-data.js';
import { PG_SKIP_REASON, PG_TEST_URL } from './helpers/pg-test-db.js';

/**
 * Runs once per `vitest run`, before any test file: says once why the tests that read
 * ../shared skip, and why the PostgreSQL ones do.
 */
export default function setup(): void {
  const warning = missingSharedWarning();
  if (warning) console.warn(warning);
  if (!PG_TEST_URL) console.warn(PG_SKIP_REASON);
}
