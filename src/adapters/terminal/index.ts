import type { AdapterModule } from '../adapter-module.js';
import { renderText } from '../../render/text.js';
import { TerminalAdapter } from './terminal-adapter.js';

/** The terminal is not started from the environment: main starts it when no platform is configured. */
export const terminalModule: AdapterModule = {
  platform: 'terminal',
  fromEnv: () => null,
  render: (message) => renderText(message),
  connectHint: 'Type /deal help to start; "exit" or Ctrl-D quits.',
};

export { TerminalAdapter };
