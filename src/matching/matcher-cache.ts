import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config } from '../config/schema.js';
import { createMatcher, type RelevanceMatcher } from './relevance.js';

const matchers = new WeakMap<BriefRegistry, WeakMap<Config['matching'], RelevanceMatcher>>();

/** The compiled matcher for these briefs and thresholds, built once per loaded set and shared. */
export function matcherFor(briefs: BriefRegistry, matching: Config['matching']): RelevanceMatcher {
  let byConfig = matchers.get(briefs);
  if (!byConfig) matchers.set(briefs, (byConfig = new WeakMap()));
  let m = byConfig.get(matching);
  if (!m) byConfig.set(matching, (m = createMatcher(briefs.briefs, matching)));
  return m;
}
