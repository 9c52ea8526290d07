/**
 * One feed entry as read from the XML, before normalizing: RSS 0.9x/1.0/1.1/2.0
 * and Atom 0.3/1.0 all end up in this shape, so normalize-story.ts knows nothing
 * of formats.
 */
export interface MarkedText {
  text: string;
  /** 'html': tags to strip and entities to decode; 'text': shown as it is. */
  markup: 'html' | 'text';
}

export interface FeedItem {
  /** guid, atom:id or rdf:about, as written. */
  guid: string | null;
  /** The guid's isPermaLink attribute said "false". */
  guidNotPermaLink: boolean;
  /** The item's link as written (may be relative). */
  link: string | null;
  /** Absolute base for resolving `link`: xml:base of the link, item and feed, else the feed's link, else the document URL. */
  base: string | null;
  title: MarkedText | null;
  summary: MarkedText | null;
  /** Date strings in order of preference (published before updated). */
  dates: string[];
  author: string | null;
  /** The item's own language (xml:lang, dc:language), else the feed's. */
  lang: string | null;
}

export interface FeedInfo {
  title: string | null;
  /** The site's link, absolute when it could be resolved. */
  link: string | null;
  /** Base for items: the feed's xml:base, else its link, else the document URL. */
  base: string | null;
  lang: string | null;
}
