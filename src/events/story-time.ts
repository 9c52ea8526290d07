/** The two times a stored story carries; enough to tell when it happened. */
export interface TimedStory {
  published: string | null;
  firstSeen: string;
}

/**
 * When a story happened as far as a reader cares: its publication time, else when
 * we first saw it. A publication date after we first saw it is a feed's clock
 * error, so first seen wins then. Epoch ms.
 */
export function storyTime(s: TimedStory): number {
  const published = s.published ? Date.parse(s.published) : NaN;
  const seen = Date.parse(s.firstSeen);
  return Number.isFinite(published) && !(published > seen) ? published : seen;
}
