#!/usr/bin/env node
import { processIO } from './cli-command.js';
import { CLI_COMMAND_NAMES, loadAllCliCommands, loadCliCommand } from './registry.js';

async function helpText(): Promise<string> {
  const commands = await loadAllCliCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'dealbot — keeps a chat team briefed on a live news story.',
    '',
    'Usage: dealbot <command> [options]   (every command takes --config FILE, default config/dealbot.yaml)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "npx dealbot <command> --help" for its options.',
  ].join('\n');
}

export async function main(argv: string[], io = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write((await helpText()) + '\n');
    return 0;
  }
  const loading = loadCliCommand(name);
  if (!loading) {
    io.stderr.write(
      `dealbot: unknown command "${name}". Commands: ${CLI_COMMAND_NAMES.join(', ')}.\nRun "npx dealbot help" for what each does.\n`,
    );
    return 2;
  }
  const command = await loading;
  if (rest.includes('--help') || rest.includes('-h')) {
    const details = command.details ? `\n${await command.details()}\n` : '';
    io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n${details}`);
    return 0;
  }
  return command.run(rest, io);
}

/**
 * `dealbot … | head -3` (or `2>&1 | head -3`): once the reader closes the pipe, nothing more can be shown, so
 * stop quietly, as any command-line tool does, instead of dying with a stack trace.
 */
function exitQuietlyWhenOutputCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
exitQuietlyWhenOutputCloses(process.stdout);
exitQuietlyWhenOutputCloses(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`dealbot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
