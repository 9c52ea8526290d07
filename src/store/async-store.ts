import type { Store } from './store.js';

/**
 * The storage contract in asynchronous form, stated once: every repository
 * method of Store, returning a Promise of what it returns there. A network
 * engine (PostgreSQL) can only offer this form; SQLite offers the plain one,
 * and code written with `await` works on both. It is the contract every caller
 * uses (openStore returns it); the synchronous engine is used directly only where a
 * same-process synchronous read is the point (SQLite's migrations, and the one-moment
 * read of `dealbot migrate-store` in copy-store.ts).
 */

/** A function returning a Promise of its result; optional methods stay optional (T distributes over undefined). */
type AsyncFunction<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : F;

/** Each method of T, returning a Promise of its result. */
export type Async<T> = { [K in keyof T]: AsyncFunction<T[K]> };

/** Store with each repository in asynchronous form. */
export type AsyncStore = { [K in Exclude<keyof Store, 'close' | 'feedLeases'>]: Async<Store[K]> } & {
  feedLeases?: Async<NonNullable<Store['feedLeases']>>;
  /** Ends the engine's connections; the store is unusable afterwards. */
  close(): Promise<void>;
};

/** Either form: what code written with `await` on every call accepts (tests run one suite on both engines). */
export type EitherStore = Store | AsyncStore;

/**
 * A synchronous store (SQLite) in the asynchronous form every caller uses: each
 * repository method returns a resolved Promise of its result (a rejected one for
 * what it threw), so code written once with `await` runs on both engines. Generic
 * on purpose (no per-method code): a method added to a repository is offered at
 * once. The work still runs synchronously inside the call, so SQLite keeps its
 * speed and its one-call atomicity; only the caller's continuation moves to a
 * microtask.
 */
export function asyncFromSync(store: Store): AsyncStore {
  return {
    stories: promised(store.stories),
    feeds: promised(store.feeds),
    ledger: promised(store.ledger),
    matches: promised(store.matches),
    leases: promised(store.leases),
    replicas: promised(store.replicas),
    close: async () => store.close(),
  };
}

/** `repo` with each method returning a Promise; wrapped methods are made once per name. */
export function promised<T extends object>(repo: T): Async<T> {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(repo, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        const method = value as (...a: unknown[]) => unknown;
        fn = (...args: unknown[]): Promise<unknown> => {
          try {
            return Promise.resolve(method.apply(target, args));
          } catch (err) {
            return Promise.reject(err as Error);
          }
        };
        wrapped.set(key, fn);
      }
      return fn;
    },
  }) as unknown as Async<T>;
}
