import type { FeedConfig } from '../config/schema.js';
import { normalizeText } from './normalize-text.js';
import { prepareText, TermIndex } from './term-index.js';

/**
 * Per-feed include/exclude filters from the config, applied before matching: a
 * plain word or phrase matches like a brief's term (word boundaries, any case,
 * NFKC, substrings in Japanese); "/regex/flags" runs on the NFKC-normalized
 * title and summary. The config schema has already rejected bad regexes, with
 * their line, when the config loaded.
 */

export interface FilterVerdict {
  kept: boolean;
  /** Why it was dropped, for `dealbot why`; null when kept. */
  reason: string | null;
}

const REGEX = /^\/(.+)\/([a-z]*)$/;

class PatternSet {
  private readonly terms = new TermIndex();
  private readonly regexes: { source: string; re: RegExp }[] = [];

  constructor(readonly patterns: readonly string[]) {
    for (const p of patterns) {
      const m = REGEX.exec(p);
      if (m) this.regexes.push({ source: p, re: new RegExp(m[1]!, m[2]!.replace(/[gy]/g, '')) });
      else this.terms.add(p);
    }
  }

  /** The first pattern found in the text, as written in the config, or null. */
  firstMatch(raw: string): string | null {
    let found: string | null = null;
    if (this.terms.size) {
      this.terms.scan(prepareText(raw), (id) => {
        found ??= this.terms.display[id]!;
      });
      if (found) return found;
    }
    const normalized = normalizeText(raw);
    for (const { source, re } of this.regexes) if (re.test(normalized)) return source;
    return null;
  }
}

export class FeedFilter {
  private readonly include: PatternSet;
  private readonly exclude: PatternSet;

  constructor(
    readonly feedId: string,
    include: readonly string[],
    exclude: readonly string[],
  ) {
    this.include = new PatternSet(include);
    this.exclude = new PatternSet(exclude);
  }

  check(story: { title: string; summary?: string | null }): FilterVerdict {
    const text = `${story.title}\n${story.summary ?? ''}`;
    const excluded = this.exclude.firstMatch(text);
    if (excluded) return { kept: false, reason: `dropped by feed "${this.feedId}" exclude filter "${excluded}"` };
    if (this.include.patterns.length && !this.include.firstMatch(text)) {
      return {
        kept: false,
        reason: `dropped by feed "${this.feedId}": none of its include filters (${this.include.patterns.map((p) => `"${p}"`).join(', ')}) appear`,
      };
    }
    return { kept: true, reason: null };
  }
}

/** One filter per feed that has any; feeds without filters keep everything. */
export class FeedFilters {
  private readonly byFeed = new Map<string, FeedFilter>();

  constructor(feeds: readonly Pick<FeedConfig, 'id' | 'include' | 'exclude'>[]) {
    for (const f of feeds) {
      if (f.include.length || f.exclude.length) this.byFeed.set(f.id, new FeedFilter(f.id, f.include, f.exclude));
    }
  }

  check(feedId: string | null | undefined, story: { title: string; summary?: string | null }): FilterVerdict {
    const filter = feedId ? this.byFeed.get(feedId) : undefined;
    return filter ? filter.check(story) : { kept: true, reason: null };
  }
}
