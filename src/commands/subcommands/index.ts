import type { Subcommand } from '../subcommand.js';
import { sectionSubcommands } from './brief-sections.js';
import { briefsSubcommand } from './briefs.js';
import { digestSubcommand } from './digest.js';
import { feedsSubcommand } from './feeds.js';
import { latestSubcommand } from './latest.js';
import { searchSubcommand } from './search.js';
import { sourcesSubcommand } from './sources.js';
import { updatesSubcommand } from './updates.js';
import { whySubcommand } from './why.js';

/** Every /deal subcommand, in the order /deal help lists them; add one by adding a line. */
export const SUBCOMMANDS: Subcommand[] = [
  ...sectionSubcommands,
  sourcesSubcommand,
  briefsSubcommand,
  digestSubcommand,
  feedsSubcommand,
  latestSubcommand,
  updatesSubcommand,
  searchSubcommand,
  whySubcommand,
];
