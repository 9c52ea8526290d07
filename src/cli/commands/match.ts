import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { FeedFilters } from '../../matching/feed-filter.js';
import { createMatcher } from '../../matching/relevance.js';
import type { CliCommand } from '../cli-command.js';
import { loadFilesOrReport } from '../load-or-report.js';

/**
 * Runs stories through the matcher exactly as the bot would (same briefs, same
 * thresholds, the feed's filters when a line names its feed), one JSON line in,
 * one JSON line out, so admins can test a brief's profile on headlines before
 * the bot sees them. A bad line gets an error line; the rest go through.
 */
export const matchCommand: CliCommand = {
  name: 'match',
  summary:
    'score JSON lines {"id","title","summary"?,"lang"?} from stdin against the briefs; one JSON line out per line in',
  usage:
    'dealbot match [--config FILE] [--json | --text] < stories.jsonl   (optional per line: "published", "feed" for its filters; exit 1 if any line had an error)',
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, json: { type: 'boolean' }, text: { type: 'boolean' } },
    });
    const files = await loadFilesOrReport(values.config, io);
    if (!files) return 1;
    const { config } = files.loaded;
    const matcher = createMatcher(files.briefs.briefs, config.matching);
    const filters = new FeedFilters(config.feeds.list);
    const asText = values.text === true && values.json !== true;

    let lineNo = 0;
    let errors = 0;
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      const parsed = parseLine(line);
      if ('error' in parsed) {
        errors++;
        io.stdout.write(
          JSON.stringify({ line: lineNo, ...(parsed.id !== undefined ? { id: parsed.id } : {}), error: parsed.error }) +
            '\n',
        );
        continue;
      }
      const story = parsed.story;
      const verdict = filters.check(story.feed, story);
      const d = verdict.kept
        ? matcher.decide(story)
        : { relevant: false, score: 0, brief: null, briefScore: 0, reasons: [verdict.reason!] };
      const out = { id: story.id, relevant: d.relevant, score: d.score, brief: d.brief, reasons: d.reasons };
      io.stdout.write(asText ? textLine(out) : JSON.stringify(out) + '\n');
    }
    if (errors) io.stderr.write(`dealbot match: ${errors} line(s) could not be read; see the lines with "error".\n`);
    return errors ? 1 : 0;
  },
};

interface InputStory {
  id: string | number;
  title: string;
  summary: string | null;
  lang: string | null;
  published: string | null;
  feed: string | null;
}

function parseLine(line: string): { story: InputStory } | { error: string; id?: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'expected a JSON object such as {"id": "1", "title": "…"}' };
  const o = value as Record<string, unknown>;
  // The id is how an admin finds the answer to a line: a line without one is refused, not answered as "id": null.
  const idOk = (typeof o.id === 'string' && o.id.trim() !== '') || (typeof o.id === 'number' && Number.isFinite(o.id));
  if (!idOk)
    return {
      error: `${o.id === undefined || o.id === null ? 'missing "id"' : `"id" is ${JSON.stringify(o.id)}`}: give each line an "id" (a non-empty string or a number) to tell its answer apart`,
      ...(o.id !== undefined ? { id: o.id } : {}),
    };
  if (typeof o.title !== 'string' || !o.title.trim())
    return { error: 'missing "title" (a non-empty string)', id: o.id };
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  return {
    story: {
      id: o.id as string | number,
      title: o.title,
      summary: str('summary'),
      lang: str('lang'),
      published: str('published'),
      feed: str('feed'),
    },
  };
}

function textLine(d: {
  id: unknown;
  relevant: boolean;
  score: number;
  brief: string | null;
  reasons: string[];
}): string {
  const head = `${String(d.id)}\t${d.relevant ? 'RELEVANT' : 'no'}\t${d.score.toFixed(2)}\t${d.brief ?? '-'}`;
  return `${head}\n${d.reasons.map((r) => `\t${r}`).join('\n')}\n`;
}
