import type { Logger as CronLogger } from 'node-cron';
import type { Logger } from '../log/logger.js';

/** Routes node-cron's own messages into our structured log instead of the console. */
export function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.info(message),
    warn: (message) => logger.warn(message),
    error: (message, err) =>
      logger.error({ err: err ?? message }, typeof message === 'string' ? message : message.message),
    debug: (message, err) => logger.debug({ err }, typeof message === 'string' ? message : message.message),
  };
}
