/**
 * When a feed is not well-formed XML (an unescaped "<" in one description, a
 * truncated download, two root elements), a strict parser rejects all of it. This
 * cuts the text into its <item>/<entry> blocks so each can be parsed on its own
 * in a minimal envelope: the good items of a broken feed survive.
 */

export interface ItemBlock {
  kind: 'item' | 'entry';
  xml: string;
}

// An item or entry start tag, with an optional prefix (<rss:item>, <atom:entry>); not <items>.
const START = /<((?:[\w.-]+:)?(item|entry))(?=[\s>/])/g;

/** The feed's text before its first item: channel or feed-level elements. */
export function headerOf(text: string): string {
  START.lastIndex = 0;
  const m = START.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** Each item or entry element, from its start tag to its end tag (or to the next item when it has none). */
export function itemBlocks(text: string): ItemBlock[] {
  const starts: { at: number; name: string; kind: ItemBlock['kind'] }[] = [];
  START.lastIndex = 0;
  for (let m = START.exec(text); m; m = START.exec(text)) {
    starts.push({ at: m.index, name: m[1]!, kind: m[2] as ItemBlock['kind'] });
  }
  return starts.map((s, i) => {
    const limit = starts[i + 1]?.at ?? text.length;
    const close = `</${s.name}`;
    const end = text.indexOf(close, s.at);
    if (end >= 0 && end < limit) {
      const gt = text.indexOf('>', end);
      return { kind: s.kind, xml: text.slice(s.at, gt < 0 ? limit : gt + 1) };
    }
    // No end tag before the next item: close it ourselves (a truncated or sloppy feed).
    return { kind: s.kind, xml: closeOpenTags(text.slice(s.at, limit)) };
  });
}

/** A document rss-parser accepts around one block. Prefixes need no declaration: the parser ignores namespaces. */
export function envelope(block: ItemBlock): string {
  return block.kind === 'entry'
    ? `<feed>${block.xml}</feed>`
    : `<rss version="2.0"><channel>${block.xml}</channel></rss>`;
}

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)[^<>]*?(\/?)>|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)/g;

/**
 * Appends end tags for the elements a fragment leaves open (and an end to an
 * unterminated CDATA or comment), so a feed's header or a cut-off item parses.
 */
export function closeOpenTags(fragment: string): string {
  const open: string[] = [];
  let tail = '';
  TAG.lastIndex = 0;
  for (let m = TAG.exec(fragment); m; m = TAG.exec(fragment)) {
    const [whole, slash, name, selfClosing] = m;
    if (name === undefined) {
      if (whole.startsWith('<![CDATA[') && !whole.endsWith(']]>')) tail = ']]>';
      if (whole.startsWith('<!--') && !whole.endsWith('-->')) tail = '-->';
      continue;
    }
    if (selfClosing) continue;
    if (!slash) open.push(name);
    else {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
    }
  }
  // A start tag cut in the middle ("<descr") is dropped rather than closed.
  const body = tail ? fragment : fragment.replace(/<[^<>]*$/, '');
  return (
    body +
    tail +
    open
      .reverse()
      .map((n) => `</${n}>`)
      .join('')
  );
}
