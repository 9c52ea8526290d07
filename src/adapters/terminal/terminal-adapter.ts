import { createInterface, type Interface } from 'node:readline';
import type { Message } from '../../messages/message.js';
import { renderText } from '../../render/text.js';
import type { ChatAdapter, CommandHandler, PostOptions, PostReceipt } from '../../messages/chat-adapter.js';

export interface TerminalAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The command name, for the prompt's hint. */
  command: string;
  /** Lines printed once at start (e.g. how to connect Slack or Discord). */
  banner?: string[];
  /** The user id the terminal speaks as; "local" is an admin in the default config. */
  userId?: string;
  /** Whether to show a prompt (false when stdin is not a terminal). */
  prompt?: boolean;
}

/**
 * The embedded platform: type /deal commands at a prompt and read the answers.
 * Channel posts (digests, notices) are printed with the channel's name, so a
 * scheduled digest can be watched arriving in the terminal.
 */
export class TerminalAdapter implements ChatAdapter {
  readonly platform = 'terminal';
  private rl: Interface | undefined;
  private inFlight = new Set<Promise<void>>();
  private posted = 0;
  private closedResolve: (() => void) | undefined;
  /** Resolves when the input ends (Ctrl-D or end of piped input) and answers are written. */
  readonly closed: Promise<void>;

  constructor(private readonly options: TerminalAdapterOptions) {
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
  }

  async start(handler: CommandHandler): Promise<void> {
    const { input, output, command } = this.options;
    const showPrompt = this.options.prompt ?? true;
    for (const line of this.options.banner ?? []) output.write(`${line}\n`);
    this.rl = createInterface({ input, output: showPrompt ? output : undefined, terminal: false });
    if (showPrompt) this.rl.setPrompt(`/${command} > `);
    const prompt = () => showPrompt && this.rl?.prompt();
    prompt();
    let queue = Promise.resolve();
    this.rl.on('line', (line) => {
      const text = line.trim();
      if (!text) return prompt();
      if (text === 'exit' || text === 'quit') return this.rl?.close();
      // Answer in the order typed, even when one answer takes longer.
      const job = (queue = queue.then(async () => {
        const reply = await handler({
          platform: 'terminal',
          command,
          text,
          user: { id: this.options.userId ?? 'local', name: 'you' },
          channel: { id: 'terminal' },
        });
        output.write(`\n${renderText(reply.message)}\n\n`);
        prompt();
      }));
      this.inFlight.add(job);
      void job.finally(() => this.inFlight.delete(job));
    });
    this.rl.on('close', () => {
      void Promise.all(this.inFlight).then(() => this.closedResolve?.());
    });
  }

  async stop(): Promise<void> {
    this.rl?.close();
    await Promise.all(this.inFlight);
  }

  async postToChannel(channelId: string, message: Message, options?: PostOptions): Promise<PostReceipt> {
    this.posted += 1;
    const tag = options?.idempotencyKey ? ` (${options.idempotencyKey})` : '';
    this.options.output.write(`\n[#${channelId}]${tag}\n${renderText(message)}\n\n`);
    return { channelId, messageId: `terminal-${Date.now()}-${this.posted}` };
  }
}
