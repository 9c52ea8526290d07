import { PassThrough, Writable } from 'node:stream';
import { TerminalAdapter } from '../../../../src/adapters/terminal/terminal-adapter.js';
import { controlCharsIn, visibleLines, type ContractDriver, type Delivery } from './contract-driver.js';

/**
 * The terminal over PassThrough streams. A terminal speaks as one user, so each
 * user gets their own TerminalAdapter (same handler, same config); the admin's
 * terminal is the one posts go through. The output stream records each write, so
 * an answer is exactly the one write the adapter made for it.
 */

interface Terminal {
  adapter: TerminalAdapter;
  input: PassThrough;
  /** Resolves with the adapter's next write to its output. */
  nextWrite(timeoutMs?: number): Promise<string>;
}

function openTerminal(command: string, userId: string): Terminal {
  const input = new PassThrough();
  const writes: string[] = [];
  let waiter: ((text: string) => void) | undefined;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      writes.push(text);
      waiter?.(text);
      done();
    },
  });
  const adapter = new TerminalAdapter({ input, output, command, userId, prompt: false });
  return {
    adapter,
    input,
    nextWrite(timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`terminal ${userId}: no output within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiter = (text) => {
          clearTimeout(timer);
          waiter = undefined;
          resolve(text);
        };
      });
    },
  };
}

const delivery = (text: string): Delivery => ({ payload: text, visibility: undefined, lines: visibleLines([text]) });

export const terminalDriver: ContractDriver = {
  platform: 'terminal',
  users: { admin: 'local', member: 'guest' },
  channel: 'digests',
  notApplicable: {
    visibility: 'a terminal has one reader, so an answer is neither private nor channel-wide',
    findPosted: 'the terminal keeps no message history, so TerminalAdapter has no findPosted',
  },

  async start({ config, handler }) {
    const command = config.bot.command;
    const terminals = new Map<string, Terminal>();
    const terminalFor = async (userId: string) => {
      let t = terminals.get(userId);
      if (!t) {
        t = openTerminal(command, userId);
        terminals.set(userId, t);
        await t.adapter.start(handler);
      }
      return t;
    };
    const poster = await terminalFor(terminalDriver.users.admin);

    return {
      adapter: poster.adapter,
      async ask(text, userId) {
        const t = await terminalFor(userId);
        const answer = t.nextWrite();
        t.input.write(`/${command} ${text}\n`);
        return delivery(await answer);
      },
      async post(message, options) {
        const written = poster.nextWrite();
        const receipt = await poster.adapter.postToChannel(terminalDriver.channel, message, options);
        return { receipt, delivery: delivery(await written) };
      },
      liveMarkup: (d) => controlCharsIn(String(d.payload)),
      async stop() {
        for (const t of terminals.values()) {
          t.input.end();
          await t.adapter.stop();
        }
      },
    };
  },
};
