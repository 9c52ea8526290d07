/**
 * The fetch timeout, counting only time the bot was free to wait on the network.
 * A plain timer also counts time the event loop was busy elsewhere (another
 * feed's parse or store): a feed whose answer sat complete in the socket while
 * the loop was held would fail its own timeout. Here a ticker adds up the time
 * between its ticks, but never more than two ticks' worth at once, so a stretch
 * the loop was blocked counts as if it were short.
 */
export interface NetworkTimeout {
  signal: AbortSignal;
  /** Stops the ticker (the fetch is over). */
  clear(): void;
}

export function networkTimeout(ms: number, tickMs = 100): NetworkTimeout {
  const controller = new AbortController();
  let counted = 0;
  let last = performance.now();
  const ticker = setInterval(
    () => {
      const now = performance.now();
      counted += Math.min(now - last, 2 * tickMs);
      last = now;
      if (counted >= ms) {
        clearInterval(ticker);
        controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
      }
    },
    Math.min(tickMs, ms),
  );
  // The fetch keeps the process alive while it runs; the ticker alone must not.
  ticker.unref();
  return { signal: controller.signal, clear: () => clearInterval(ticker) };
}
