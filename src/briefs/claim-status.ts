import type { Brief, BriefEntry, ClaimStatus } from './schema.js';

/**
 * How firm an entry is: what the brief says, or, when it says nothing, "single-source"
 * if it cites one source while the brief has several, so readers see which claims
 * rest on one article alone.
 */
export function claimStatusOf(brief: Brief, entry: BriefEntry): ClaimStatus {
  if (entry.status) return entry.status;
  const distinct = new Set(entry.sources).size;
  return brief.sources.length > 1 && distinct === 1 ? 'single-source' : 'corroborated';
}
