/**
 * SIGTERM and SIGINT, as `docker stop`, systemd and Ctrl-C send them. The first
 * asks the command to stop cleanly (fetches aborted, work stopped between slices,
 * the database closed), which takes well under a second; a second signal exits at
 * once. A stop still running after STOP_DEADLINE_MS exits anyway (docker stop
 * kills after 10 s; the database is safe either way, as every stored story
 * without a decision waits in the undecided queue), with status 1 so it shows.
 */

export const STOP_DEADLINE_MS = 4_500;

const EXIT_STATUS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Calls `stop` on the first SIGTERM or SIGINT; returns a function that removes the handlers. */
export function onStopSignals(
  stop: (signal: NodeJS.Signals) => Promise<unknown>,
  say: (line: string) => void,
): () => void {
  let first: NodeJS.Signals | null = null;
  let stopped = false;
  const handler = (signal: NodeJS.Signals) => {
    if (first) {
      say(`${signal} after ${first}: exiting at once`);
      process.exit(EXIT_STATUS[signal] ?? 1);
    }
    first = signal;
    // Unref'd: it only fires if the process is still alive then.
    setTimeout(() => {
      say(
        stopped
          ? `stopped, but something still held the process ${STOP_DEADLINE_MS / 1000} s after ${signal}: exiting`
          : `still stopping ${STOP_DEADLINE_MS / 1000} s after ${signal}: exiting now`,
      );
      process.exit(stopped ? 0 : 1);
    }, STOP_DEADLINE_MS).unref();
    void stop(signal).finally(() => (stopped = true));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
