import type { ClaimMark } from '../messages/message.js';

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
