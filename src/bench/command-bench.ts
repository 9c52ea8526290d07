import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createCommandEngine } from '../commands/engine.js';
import { loadBotFiles } from '../bot/load-bot-files.js';
import { renderText } from '../render/text.js';
import { formatMs, percentile } from './stats.js';

/**
 * Answering a command is in-process work on briefs already in memory: this
 * measures the engine plus the text renderer over a mix of subcommands.
 */
export async function benchCommands(configFile = 'config/dealbot.yaml', rounds = 20_000): Promise<string> {
  const files = await loadBotFiles(configFile, {});
  const engine = createCommandEngine({
    getConfig: () => files.loaded.config,
    getBriefs: () => files.briefs,
    services: {},
  });
  const texts = [
    '/deal facts',
    '/deal reactions',
    '/deal sources',
    '/deal timeline',
    '/deal help',
    '/deal fcats',
    '/deal faq share',
  ];
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const text = texts[i % texts.length]!;
    const start = performance.now();
    const reply = await engine({
      platform: 'terminal',
      command: 'deal',
      text,
      user: { id: 'local' },
      channel: { id: 'bench' },
    });
    renderText(reply.message);
    samples.push(performance.now() - start);
  }
  const warm = samples.slice(Math.floor(rounds / 10));
  return `commands: ${rounds} answers (engine + text render): median ${formatMs(percentile(warm, 50))}, p99 ${formatMs(percentile(warm, 99))}`;
}

if (import.meta.url === pathToFileURL(path.resolve(process.argv[1] ?? '')).href) {
  console.log(await benchCommands());
}
