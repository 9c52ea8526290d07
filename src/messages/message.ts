/**
 * The platform-neutral message model. The command engine and the digest composer
 * produce it; each renderer (text, Slack Block Kit, Discord embeds) turns it into
 * its platform's form. Every string here is plain, untrusted text: renderers
 * escape it for their platform, so nothing from a feed or a brief can ping or link.
 */

/**
 * A mark shown beside a claim so readers know how firm it is: it rests on one source,
 * its sources disagree, the editor corrects its one source, or it carries an editor's note.
 */
export type ClaimMark = 'single-source' | 'disputed' | 'corrected' | 'editor-note';

export interface MessageItem {
  /** A short lead-in shown in bold before the text: a timeline date, an FAQ question. */
  label?: string;
  /** The claim, quote, headline or answer line, as plain text. */
  text: string;
  /**
   * Who said it ("Sanae Takaichi, Prime Minister of Japan"). The text already holds
   * its quotation marks, so renderers show "attribution: text" without adding any.
   */
  attribution?: string;
  /** Compact citation numbers ([1], [2]) that index Message.sources. */
  citations?: number[];
  /**
   * Sources its text or note names by number ("article [1] gives no date") without citing
   * them: listed under the message with the cited ones, but not shown after the item.
   */
  mentions?: number[];
  /** How firm the claim is; renderers show these as short tags. */
  marks?: ClaimMark[];
  /** A note under the item: an editor's note on a claim (with the editor-note mark), or a problem to fix. */
  note?: string;
  /** A link the item points at (a story's URL). */
  url?: string;
  /** A short secondary line: outlet, age, "also covered by 2 outlets", a date. */
  meta?: string;
  /**
   * When the story the item shows was published or first seen (ISO). A digest posted
   * later than it was composed recomputes the age in `meta` from it; renderers ignore it.
   */
  time?: string;
}

export interface MessageSection {
  heading?: string;
  items: MessageItem[];
  /** Items left out for length, and what to type to see them. */
  more?: { count: number; hint: string };
}

export interface MessageSource {
  /** The citation number used in items. */
  n: number;
  /** "Outlet — Article title (date)". */
  label: string;
  url?: string;
  /** Reliability note from the brief. */
  note?: string;
}

export interface Message {
  title: string;
  /** One paragraph under the title. */
  intro?: string;
  sections: MessageSection[];
  /** The sources cited by the items, in citation order. */
  sources?: MessageSource[];
  footer?: string;
  /** What kind of answer this is, so renderers can pick a colour or an icon. */
  tone?: 'info' | 'warning' | 'error';
}

/** Counts the items of a message; renderers and tests use it to check what a cut left out. */
export function countItems(message: Message): number {
  return message.sections.reduce((sum, s) => sum + s.items.length + (s.more?.count ?? 0), 0);
}
