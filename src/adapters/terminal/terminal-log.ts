import { Writable } from 'node:stream';
import { stripControls } from '../../render/untrusted-text.js';

/** Where the terminal log prints once the terminal is up: above its prompt. */
export interface TerminalPrinter {
  print(text: string): void;
}

/**
 * The log's destination when the bot runs in a person's terminal: each JSON line
 * the logger writes becomes a short readable block ("error: reload refused …" and
 * the problems under it), printed above the prompt, which is then drawn again.
 * Until a terminal is attached (while the bot starts), blocks go to `fallback`.
 */
export class TerminalLog extends Writable {
  private printer: TerminalPrinter | undefined;
  private partial = '';

  constructor(private readonly fallback: NodeJS.WritableStream) {
    super();
  }

  /** From now on, log blocks are printed by the terminal (above its prompt). */
  attach(printer: TerminalPrinter): void {
    this.printer = printer;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const block = `${formatLogLine(line)}\n`;
      if (this.printer) this.printer.print(block);
      else this.fallback.write(block);
    }
    done();
  }
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};
// What pino adds to every line: no news to a person at the prompt.
const PINO_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'v']);

/**
 * One pino JSON line as text a person reads: "warning: <message> (key: value; …)",
 * then any multi-line field (a list of problems) indented under it. Control
 * characters are removed, since fields may hold feed text. A line that is not
 * JSON is kept as it is.
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return stripControls(line);
  }
  if (!entry || typeof entry !== 'object') return stripControls(line);
  const level = LEVELS[entry.level as number] ?? 'log';
  const details: string[] = [];
  const block: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (PINO_FIELDS.has(key) || value === undefined) continue;
    if (key === 'err' && value && typeof value === 'object' && 'message' in value) {
      details.push(String((value as { message: unknown }).message));
    } else if (typeof value === 'string' && value.includes('\n')) {
      block.push(...value.split('\n'));
    } else {
      details.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  const msg = typeof entry.msg === 'string' ? entry.msg : '';
  const head = `${level}: ${msg}${details.length ? ` (${details.join('; ')})` : ''}`;
  return [head, ...block.map((l) => `  ${l}`)].map(stripControls).join('\n');
}
