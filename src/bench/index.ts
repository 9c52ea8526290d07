import { benchCommands } from './command-bench.js';
import { benchIngest } from './ingest-bench.js';
import { benchMatching } from './match-bench.js';
import { benchPoll } from './poll-bench.js';
import { benchSlackAck } from './slack-ack-bench.js';

/**
 * `npm run bench`: every benchmark in one run, each printing its figures. Speed is
 * measured here, never by timed tests. `npm run bench -- match poll` runs some.
 */
const benches: { name: string; run: () => Promise<string> }[] = [
  { name: 'commands', run: () => benchCommands() },
  { name: 'ingest', run: () => benchIngest() },
  { name: 'match', run: () => benchMatching() },
  { name: 'poll', run: () => benchPoll() },
  { name: 'slack-ack', run: () => benchSlackAck() },
];

const only = process.argv.slice(2);
for (const bench of benches) {
  if (only.length && !only.includes(bench.name)) continue;
  console.log(`--- ${bench.name}`);
  console.log(await bench.run());
}
