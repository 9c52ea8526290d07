import type { AdapterModule } from '../adapter-module.js';
import { renderText } from '../../render/text.js';
import { terminalBanner } from './banner.js';
import { TerminalAdapter } from './terminal-adapter.js';

/** The terminal is not started from the environment: the composition root starts it when no platform is configured. */
export const terminalModule: AdapterModule = {
  platform: 'terminal',
  fromEnv: () => null,
  render: (message) => renderText(message),
  connectHint: 'Type /deal help to start; "exit" or Ctrl-D quits.',
};

export interface TerminalFallbackOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** stdin is a terminal: show the banner and a prompt. */
  interactive: boolean;
  /** The command name now: the prompt follows a reloaded config. */
  command: () => string;
  /** How to connect each other platform, for the banner. */
  connectHints: readonly string[];
}

/** The bot in the terminal, for when no chat platform's tokens are set. */
export function terminalFallback(options: TerminalFallbackOptions): TerminalAdapter {
  return new TerminalAdapter({
    input: options.input,
    output: options.output,
    command: options.command,
    prompt: options.interactive,
    banner: options.interactive ? terminalBanner(options.command(), options.connectHints) : [],
  });
}

export { TerminalAdapter };
export { TerminalLog } from './terminal-log.js';
