import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Why a database file could not be opened, in words a user can act on. SQLite says
 * only "unable to open database file"; the file system says which part of the path
 * is wrong. Returns undefined for errors that are not about opening (a failed
 * migration, a newer schema), which keep their own message.
 */
export function openErrorMessage(err: unknown, file: string, verb: 'create' | 'open' | 'read'): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  const cause = typeof code === 'string' ? causeOf(code, file, verb) : undefined;
  if (cause === undefined && !isOpenError(err)) return undefined;
  return `cannot ${verb} ${file}: ${cause ?? diagnose(file, verb) ?? (err as Error).message}`;
}

function isOpenError(err: unknown): boolean {
  const message = (err as Error | null)?.message ?? '';
  return /unable to open database file|Cannot open database/i.test(message);
}

function causeOf(code: string, file: string, verb: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `${fileInPath(dir) ?? 'part of the path'} is a file, not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `the folder ${nearestExisting(dir)} is not writable by this user`;
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'SQLITE_NOTADB':
      return 'it is not a SQLite database (another file is at that path)';
    case 'SQLITE_CORRUPT':
      return 'the database file is damaged; restore it from a backup or move it away to start afresh';
    case 'SQLITE_READONLY_DIRECTORY':
      return `the folder ${dir} is not writable by this user, and a database in WAL mode needs its -shm file beside it; run as the bot's user or make the folder writable`;
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DBMOVED':
      return verb === 'read'
        ? undefined
        : 'the file is read-only for this user; the bot must be able to write it (commands that only read, such as npx dealbot ask, do not)';
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_CANTOPEN_ISDIR':
    case 'SQLITE_PERM':
      return diagnose(file, verb);
    default:
      return code.startsWith('SQLITE_IOERR') ? diagnose(file, verb) : undefined;
  }
}

/** What the file system says about the path, when SQLite cannot open it. */
function diagnose(file: string, verb: string): string | undefined {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const stat = statOf(absolute);
  if (stat?.isDirectory()) return 'it is a folder, not a database file';
  if (stat) {
    if (!canAccess(absolute, constants.R_OK)) return 'the file is not readable by this user';
    if (verb !== 'read' && !canAccess(absolute, constants.W_OK)) return 'the file is not writable by this user';
    return undefined;
  }
  const blocker = fileInPath(dir);
  if (blocker) return `${blocker} is a file, not a folder`;
  if (!statOf(dir)) return `no such folder ${dir}`;
  if (verb === 'read') return 'no such file';
  if (!canAccess(dir, constants.W_OK)) return `the folder ${dir} is not writable by this user`;
  return undefined;
}

/** The first part of `dir` that exists and is a file (so nothing can be created under it). */
function fileInPath(dir: string): string | undefined {
  for (let p = dir; ; p = path.dirname(p)) {
    const stat = statOf(p);
    if (stat) return stat.isDirectory() ? undefined : p;
    if (path.dirname(p) === p) return undefined;
  }
}

function nearestExisting(dir: string): string {
  let p = dir;
  while (!statOf(p) && path.dirname(p) !== p) p = path.dirname(p);
  return p;
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function canAccess(p: string, mode: number): boolean {
  try {
    accessSync(p, mode);
    return true;
  } catch {
    return false;
  }
}
