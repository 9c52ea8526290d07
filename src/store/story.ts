/** A normalized story as the feed pipeline produces it and the store keeps it. */
export interface Story {
  /** Stable id: the item's guid, else its canonical link, else a hash of title and date. */
  id: string;
  /** The feed that first brought it. */
  feedId: string;
  title: string;
  summary: string;
  /** Absolute, canonical URL, or null when the item has none. */
  url: string | null;
  /** ISO 8601 publication time, or null if the feed gave none we trust. */
  published: string | null;
  author: string | null;
  lang: string;
}

/** A story as stored: what the pipeline gave plus what the store knows. */
export interface StoredStory extends Story {
  /** When the bot first saw it (ISO 8601). */
  firstSeen: string;
  /** True for items found when a feed was added and older than the backlog age: never digested. */
  backlog: boolean;
  /** Every feed that carried it. */
  feedIds: string[];
}

/**
 * A full-text match: the story's id and its two times, enough to rank it among
 * others and to group it with its event; read the stories shown with getMany.
 */
export interface SearchHit {
  id: string;
  published: string | null;
  firstSeen: string;
}
