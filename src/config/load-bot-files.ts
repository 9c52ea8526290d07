import { readFile } from 'node:fs/promises';
import { BriefRegistry } from '../briefs/brief-registry.js';
import { loadBriefs } from '../briefs/load-briefs.js';
import { loadConfig, type LoadedConfig } from './load-config.js';
import { positionInYaml } from './load-yaml.js';
import { fieldPath, InvalidFileError, type FileProblem } from './problems.js';

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
export async function loadBotFiles(configFile: string, env: NodeJS.ProcessEnv = process.env): Promise<BotFiles> {
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
  if (loaded && briefs) problems.push(...(await crossCheck(loaded, briefs)));
  if (problems.length || !loaded || !briefs) throw new InvalidFileError(problems);
  return { loaded, briefs };
}

async function crossCheck(loaded: LoadedConfig, briefs: BriefRegistry): Promise<FileProblem[]> {
  const missing: { path: (string | number)[]; id: string }[] = [];
  const { config } = loaded;
  if (!briefs.get(config.bot.default_brief)) missing.push({ path: ['bot', 'default_brief'], id: config.bot.default_brief });
  config.digests.forEach((d, i) =>
    d.briefs?.forEach((id, j) => {
      if (!briefs.get(id)) missing.push({ path: ['digests', i, 'briefs', j], id });
    }),
  );
  if (missing.length === 0) return [];
  const text = await readFile(loaded.file, 'utf8');
  return missing.map(({ path, id }) => {
    const pos = positionInYaml(text, path);
    return {
      file: loaded.file,
      line: pos?.line,
      column: pos?.col,
      field: fieldPath(path),
      message: `no brief with id "${id}" in ${loaded.briefsDir}; known briefs: ${briefs.ids().join(', ')}`,
    };
  });
}
