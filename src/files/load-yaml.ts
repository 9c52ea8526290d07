import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { knownKeysAt, plainIssueMessage, unknownKeyMessage } from './plain-issues.js';
import { fieldPath, InvalidFileError, type FileProblem } from './problems.js';

/**
 * What a YAML file held and what is wrong with it. `value` is set only when nothing is;
 * `doc` and `badPaths` let checks that look across files (a digest's brief ids, a
 * cited source) still run on an invalid file, skipping the parts known to be wrong,
 * so an admin sees every problem in one run.
 */
export interface YamlReading<T> {
  file: string;
  /** The file's text, when it could be read. */
  text?: string;
  value?: T;
  /** The document as plain data, when it is valid YAML (valid against the schema or not). */
  doc?: unknown;
  /** The paths of the schema's problems (an unknown key's own path): see isSound. */
  badPaths: PropertyKey[][];
  problems: FileProblem[];
}

/**
 * Reads a YAML file and validates it with a zod schema, turning every YAML and
 * schema error into a FileProblem with its line and column, so an admin sees all
 * mistakes at once and where they are.
 */
export async function loadYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  return valueOrThrow(await readYamlFile(file, schema));
}

export function parseYamlText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  return valueOrThrow(readYamlText(text, file, schema));
}

/** Like loadYamlFile, but returns the problems with whatever could be read instead of throwing. */
export async function readYamlFile<S extends z.ZodType>(file: string, schema: S): Promise<YamlReading<z.output<S>>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found; check the path (or pass --config FILE)'
        : `cannot read the file (${code ?? (err as Error).message})`;
    return { file, badPaths: [], problems: [{ file, message: why }] };
  }
  return readYamlText(text, file, schema);
}

export function readYamlText<S extends z.ZodType>(text: string, file: string, schema: S): YamlReading<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: FileProblem[] = [];
  for (const e of doc.errors) {
    const [line, column] = [e.linePos?.[0]?.line, e.linePos?.[0]?.col];
    // The parser often reports one mistake twice at the same place; the first says it best.
    if (problems.some((p) => p.line === line && p.column === column)) continue;
    problems.push({ file, line, column, message: yamlSyntaxMessage(e) });
  }
  if (problems.length > 0) return { file, text, badPaths: [], problems };

  const plain: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(plain, { error: plainIssueMessage });
  if (result.success) return { file, text, value: result.data, doc: plain, badPaths: [], problems };
  const badPaths: PropertyKey[][] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // One problem per key, each at its own line, each with its own "did you mean".
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        badPaths.push([...issue.path, key]);
        const pos = keyPosition(doc, lineCounter, issue.path, key) ?? positionOf(doc, lineCounter, issue.path);
        problems.push({
          file,
          line: pos?.line,
          column: pos?.col,
          field: issue.path.length ? fieldPath(issue.path) : undefined,
          message: unknownKeyMessage(key, known),
        });
      }
      continue;
    }
    badPaths.push(issue.path);
    const pos = positionOf(doc, lineCounter, issue.path);
    problems.push({
      file,
      line: pos?.line,
      column: pos?.col,
      field: issue.path.length ? fieldPath(issue.path) : undefined,
      message: withFound(issue, doc),
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { file, text, doc: plain, badPaths, problems };
}

function valueOrThrow<T>(reading: YamlReading<T>): T {
  if (reading.problems.length > 0 || reading.value === undefined) throw new InvalidFileError(reading.problems);
  return reading.value;
}

// What to do about the YAML mistakes admins make most.
const SYNTAX_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces',
  DUPLICATE_KEY: 'keep one of them',
  BAD_INDENT: 'check the indentation and the closing bracket',
  MISSING_CHAR: 'add the missing character',
};

/** The parser's message without the position it repeats (the problem carries it) and the colon before its excerpt. */
function yamlSyntaxMessage(e: YAMLError): string {
  const first = e.message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?\s*$/, '')
    .replace(/:\s*$/, '');
  const hint = SYNTAX_HINTS[e.code];
  return `YAML syntax: ${first}${hint ? `; ${hint}` : ''}`;
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

/** The issue's message and, when it helps, what the file has there. */
function withFound(issue: z.core.$ZodIssue, doc: Document): string {
  const found = doc.getIn(issue.path as unknown[]);
  // A schema's own message (a URL's "expected an http:// … URL") would hide that the key is absent.
  if (found === undefined && issue.code === 'invalid_type') return 'missing; this key is required';
  if (found === undefined) return issue.message;
  if (typeof found !== 'object' || found === null) {
    const shown = found === null ? 'nothing' : JSON.stringify(found);
    // A message that already quotes what was written ("JST" is an abbreviation…) says it once.
    if (issue.message.includes(shown)) return issue.message;
    return `${issue.message} (found ${shown.length > 60 ? `${shown.slice(0, 57)}…` : shown})`;
  }
  if (issue.code === 'invalid_type') return `${issue.message} (found ${isMap(found) ? 'a mapping' : 'a list'})`;
  return issue.message;
}
