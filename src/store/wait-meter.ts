import type { AsyncStore } from './async-store.js';

/**
 * Time spent waiting on a store's answers. With a network database (PostgreSQL)
 * a query's wait does not hold the event loop, so work sized by how long it holds
 * the loop (the match step's slices) must not count it: counted, it kept every
 * slice at the 5-story minimum and a 1,000-feed poll made ~2,000 steps of ~11
 * round trips each. SQLite answers before its call returns (asyncFromSync), so
 * its waits measure ~0 and all its time stays work, as it should.
 */
export class WaitMeter {
  ms = 0;
}

/** The store, its repositories' promises timed from the call's return to their answer, into `meter`. */
export function meteredStore(store: AsyncStore, meter: WaitMeter): AsyncStore {
  const repos = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'object' || value === null) return value;
      let metered = repos.get(prop);
      if (!metered) repos.set(prop, (metered = meteredRepo(value, meter)));
      return metered;
    },
  });
}

function meteredRepo(repo: object, meter: WaitMeter): object {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        const start = performance.now();
        return result.finally(() => (meter.ms += performance.now() - start));
      };
    },
  });
}
