import type { BriefRegistry } from '../../briefs/brief-registry.js';
import { plainDiscord, truncate } from './discord-markdown.js';

/** Discord shows at most 25 autocomplete choices, names and values of 1–100 characters. */
const MAX_CHOICES = 25;
const MAX_LENGTH = 100;

/**
 * Autocomplete for the `brief` option: briefs whose id or title contains what the
 * user typed, the default brief first. Read from the live registry, so a brief
 * added by a reload is offered at once.
 */
export function briefChoices(briefs: BriefRegistry, typed: string): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  const defaultId = briefs.default.id;
  return [...briefs.briefs]
    .filter((b) => !needle || b.id.includes(needle) || b.title.toLowerCase().includes(needle))
    .sort((a, b) => Number(b.id === defaultId) - Number(a.id === defaultId))
    .slice(0, MAX_CHOICES)
    .map((b) => ({
      name: truncate(plainDiscord(`${b.id} — ${b.title}`), MAX_LENGTH),
      value: b.id.slice(0, MAX_LENGTH),
    }));
}
