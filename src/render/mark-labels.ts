import type { ClaimMark, MessageItem } from '../messages/message.js';

/** The words every renderer shows for a claim mark, so all platforms say the same. */
export const MARK_LABELS: Record<ClaimMark, string> = {
  'single-source': 'one source',
  disputed: 'sources disagree',
  'editor-note': "editor's note",
};

/** "[1][2]" for citation numbers. */
export function citationText(citations: readonly number[] | undefined): string {
  return (citations ?? []).map((n) => `[${n}]`).join('');
}

/** The lead-in of an item's note: "editor's note" on a marked claim, none on other notes (a feed's error). */
export function noteLead(item: MessageItem): string {
  return item.marks?.includes('editor-note') ? `${MARK_LABELS['editor-note']}: ` : '';
}
