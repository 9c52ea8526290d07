/** The words of a /deal command, split and sorted out before a subcommand sees them. */
export interface ParsedInvocation {
  /** Lower-cased subcommand, or "" for an empty command. */
  subcommand: string;
  args: string[];
  /** The user asked to post the answer in the channel. */
  share: boolean;
}

const SHARE_WORDS = new Set(['share', 'public', '--share']);

/**
 * Splits "/deal facts us-japan share" into its parts. A leading "/deal" (or any
 * "/name") is dropped so the same text works typed in a terminal or sent by a
 * platform that strips it. Quotes group words: search "rare earth" magnets.
 *
 * "share" or "public" asks for a channel answer. For subcommands whose words are
 * free text (search: "market share"), only "--share" or a "share" before the
 * subcommand counts, so a query is never cut short.
 */
export function parseInvocation(
  text: string,
  isFreeText: (subcommand: string) => boolean = () => false,
): ParsedInvocation {
  const words = tokenize(text.normalize('NFKC').trim());
  if (words[0]?.startsWith('/')) words.shift();
  let share = false;
  while (words[0] && SHARE_WORDS.has(words[0].toLowerCase())) {
    share = true;
    words.shift();
  }
  const [first = '', ...rest] = words;
  const subcommand = first.toLowerCase();
  const isShareWord = (w: string) =>
    isFreeText(subcommand) ? w.toLowerCase() === '--share' : SHARE_WORDS.has(w.toLowerCase());
  const args = rest.filter((w) => !isShareWord(w));
  return { subcommand, args, share: share || args.length < rest.length };
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = m[1] ?? m[2] ?? m[3] ?? '';
    if (word) out.push(word);
  }
  return out;
}
