import type { AsyncStore } from '../store/async-store.js';

/**
 * What the engine can reach beyond the briefs. Optional members: the engine
 * answers from the briefs alone when a service is absent (e.g. no database yet),
 * and each subcommand that needs one says so plainly.
 */
export interface Services {
  store?: AsyncStore;
}
