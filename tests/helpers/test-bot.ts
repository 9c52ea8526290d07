import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { TerminalAdapter } from '../../src/adapters/terminal/terminal-adapter.js';
import type { CommandInvocation, CommandReply } from '../../src/messages/chat-adapter.js';
import { createCommandEngine } from '../../src/commands/engine.js';
import type { Services } from '../../src/commands/services.js';
import type { Subcommand } from '../../src/commands/subcommand.js';
import { loadBotFiles, type BotFiles } from '../../src/bot/load-bot-files.js';
import { shippedConfig } from './paths.js';

/**
 * A bot for tests that read like a conversation: `await bot.ask('/deal facts')`
 * goes through the real terminal adapter and command engine and returns the text
 * a person would read. `bot.reply()` gives the message model instead.
 */
export interface TestBot {
  files: BotFiles;
  ask(text: string): Promise<string>;
  reply(
    text: string,
    who?: Partial<Pick<CommandInvocation, 'platform'>> & { user?: CommandInvocation['user'] },
  ): Promise<CommandReply>;
  close(): Promise<void>;
}

export async function createTestBot(
  options: { configFile?: string; services?: Services; subcommands?: Subcommand[] } = {},
): Promise<TestBot> {
  const files = await loadBotFiles(options.configFile ?? shippedConfig, {});
  const config = files.loaded.config;
  const engine = createCommandEngine({
    getConfig: () => config,
    getBriefs: () => files.briefs,
    services: options.services ?? {},
    subcommands: options.subcommands,
  });
  const input = new PassThrough();
  const output = new PassThrough();
  let buffer = '';
  output.on('data', (chunk: Buffer) => (buffer += chunk.toString('utf8')));
  const terminal = new TerminalAdapter({ input, output, command: config.bot.command, prompt: false });
  await terminal.start(engine);

  return {
    files,
    async ask(text) {
      const start = buffer.length;
      input.write(`${text}\n`);
      // Answers are written in order; wait until this one has arrived.
      for (let i = 0; i < 500 && buffer.length === start; i++) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 5));
      return buffer.slice(start).trim();
    },
    reply(text, who = {}) {
      return engine({
        platform: who.platform ?? 'terminal',
        command: config.bot.command,
        text,
        user: who.user ?? { id: 'local' },
        channel: { id: 'test' },
      });
    },
    async close() {
      input.end();
      await terminal.stop();
    },
  };
}

/** Writes files into a fresh temporary folder and returns its path. */
export function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}
