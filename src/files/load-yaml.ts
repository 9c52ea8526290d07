import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { fieldPath, InvalidFileError, type FileProblem } from './problems.js';

/**
 * Reads a YAML file and validates it with a zod schema, turning every YAML and
 * schema error into a FileProblem with its line and column, so an admin sees all
 * mistakes at once and where they are.
 */
export async function loadYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found; check the path (or pass --config FILE)'
        : `cannot read the file (${code ?? (err as Error).message})`;
    throw new InvalidFileError([{ file, message: why }]);
  }
  return parseYamlText(text, file, schema);
}

export function parseYamlText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: FileProblem[] = [];
  for (const e of doc.errors) {
    problems.push({
      file,
      line: e.linePos?.[0]?.line,
      column: e.linePos?.[0]?.col,
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
    });
  }
  if (problems.length > 0) throw new InvalidFileError(problems);

  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const pos =
      (issue.code === 'unrecognized_keys' && keyPosition(doc, lineCounter, issue.path, issue.keys[0])) ||
      positionOf(doc, lineCounter, issue.path);
    problems.push({
      file,
      line: pos?.line,
      column: pos?.col,
      field: issue.path.length ? fieldPath(issue.path) : undefined,
      message: describeIssue(issue, doc),
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throw new InvalidFileError(problems);
}

/** The line and column of a field in a YAML text, for problems found after validation (cross-file checks). */
export function positionInYaml(
  text: string,
  path: ReadonlyArray<PropertyKey>,
): { line: number; col: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return positionOf(doc, lineCounter, path);
}

/** Where an unknown key is written (not its parent object), so the line points at the typo. */
function keyPosition(doc: Document, lc: LineCounter, path: ReadonlyArray<PropertyKey>, key: string | undefined) {
  const parent = path.length ? doc.getIn(path as unknown[], true) : doc.contents;
  if (key === undefined || !isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
  return isScalar(pair?.key) && pair.key.range ? lc.linePos(pair.key.range[0]) : undefined;
}

/** The position of the deepest node of the path that exists (a missing key points at its parent). */
function positionOf(
  doc: Document,
  lc: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document): string {
  const found = doc.getIn(issue.path as unknown[]);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling (see the config reference in README.md)`;
    case 'invalid_type':
      if (found === undefined) return `missing; expected ${issue.expected}`;
      return `found ${JSON.stringify(found)}, expected ${issue.expected}`;
    default:
      return found !== undefined && typeof found !== 'object'
        ? `${issue.message} (found ${JSON.stringify(found)})`
        : issue.message;
  }
}
