import type { Logger } from './logger.js';

/**
 * What node-cron's `logger` option takes (its `Logger`), written out here so the log
 * leaf needs no SDK. Every task dealbot creates gets one, so node-cron's own warnings
 * ("missed execution", overlaps, task errors) are JSON log lines like ours, not
 * console text.
 */
export interface CronLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error, err?: Error): void;
  debug(message: string | Error, err?: Error): void;
}

/** Routes node-cron's own messages into our structured log instead of the console. */
export function cronLogger(logger: Logger): CronLogger {
  const child = logger.child({ source: 'node-cron' });
  return {
    info: (message) => child.info(message),
    warn: (message) => child.warn(message),
    error: (message, err) =>
      child.error({ err: err ?? message }, typeof message === 'string' ? message : message.message),
    debug: (message, err) => child.debug({ err }, typeof message === 'string' ? message : message.message),
  };
}
