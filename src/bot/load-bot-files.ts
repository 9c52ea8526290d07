import { readFile } from 'node:fs/promises';
import { PLATFORM_IDS } from '../adapters/index.js';
import { BriefRegistry } from '../briefs/brief-registry.js';
import { closestMatch } from '../commands/closest-match.js';
import { loadBriefs } from '../briefs/load-briefs.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { positionInYaml } from '../files/load-yaml.js';
import { fieldPath, InvalidFileError, type FileProblem } from '../files/problems.js';

/** The config and the briefs it points at, validated together. */
export interface BotFiles {
  loaded: LoadedConfig;
  briefs: BriefRegistry;
}

/**
 * Loads the config and every brief and checks them against each other (the
 * default brief and each digest's briefs must exist). Collects the problems of
 * all files before failing, so an admin fixes everything in one pass.
 */
export async function loadBotFiles(
  configFile: string,
  env: NodeJS.ProcessEnv = process.env,
  platformIds: readonly string[] = PLATFORM_IDS,
): Promise<BotFiles> {
  const problems: FileProblem[] = [];
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig(configFile, env);
  } catch (err) {
    if (!(err instanceof InvalidFileError)) throw err;
    problems.push(...err.problems);
  }
  let briefs: BriefRegistry | undefined;
  if (loaded) {
    try {
      const list = await loadBriefs(loaded.briefsDir);
      briefs = new BriefRegistry(list, loaded.config.bot.default_brief);
    } catch (err) {
      if (!(err instanceof InvalidFileError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (loaded && briefs) problems.push(...(await crossCheck(loaded, briefs, platformIds)));
  if (problems.length || !loaded || !briefs) throw new InvalidFileError(problems);
  return { loaded, briefs };
}

async function crossCheck(
  loaded: LoadedConfig,
  briefs: BriefRegistry,
  platformIds: readonly string[],
): Promise<FileProblem[]> {
  const missing: { path: (string | number)[]; id: string }[] = [];
  const { config } = loaded;
  if (!briefs.get(config.bot.default_brief))
    missing.push({ path: ['bot', 'default_brief'], id: config.bot.default_brief });
  config.digests.forEach((d, i) =>
    d.briefs?.forEach((id, j) => {
      if (!briefs.get(id)) missing.push({ path: ['digests', i, 'briefs', j], id });
    }),
  );
  const found: { path: (string | number)[]; message: string }[] = missing.map(({ path, id }) => ({
    path,
    message: `no brief with id "${id}" in ${loaded.briefsDir}; known briefs: ${briefs.ids().join(', ')}`,
  }));
  found.push(...unknownPlatforms(config, platformIds));
  if (found.length === 0) return [];
  const text = await readFile(loaded.file, 'utf8');
  return found.map(({ path, message }) => {
    const pos = positionInYaml(text, path);
    return { file: loaded.file, line: pos?.line, column: pos?.col, field: fieldPath(path), message };
  });
}

/** Platform ids the config names that no adapter serves (src/adapters/index.ts lists them). */
function unknownPlatforms(
  config: LoadedConfig['config'],
  platformIds: readonly string[],
): { path: (string | number)[]; message: string }[] {
  const named: { path: (string | number)[]; id: string }[] = [
    ...Object.keys(config.admins.platforms).map((id) => ({ path: ['admins', id], id })),
    ...config.digests.map((d, i) => ({ path: ['digests', i, 'platform'], id: d.platform })),
    ...(config.admins.notices ? [{ path: ['admins', 'notices', 'platform'], id: config.admins.notices.platform }] : []),
  ];
  return named
    .filter(({ id }) => !platformIds.includes(id))
    .map(({ path, id }) => {
      const guess = closestMatch(id, [...platformIds]);
      return {
        path,
        message: `no platform called "${id}"${guess ? `; did you mean "${guess}"?` : ''} Platforms: ${platformIds.join(', ')}`,
      };
    });
}
