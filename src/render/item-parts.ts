import type { ClaimMark, MessageItem } from '../messages/message.js';

/** The words every renderer shows for a claim mark, so all platforms say the same. */
export const MARK_LABELS: Record<ClaimMark, string> = {
  'single-source': 'one source',
  disputed: 'sources disagree',
  corrected: "editor's correction",
  'editor-note': "editor's note",
};

/**
 * The words for an item's marks shown beside it. The editor's note mark is left
 * out: it is shown as the lead-in of the note instead (see noteLead).
 */
export function visibleMarkLabels(marks: readonly ClaimMark[] | undefined): string[] {
  return (marks ?? []).filter((m) => m !== 'editor-note').map((m) => MARK_LABELS[m]);
}

/** What follows an item's label: a space after a question ("Who pays? …"), else ": ". Tested on the raw label. */
export function labelSeparator(label: string): string {
  return /[?？]$/.test(label) ? ' ' : ': ';
}

/** "[1][2]" for citation numbers. */
export function citationText(citations: readonly number[] | undefined): string {
  return (citations ?? []).map((n) => `[${n}]`).join('');
}

/** The lead-in of an item's note: "editor's note" on a marked claim, none on other notes (a feed's error). */
export function noteLead(item: MessageItem): string {
  return item.marks?.includes('editor-note') ? `${MARK_LABELS['editor-note']}: ` : '';
}

/** The sources a kept item brings with it: those it cites and those its words name. */
export function sourceNumbersOf(item: MessageItem): number[] {
  return [...(item.citations ?? []), ...(item.mentions ?? [])];
}

/**
 * "… and 3 more — /deal feeds 2": what a cut list says, the same on every platform. The
 * hint is the way on (a command, or what to do), given already escaped for the platform.
 */
export function moreText(count: number, hint: string): string {
  return `… and ${count} more — ${hint}`;
}
