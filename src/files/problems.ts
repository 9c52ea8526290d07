/**
 * A problem found in a file an admin edits (config or brief): where it is and what
 * to do. check-config prints every problem at once; the bot refuses to start with
 * the same list.
 */
export interface FileProblem {
  file: string;
  line?: number;
  column?: number;
  /** The dotted path of the field, e.g. "feeds.list[2].url". */
  field?: string;
  message: string;
}

export function formatProblem(p: FileProblem): string {
  const where = [
    p.file,
    p.line !== undefined ? String(p.line) : undefined,
    p.line !== undefined && p.column !== undefined ? String(p.column) : undefined,
  ]
    .filter(Boolean)
    .join(':');
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

export function formatProblems(problems: FileProblem[]): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return [`${count} found:`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
}

/** Thrown when a file cannot be used; carries every problem found. */
export class InvalidFileError extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(formatProblems(problems));
    this.name = 'InvalidFileError';
  }
}

/**
 * The dotted path of a field as admins read it, e.g. "feeds.list#3.url": list items are
 * counted from 1 with "#", the same numbering messages use ("also feed #1").
 */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `#${key + 1}`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Whether nothing found wrong in a file lies at `path` or above it, so a check that runs
 * on an invalid file (a cross-reference, a duplicate) may still trust the value there.
 * `badPaths` are the paths of the file's problems (an unknown key's own path for it).
 */
export function isSound(
  path: ReadonlyArray<PropertyKey>,
  badPaths: ReadonlyArray<ReadonlyArray<PropertyKey>>,
): boolean {
  return !badPaths.some((bad) => bad.length <= path.length && bad.every((key, i) => key === path[i]));
}

/** The value at `path` in a plain document (what YAML gave), or undefined. */
export function valueAt(doc: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
