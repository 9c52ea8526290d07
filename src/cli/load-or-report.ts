import { loadBotFiles, type BotFiles } from '../bot/load-bot-files.js';
import { DEFAULT_CONFIG_FILE, loadConfig, type LoadedConfig } from '../config/load-config.js';
import { formatProblems, InvalidFileError } from '../files/problems.js';
import type { CliIO } from './cli-command.js';

/**
 * The config (and briefs) a CLI command needs, or null after printing every
 * problem with file and line: each command then exits 1 the same way.
 */
export async function loadFilesOrReport(configFlag: string | undefined, io: CliIO): Promise<BotFiles | null> {
  return reportProblems(io, () => loadBotFiles(configFlag ?? DEFAULT_CONFIG_FILE, io.env));
}

/** The config alone, for commands that do not read briefs. */
export async function loadConfigOrReport(configFlag: string | undefined, io: CliIO): Promise<LoadedConfig | null> {
  return reportProblems(io, () => loadConfig(configFlag ?? DEFAULT_CONFIG_FILE, io.env));
}

async function reportProblems<T>(io: CliIO, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (!(err instanceof InvalidFileError)) throw err;
    io.stderr.write(`${formatProblems(err.problems)}\n`);
    return null;
  }
}
