import type { Store } from './store.js';

/**
 * The storage contract in asynchronous form, stated once: every repository
 * method of Store, returning a Promise of what it returns there. A network
 * engine (PostgreSQL) can only offer this form; SQLite offers the plain one,
 * and code written with `await` works on both. Phase 2 of the scale-out work
 * (docs/scale-out.md) makes this the contract every caller uses.
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
