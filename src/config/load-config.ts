import path from 'node:path';
import { configSchema, type Config } from './schema.js';
import { loadYamlFile } from '../files/load-yaml.js';

export const DEFAULT_CONFIG_FILE = 'config/dealbot.yaml';

/** A validated config and the file it came from, so relative paths resolve against it. */
export interface LoadedConfig {
  file: string;
  config: Config;
  /** Absolute path of the briefs folder. */
  briefsDir: string;
  /** Absolute path of the database file (DEALBOT_DB overrides the config). */
  databasePath: string;
}

/**
 * Loads and validates the config. Relative paths in it are taken from the project
 * root (the config file's parent folder's parent when it lives in config/), so the
 * bot behaves the same whatever directory it is started from.
 */
export async function loadConfig(
  file: string = DEFAULT_CONFIG_FILE,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  const config = await loadYamlFile(absolute, configSchema);
  const root = projectRootOf(absolute);
  return {
    file: absolute,
    config,
    briefsDir: path.resolve(root, config.bot.briefs_dir),
    databasePath: env.DEALBOT_DB ? path.resolve(env.DEALBOT_DB) : path.resolve(root, config.storage.database),
  };
}

function projectRootOf(configFile: string): string {
  const dir = path.dirname(configFile);
  return path.basename(dir) === 'config' ? path.dirname(dir) : dir;
}
