import { missingSharedWarning } from './helpers/shared-data.js';

/** Runs once per `vitest run`, before any test file: says once why the tests that read ../shared skip. */
export default function setup(): void {
  const warning = missingSharedWarning();
  if (warning) console.warn(warning);
}
