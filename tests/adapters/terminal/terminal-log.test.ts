import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatLogLine, TerminalLog } from '../../../src/adapters/terminal/terminal-log.js';
import { createLogger } from '../../../src/log/logger.js';

describe('log lines in the terminal', () => {
  it('reads as one line of text, then multi-line fields indented under it', () => {
    const stderr = new PassThrough();
    const log = new TerminalLog(stderr);
    const printed: string[] = [];
    log.attach({ print: (text) => printed.push(text) });
    const logger = createLogger({ level: 'warn', destination: log });
    logger.info('not shown at warn');
    logger.warn({ feed: 'wire', status: 503 }, 'feed failed');
    logger.error(
      { err: new Error('disk full'), problems: '2 problems found:\n  a.yaml:1:1: x\n  a.yaml:2:1: y' },
      'no',
    );
    expect(printed).toEqual([
      'warning: feed failed (feed: wire; status: 503)\n',
      'error: no (disk full)\n  2 problems found:\n    a.yaml:1:1: x\n    a.yaml:2:1: y\n',
    ]);
    expect(stderr.read()).toBeNull();
  });

  it('goes to the fallback stream until a terminal is attached', () => {
    const stderr = new PassThrough();
    const logger = createLogger({ level: 'warn', destination: new TerminalLog(stderr) });
    logger.warn('starting');
    expect(String(stderr.read())).toBe('warning: starting\n');
  });

  it('removes control characters that a feed could put in a field, and keeps non-JSON as it is', () => {
    expect(formatLogLine(JSON.stringify({ level: 40, msg: 'x', title: 'Evil \u001b[2Jtitle' }))).toBe(
      'warning: x (title: Evil [2Jtitle)',
    );
    expect(formatLogLine('plain text')).toBe('plain text');
  });
});
