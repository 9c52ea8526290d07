import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: every benchmark, each in its own process that loads only its own
 * modules, so that one's heap and modules (Bolt, discord.js, pg) do not count in
 * another's memory figures. Speed is measured here, never by timed tests.
 * `npm run bench -- match poll` runs some; `npm run bench -- pg` runs the PostgreSQL
 * ones (a group, below).
 */
const benches: Record<string, () => Promise<string>> = {
  commands: async () => (await import('./command-bench.js')).benchCommands(),
  events: async () => (await import('./event-bench.js')).benchEvents(),
  ingest: async () => (await import('./ingest-bench.js')).benchIngest(),
  loop: async () => (await import('./loop-bench.js')).benchLoop(),
  match: async () => (await import('./match-bench.js')).benchMatching(),
  'pg-poll': async () => (await import('./pg-poll-bench.js')).benchPgPoll(),
  'pg-reads': async () => (await import('./pg-reads-bench.js')).benchPgReads(),
  poll: async () => (await import('./poll-bench.js')).benchPoll(),
  'slack-ack': async () => (await import('./slack-ack-bench.js')).benchSlackAck(),
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
