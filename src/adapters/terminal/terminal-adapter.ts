import { clearScreenDown, createInterface, cursorTo, moveCursor, type Interface } from 'node:readline';
import type { Message } from '../../messages/message.js';
import { renderText } from '../../render/text.js';
import type { ChatAdapter, CommandHandler, PostOptions, PostReceipt } from '../../messages/chat-adapter.js';
import { otherCommandMessage, readTypedLine } from './typed-line.js';

export interface TerminalAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The command name, or a function giving it now, so the prompt and typed lines follow a reloaded config. */
  command: string | (() => string);
  /** Lines printed once at start (e.g. how to connect Slack or Discord). */
  banner?: string[];
  /** The user id the terminal speaks as; "local" is an admin in the default config. */
  userId?: string;
  /** Whether to show a prompt (false when stdin is not a terminal). */
  prompt?: boolean;
  /**
   * Line editing and history (readline's terminal mode): arrow keys, Ctrl-A/E,
   * up-arrow for the last command. Default: on when a prompt is shown and the
   * input is a TTY; piped input is read as plain lines.
   */
  lineEditing?: boolean;
}

/** Commands remembered for the up-arrow in one session. */
const HISTORY_SIZE = 500;

/**
 * The embedded platform: type /deal commands at a prompt and read the answers.
 * Channel posts (digests, notices) are printed with the channel's name, so a
 * scheduled digest can be watched arriving in the terminal; anything printed
 * while the prompt waits (a post, a log line) goes above it and the prompt, with
 * what was typed so far, is drawn again.
 */
export class TerminalAdapter implements ChatAdapter {
  readonly platform = 'terminal';
  private rl: Interface | undefined;
  private inFlight = new Set<Promise<void>>();
  private posted = 0;
  private showPrompt = false;
  private lineEditing = false;
  /** The prompt is on screen, waiting for a line (not while an answer is being prepared). */
  private waiting = false;
  /** The command name the prompt last showed. */
  private promptCommand: string | undefined;
  private closedResolve: (() => void) | undefined;
  /** Resolves when the input ends (Ctrl-D or end of piped input) and answers are written. */
  readonly closed: Promise<void>;

  constructor(private readonly options: TerminalAdapterOptions) {
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
  }

  /** The command name now (it changes when the config is reloaded). */
  private command(): string {
    const { command } = this.options;
    return typeof command === 'function' ? command() : command;
  }

  async start(handler: CommandHandler): Promise<void> {
    const { input, output } = this.options;
    this.showPrompt = this.options.prompt ?? true;
    this.lineEditing = this.showPrompt && (this.options.lineEditing ?? (input as { isTTY?: boolean }).isTTY === true);
    for (const line of this.options.banner ?? []) output.write(`${line}\n`);
    const rl = createInterface({
      input,
      output: this.showPrompt ? output : undefined,
      terminal: this.lineEditing,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
    });
    this.rl = rl;
    this.prompt();
    let queue = Promise.resolve();
    rl.on('line', (line) => {
      this.waiting = false;
      const text = line.trim();
      if (!text) return this.prompt();
      if (text === 'exit' || text === 'quit') return rl.close();
      // Answer in the order typed, even when one answer takes longer.
      const job = (queue = queue.then(async () => {
        output.write(`\n${renderText(await this.answer(text, handler))}\n\n`);
        this.prompt();
      }));
      this.inFlight.add(job);
      void job.finally(() => this.inFlight.delete(job));
    });
    rl.on('close', () => {
      this.waiting = false;
      void Promise.all(this.inFlight).then(() => this.closedResolve?.());
    });
  }

  private async answer(line: string, handler: CommandHandler): Promise<Message> {
    const command = this.command();
    const typed = readTypedLine(line, command);
    if (typed.kind === 'other-command') return otherCommandMessage(typed, command);
    try {
      const reply = await handler({
        platform: 'terminal',
        command,
        text: typed.text,
        user: { id: this.options.userId ?? 'local', name: 'you' },
        channel: { id: 'terminal' },
      });
      return reply.message;
    } catch (err) {
      // The engine answers failures itself; this keeps the prompt alive if a handler does not.
      return { title: `Sorry, that failed: ${(err as Error).message}`, sections: [], tone: 'error' };
    }
  }

  private prompt(): void {
    if (!this.showPrompt || !this.rl) return;
    this.promptCommand = this.command();
    this.rl.setPrompt(`/${this.promptCommand} > `);
    this.rl.prompt(true);
    this.waiting = true;
  }

  /**
   * Writes text in one piece; when the prompt is waiting, above it, then draws
   * the prompt again with what was typed so far.
   */
  print(text: string): void {
    const { output } = this.options;
    if (!this.waiting || !this.rl) {
      output.write(text);
      return;
    }
    if (this.lineEditing) {
      // Clear the prompt and the typed line (which may wrap), print, and let readline redraw them.
      const rows = this.rl.getCursorPos().rows;
      moveCursor(output, 0, -rows);
      cursorTo(output, 0);
      clearScreenDown(output);
      // readline moves up as many rows as the line had before redrawing: give it blank ones.
      output.write(text + '\n'.repeat(rows));
    } else {
      output.write(`\n${text}`);
    }
    this.prompt();
  }

  /** After a config reload: if the command name changed, say so and show the prompt with the new name. */
  refreshPrompt(): void {
    const command = this.command();
    if (this.showPrompt && this.promptCommand !== undefined && command !== this.promptCommand) {
      this.print(`The config was reloaded: the command is now /${command}.\n`);
    }
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await Promise.all(this.inFlight);
  }

  async postToChannel(channelId: string, message: Message, options?: PostOptions): Promise<PostReceipt> {
    this.posted += 1;
    const tag = options?.idempotencyKey ? ` (${options.idempotencyKey})` : '';
    this.print(`\n[#${channelId}]${tag}\n${renderText(message)}\n\n`);
    return { channelId, messageId: `terminal-${Date.now()}-${this.posted}` };
  }
}
