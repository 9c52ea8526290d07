/** The words of a /deal command, split and sorted out before a subcommand sees them. */
export interface ParsedInvocation {
  /** Lower-cased subcommand, or "" for an empty command. */
  subcommand: string;
  args: string[];
  /** The user asked to post the answer in the channel ("share" or "public" anywhere). */
  share: boolean;
}

const SHARE_WORDS = new Set(['share', 'public', '--share']);

/**
 * Splits "/deal facts us-japan share" into its parts. A leading "/deal" (or any
 * "/name") is dropped so the same text works typed in a terminal or sent by a
 * platform that strips it. Quotes group words: search "rare earth" magnets.
 */
export function parseInvocation(text: string): ParsedInvocation {
  const words = tokenize(text.normalize('NFKC').trim());
  if (words[0]?.startsWith('/')) words.shift();
  const share = words.some((w) => SHARE_WORDS.has(w.toLowerCase()));
  const rest = words.filter((w) => !SHARE_WORDS.has(w.toLowerCase()));
  const [first = '', ...args] = rest;
  return { subcommand: first.toLowerCase(), args, share };
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
