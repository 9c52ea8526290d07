/**
 * Reading the objects xml2js builds (rss-parser's XML layer, default options):
 * every child is an array; an element is a string when it has only text, '' when
 * empty, else an object with `_` (its text), `$` (its attributes) and its children.
 */
export type XmlNode = string | XmlElement;
export interface XmlElement {
  _?: string;
  $?: Record<string, string>;
  [child: string]: unknown;
}

export function isElement(node: unknown): node is XmlElement {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Every child element named `name` (or the first of several names that exists). */
export function children(node: unknown, ...names: string[]): XmlNode[] {
  if (!isElement(node)) return [];
  for (const name of names) {
    const value = node[name];
    if (Array.isArray(value) && value.length) return value as XmlNode[];
  }
  return [];
}

export function child(node: unknown, ...names: string[]): XmlNode | undefined {
  return children(node, ...names)[0];
}

export function attr(node: unknown, name: string): string | null {
  if (!isElement(node) || !node.$) return null;
  const value = node.$[name];
  return typeof value === 'string' ? value : null;
}

/**
 * All the text inside a node, children included (structured titles, xhtml
 * content). xml2js keeps an element's own text apart from its children's, so
 * with mixed content the order is approximate: own text first, then children.
 */
export function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  if (!isElement(node)) return '';
  const parts: string[] = [];
  if (typeof node._ === 'string') parts.push(node._);
  for (const [key, value] of Object.entries(node)) {
    if (key === '_' || key === '$') continue;
    parts.push(textOf(value));
  }
  return parts.join(' ');
}

/** Text of the first child named `name`, trimmed, or null when absent or blank. */
export function childText(node: unknown, ...names: string[]): string | null {
  for (const name of names) {
    const c = child(node, name);
    if (c === undefined) continue;
    const text = textOf(c).trim();
    if (text) return text;
  }
  return null;
}
