import type { z } from 'zod';
import { closestMatch } from './closest-match.js';

/**
 * zod's own messages ("Too big: expected number to be <=1", "Invalid input: expected
 * string, received undefined") are written for programmers. This error map, passed to
 * safeParse, says the same in the words of someone editing a YAML file. A message a
 * schema sets itself (a regex's "expected a lower-case id …") wins over it.
 */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.expected === 'nonoptional') return 'missing; this key is required';
      return `expected ${kindWords(issue.expected)}`;
    case 'too_big':
    case 'too_small':
      return sizeWords(issue);
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      if (issue.format === 'url') return 'expected a full URL such as https://example.com/page';
      if (issue.format === 'regex') return 'not in the expected form';
      return `expected ${issue.format === 'email' ? 'an email address' : `a ${issue.format}`}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union':
      return 'not one of the allowed forms';
    case 'invalid_key':
      return 'this key is not allowed here';
    case 'invalid_element':
      return 'an entry is not allowed here';
    default:
      return 'not a valid value';
  }
}

/** "unknown key "defualt_brief"; did you mean "default_brief"?", or the keys that are allowed there. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = closestMatch(key, known);
  if (guess) return `unknown key "${key}"; did you mean "${guess}"?`;
  return known.length
    ? `unknown key "${key}"; the keys allowed here are ${known.join(', ')}`
    : `unknown key "${key}"; remove it`;
}

/** The keys the schema allows in the object at `path` (for "did you mean …?"); "$schema" and the like left out. */
export function knownKeysAt(schema: z.core.$ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let node: z.core.$ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!node) return [];
    node = unwrap(childOf(node, key));
  }
  const def = node?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape).filter((k) => !k.startsWith('$')) : [];
}

function childOf(node: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  const def = node._zod.def as {
    type: string;
    shape?: Record<PropertyKey, z.core.$ZodType>;
    catchall?: z.core.$ZodType;
    element?: z.core.$ZodType;
    valueType?: z.core.$ZodType;
  };
  if (def.type === 'object') return def.shape?.[key] ?? def.catchall;
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}

/** Looks through optional, default, pipe and the other wrappers to the schema that holds the keys. */
function unwrap(node: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  for (let depth = 0; node && depth < 20; depth++) {
    const def = node._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (!inner) return node;
    node = inner;
  }
  return node;
}

function kindWords(expected: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping of keys and values',
    date: 'a date',
    null: 'nothing (null)',
  };
  return words[expected] ?? `a ${expected}`;
}

/** "expected a number from 0 to 1", "expected at most 150 characters", "expected at least 1 item". */
function sizeWords(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall>): string {
  if (issue.origin === 'number' || issue.origin === 'int') {
    // A z.number() tells its bounds (minValue, maxValue) and whether it is an integer.
    const number = (issue.schema ?? {}) as { minValue?: number | null; maxValue?: number | null; isInt?: boolean };
    const kind = issue.origin === 'int' || number.isInt ? 'a whole number' : 'a number';
    const min = finite(number.minValue);
    const max = finite(number.maxValue);
    if (min !== undefined && max !== undefined) return `expected ${kind} from ${min} to ${max}`;
    if (issue.code === 'too_big')
      return `expected ${kind} ${issue.inclusive ? 'no greater than' : 'below'} ${String(issue.maximum)}`;
    return `expected ${kind} ${issue.inclusive ? 'of at least' : 'above'} ${String(issue.minimum)}`;
  }
  const unit = issue.origin === 'string' ? 'character' : 'item';
  const count = issue.code === 'too_big' ? Number(issue.maximum) : Number(issue.minimum);
  const units = `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (issue.code === 'too_small' && count === 1)
    return issue.origin === 'string' ? 'must not be empty' : 'the list must not be empty';
  return issue.code === 'too_big' ? `expected at most ${units}` : `expected at least ${units}`;
}

/** A bound the schema set (int() sets the safe-integer limits, which are no one's intent). */
function finite(n: number | null | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
}
