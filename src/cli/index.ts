#!/usr/bin/env node
import { processIO } from './cli-command.js';
import { CLI_COMMANDS } from './registry.js';

function helpText(): string {
  const width = Math.max(...CLI_COMMANDS.map((c) => c.name.length));
  return [
    'dealbot — keeps a chat team briefed on a live news story.',
    '',
    'Usage: dealbot <command> [options]   (every command takes --config FILE, default config/dealbot.yaml)',
    '',
    ...CLI_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "dealbot <command> --help" for its options.',
  ].join('\n');
}

export async function main(argv: string[], io = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(helpText() + '\n');
    return 0;
  }
  const command = CLI_COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`dealbot: unknown command "${name}".\n\n${helpText()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return 0;
  }
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`dealbot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
