import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCommands } from './command-bench.js';
import { benchEvents } from './event-bench.js';
import { benchIngest } from './ingest-bench.js';
import { benchLoop } from './loop-bench.js';
import { benchMatching } from './match-bench.js';
import { benchPgPoll } from './pg-poll-bench.js';
import { benchPgReads } from './pg-reads-bench.js';
import { benchPoll } from './poll-bench.js';
import { benchSlackAck } from './slack-ack-bench.js';

/**
 * `npm run bench`: every benchmark, each in its own process so that one's heap
 * does not count in the next one's memory figures. Speed is measured here, never
 * by timed tests. `npm run bench -- match poll` runs some; `npm run bench -- pg`
 * runs the PostgreSQL ones (a group, below).
 */
const benches: Record<string, () => Promise<string>> = {
  commands: () => benchCommands(),
  events: () => benchEvents(),
  ingest: () => benchIngest(),
  loop: () => benchLoop(),
  match: () => benchMatching(),
  'pg-poll': () => benchPgPoll(),
  'pg-reads': () => benchPgReads(),
  poll: () => benchPoll(),
  'slack-ack': () => benchSlackAck(),
};

/** Names that stand for several benches. */
const groups: Record<string, string[]> = {
  pg: ['pg-reads', 'pg-poll'],
};

const [flag, childName] = process.argv.slice(2);
if (flag === '--child' && childName) {
  console.log(await benches[childName]!());
} else {
  const names = process.argv.slice(2).flatMap((n) => groups[n] ?? [n]);
  const unknown = names.filter((n) => !(n in benches));
  if (unknown.length) {
    const choices = [...Object.keys(benches), ...Object.keys(groups)].join(', ');
    console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${choices}`);
    process.exit(2);
  }
  for (const name of names.length ? names : Object.keys(benches)) {
    console.log(`--- ${name}`);
    const child = fork(fileURLToPath(import.meta.url), ['--child', name], {
      execArgv: process.execArgv,
      stdio: 'inherit',
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) process.exitCode = 1;
  }
}
