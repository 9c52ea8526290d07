import type { CommandHandler, CommandInvocation, CommandReply } from '../messages/chat-adapter.js';
import type { BriefRegistry } from '../briefs/brief-registry.js';
import type { Config } from '../config/schema.js';
import type { Message } from '../messages/message.js';
import { isAdmin } from './admin-check.js';
import { closestMatch } from '../files/closest-match.js';
import { helpMessage } from './help-message.js';
import { parseInvocation } from './parse-invocation.js';
import type { Services } from './services.js';
import type { Subcommand } from './subcommand.js';
import { SUBCOMMANDS } from './subcommands/index.js';
import { UsageProblem } from './usage-problem.js';
import { isStoreUnavailable } from '../store/store-unavailable.js';

export interface EngineDeps {
  /** Read on every command, so a reloaded config or brief set applies at once. */
  getConfig: () => Config;
  getBriefs: () => BriefRegistry;
  services: Services;
  subcommands?: Subcommand[];
  now?: () => Date;
  /** Told about unexpected failures; the user gets a short apology instead. */
  onError?: (err: unknown, invocation: CommandInvocation) => void;
}

/**
 * The command engine: platform-free. It takes the neutral invocation from any
 * adapter and answers with a message model. It never throws: unknown words get
 * help with the closest match, failures get a short apology and a log line.
 */
export function createCommandEngine(deps: EngineDeps): CommandHandler {
  const subcommands = deps.subcommands ?? SUBCOMMANDS;
  const now = deps.now ?? (() => new Date());

  return async (invocation) => {
    const config = deps.getConfig();
    const briefs = deps.getBriefs();
    const command = config.bot.command;
    const admin = isAdmin(config, invocation);
    const parsed = parseInvocation(invocation.text, (name) => subcommands.some((s) => s.name === name && s.freeText));
    const reply = (message: Message, share = parsed.share): CommandReply => ({
      message,
      visibility: share ? 'channel' : 'private',
    });
    // Not answered as asked: always private, and marked so scripts can tell.
    const refuse = (message: Message): CommandReply => ({ message, visibility: 'private', refused: true });
    const warning = (title: string, lines: string[], footer?: string): Message => ({
      title,
      sections: [{ items: lines.map((text) => ({ text })) }],
      ...(footer ? { footer } : {}),
      tone: 'warning',
    });
    const help = (lead?: string) => helpMessage({ command, subcommands, brief: briefs.default, isAdmin: admin, lead });

    if (parsed.subcommand === '' || parsed.subcommand === 'help') return reply(help());

    const sub = subcommands.find((s) => s.name === parsed.subcommand);
    if (!sub) {
      const names = ['help', ...subcommands.filter((s) => admin || !s.adminOnly).map((s) => s.name)];
      const guess = closestMatch(parsed.subcommand, names);
      const lead = `I don't know "${parsed.subcommand}".${guess ? ` Did you mean /${command} ${guess}?` : ''} Here is what I can do:`;
      return refuse({ ...help(lead), tone: 'warning' });
    }
    const usage = `Usage: /${command} ${sub.usage}`;
    if (sub.adminOnly && !admin) {
      return refuse(
        warning(`/${command} ${sub.name} is for admins`, [
          `Only the bot's admins can use this. If you need it, ask an admin to add your user id (${invocation.user.id}) under admins.${invocation.platform} in the config.`,
        ]),
      );
    }

    if (sub.needsStore && !deps.services.store) {
      return refuse(
        warning(
          `/${command} ${sub.name} needs the bot's database`,
          ['This session has no database open, so there are no stored stories or feed states to show.'],
          `/${command} facts and the other brief lookups still answer. Ask where the bot runs, or run npx dealbot ask "/${command} ${sub.name}" on its machine.`,
        ),
      );
    }

    let args = parsed.args;
    let brief = briefs.default;
    let briefGiven = false;
    if (sub.takesBriefArg) {
      const picked = args.find((a) => briefs.get(a.toLowerCase()));
      if (picked) {
        brief = briefs.get(picked.toLowerCase())!;
        briefGiven = true;
        args = args.filter((a) => a !== picked);
      }
      if (args.length > 0 && !sub.acceptsOtherArgs) {
        if (picked) {
          return refuse(
            warning(`Too many words for /${command} ${sub.name}`, [
              `It takes one brief id: leave out ${quoted(args)}, or ask /${command} ${sub.name} ${picked}.`,
              usage,
            ]),
          );
        }
        const guess = closestMatch(args[0]!, briefs.ids());
        return refuse(
          warning(`No brief called "${args[0]}"`, [
            guess
              ? `Did you mean /${command} ${sub.name} ${guess}?`
              : `/${command} ${sub.name} takes a brief id, or nothing for the default brief.`,
            ...(args.length > 1 ? [`It takes one brief id; ${quoted(args.slice(1))} would be too many words.`] : []),
            `Briefs: ${briefs.ids().join(', ')}`,
          ]),
        );
      }
    }
    if (sub.maxArgs !== undefined && args.length > sub.maxArgs) {
      const takes =
        sub.maxArgs === 0 ? 'takes no words' : `takes at most ${sub.maxArgs} word${sub.maxArgs === 1 ? '' : 's'}`;
      return refuse(
        warning(`Too many words for /${command} ${sub.name}`, [
          `/${command} ${sub.name} ${takes}: leave out ${quoted(args.slice(sub.maxArgs))}.`,
          usage,
        ]),
      );
    }

    try {
      const message = await sub.run({
        invocation,
        args,
        brief,
        briefGiven,
        briefs,
        config,
        isAdmin: admin,
        services: deps.services,
        now: now(),
      });
      return reply(message);
    } catch (err) {
      if (err instanceof UsageProblem) return refuse(warning(err.problem, [...err.help, usage]));
      deps.onError?.(err, invocation);
      // Not our bug and not the user's: the database is down. Say so, and when to ask again.
      if (isStoreUnavailable(err)) {
        return refuse(
          warning(`/${command} ${sub.name} cannot answer right now`, [
            `The database at ${err.target} is not answering; try again in a minute. The admins can see why in the bot's log.`,
          ]),
        );
      }
      return refuse({
        ...warning(`Sorry, /${command} ${sub.name} failed`, [
          "Something went wrong on our side; the admins can find the details in the bot's log. Please try again in a moment.",
        ]),
        tone: 'error',
      });
    }
  };
}

/** "x", or "x" and "y", or "x", "y" and "z": words as the user typed them. */
function quoted(words: readonly string[]): string {
  const q = words.map((w) => `"${w}"`);
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} and ${q.at(-1)}` : (q[0] ?? '');
}
