import type { Message } from '../../messages/message.js';

/** What a line typed at the terminal asks for. */
export type TypedLine =
  /** The words after the bot's command name ("facts us-japan"), or the whole line when it names none. */
  | { kind: 'command'; text: string }
  /** The line starts with another command's name ("/news facts"): this bot does not answer it. */
  | { kind: 'other-command'; name: string; text: string };

/**
 * Reads the command word of a typed line, the way Slack and Discord hand the
 * text after it: "/deal facts", "deal facts" and "facts" all ask the bot for
 * "facts"; "/news facts" names a command this bot does not answer. The first word
 * is read in NFKC, so a full-width "／ｄｅａｌ" typed with a Japanese input method
 * counts. A bare word equal to the command name is taken as the command even when
 * a subcommand has the same name: type it twice ("digest digest") for the subcommand.
 */
export function readTypedLine(line: string, command: string): TypedLine {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const head = (space < 0 ? trimmed : trimmed.slice(0, space)).normalize('NFKC');
  const rest = space < 0 ? '' : trimmed.slice(space).trim();
  const own = command.toLowerCase();
  if (head.startsWith('/')) {
    const name = head.slice(1);
    return !name || name.toLowerCase() === own
      ? { kind: 'command', text: rest }
      : { kind: 'other-command', name, text: rest };
  }
  if (head.toLowerCase() === own) return { kind: 'command', text: rest };
  return { kind: 'command', text: trimmed };
}

/** The answer to "/news facts" in a terminal whose bot answers /deal: what to type instead. */
export function otherCommandMessage(typed: { name: string; text: string }, command: string): Message {
  const words = typed.text || 'help';
  return {
    title: `This bot answers /${command}, not /${typed.name}`,
    sections: [{ items: [{ text: `Type /${command} ${words}, or just ${words}.` }] }],
    footer: `/${command} help lists what it can do. The command name is bot.command in the config.`,
    tone: 'warning',
  };
}
