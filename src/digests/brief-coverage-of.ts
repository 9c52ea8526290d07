import { SECTION_NAMES, type Brief } from '../briefs/schema.js';
import { BriefCoverage, type CoverageEntry } from '../events/brief-coverage.js';

const cache = new WeakMap<Brief, BriefCoverage>();

/** The entries of a brief an event can report: every section but the FAQ, which explains rather than reports. */
export function coverageEntries(brief: Brief): CoverageEntry[] {
  const out: CoverageEntry[] = [];
  for (const section of SECTION_NAMES) {
    if (section === 'faq') continue;
    (brief.sections[section] ?? []).forEach((e, i) => {
      const text = [e.by, e.text].filter(Boolean).join(': ');
      out.push({ ref: `${section} ${e.date ?? `#${i + 1}`}`, text });
    });
  }
  return out;
}

/** What a brief already reports, built once per loaded brief (a reload makes a new one). */
export function briefCoverage(brief: Brief): BriefCoverage {
  let c = cache.get(brief);
  if (!c) cache.set(brief, (c = new BriefCoverage(coverageEntries(brief), { topic: brief.title })));
  return c;
}
