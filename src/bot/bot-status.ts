import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { postgresTargetName, sqliteFile } from '../store/open-store.js';

/**
 * What the running bot tells other processes about itself: a small JSON file
 * beside its database, rewritten on every heartbeat. `dealbot health` runs as a
 * separate process (Docker's HEALTHCHECK) and cannot ask the bot's adapters
 * whether they are connected, so it reads them here. A file, not a table: it is
 * per process (one container, one bot), needs no schema migration, and reading it
 * changes nothing.
 */

const adapterStatusSchema = z.object({
  platform: z.string(),
  connected: z.boolean(),
  /** When the adapter last went up or down (ISO 8601). */
  since: z.string(),
});

const botStatusSchema = z.object({
  pid: z.number(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
  /** Set when the bot stopped cleanly; null while it runs. */
  stoppedAt: z.string().nullable(),
  adapters: z.array(adapterStatusSchema),
});

export type AdapterStatus = z.infer<typeof adapterStatusSchema>;
export type BotStatus = z.infer<typeof botStatusSchema>;

/**
 * The status file of the bot using this database: `data/dealbot.db` (or
 * `sqlite:data/dealbot.db`) → `data/dealbot.db-status.json`. An in-memory database
 * has no folder, so its bot writes to the temporary folder instead of a file named
 * ":memory:-status.json" wherever it was started.
 */
export function statusFileFor(databasePath: string): string {
  // A PostgreSQL store has no folder of ours: the temp folder, named by the database (one bot per container).
  const pg = postgresTargetName(databasePath);
  if (pg) return path.join(tmpdir(), `dealbot-${pg}-status.json`);
  const file = sqliteFile(databasePath);
  if (file === ':memory:') return path.join(tmpdir(), `dealbot-memory-${process.pid}-status.json`);
  return `${file}-status.json`;
}

/** The status the bot last wrote, or null when there is no file. Throws, naming the file, when it is unreadable. */
export function readBotStatus(file: string): BotStatus | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON; the bot rewrites it on its next heartbeat (delete it if no bot runs)`);
  }
  const parsed = botStatusSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}; was it written by dealbot?`);
  }
  return parsed.data;
}

/** Replaces the file in one step (write a temporary file, rename it), so a reader never sees half of it. */
export function writeBotStatus(file: string, status: BotStatus): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(status, null, 2)}\n`);
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}
