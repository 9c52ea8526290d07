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

export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
