/**
 * The one rule every renderer applies to untrusted text (feed titles, brief lines):
 * control characters and bidi marks, embeddings, overrides and isolates are removed,
 * because they could move a terminal's cursor or reorder or hide what a reader sees.
 */

/**
 * The body of a regex character class matching those characters, for renderers that
 * build their own escaping regex around it (Slack adds &, < and >). Newline is never
 * in it (line breaks are kept) and neither is tab, which each renderer treats its own
 * way: the text and Discord renderers drop it (stripControls), Slack makes it a space.
 */
export const CONTROL_CLASS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

const CONTROL_AND_TAB = new RegExp(`[\\t${CONTROL_CLASS}]`, 'g');

/** Removes control characters (tab included, newline kept) and bidi controls. */
export function stripControls(text: string): string {
  return text.replace(CONTROL_AND_TAB, '');
}
