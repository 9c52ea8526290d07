import { createRequire } from 'node:module';
import { decodeHTML } from 'entities';

/**
 * The HTML named-entity table and decoder from the `entities` package (2.2,
 * installed as rss-parser's own dependency, so the table is the one rss-parser
 * decodes snippets with). It should be listed in package.json in its own right.
 */
const table = createRequire(import.meta.url)('entities/lib/maps/entities.json') as Record<string, string>;

/** The five entities every XML parser knows without a DTD. */
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * A named reference as XML can read it: kept when XML knows it, a numeric
 * reference when HTML does, or null for a name nobody defines (DTD-declared).
 */
export function xmlSafeEntity(name: string): string | null {
  if (XML_ENTITIES.has(name)) return `&${name};`;
  const value = Object.hasOwn(table, name) ? table[name] : undefined;
  if (value === undefined) return null;
  let out = '';
  for (const ch of value) out += `&#${ch.codePointAt(0)};`;
  return out;
}

/** Decodes HTML entities in text (named, numeric, and the legacy forms without ";"). */
export function decodeHtmlEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}
