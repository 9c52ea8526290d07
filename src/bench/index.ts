import { benchCommands } from './command-bench.js';
import { benchMatching } from './match-bench.js';
import { benchPoll } from './poll-bench.js';

/**
 * `npm run bench`: every benchmark in one run, each printing its figures. Speed is
 * measured here, never by timed tests.
 */
const benches: { name: string; run: () => Promise<string> }[] = [
  { name: 'commands', run: () => benchCommands() },
  { name: 'matching', run: () => benchMatching() },
  { name: 'poll', run: () => benchPoll() },
];

const only = process.argv.slice(2);
for (const bench of benches) {
  if (only.length && !only.includes(bench.name)) continue;
  console.log(await bench.run());
}
