import type { BriefEntry, ClaimStatus } from './schema.js';

/**
 * How firm an entry is, from its own sources, whatever else the brief holds: an entry
 * citing one source rests on that article alone ("single-source"), even in a brief
 * with one source. One source cannot disagree with itself, so "disputed" on such an
 * entry means the editor corrects the article ("corrected"). Left out, the status is
 * "single-source" for one source and "corroborated" for more. The schema refuses
 * "corroborated" on one source.
 */
export function claimStatusOf(entry: BriefEntry): ClaimStatus {
  const oneSource = new Set(entry.sources).size === 1;
  if (entry.status === 'disputed' && oneSource) return 'corrected';
  if (entry.status) return entry.status;
  return oneSource ? 'single-source' : 'corroborated';
}
