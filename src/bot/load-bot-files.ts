import { readFile } from 'node:fs/promises';
import { PLATFORM_IDS } from '../adapters/index.js';
import { BriefRegistry } from '../briefs/brief-registry.js';
import { readBriefs } from '../briefs/load-briefs.js';
import { readConfig, type ConfigRefs, type LoadedConfig } from '../config/load-config.js';
import { CronSlots } from '../digests/cron-slots.js';
import { closestMatch } from '../files/closest-match.js';
import { positionInYaml } from '../files/load-yaml.js';
import { fieldPath, InvalidFileError, type FileProblem } from '../files/problems.js';

/** The config and the briefs it points at, validated together. */
export interface BotFiles {
  loaded: LoadedConfig;
  briefs: BriefRegistry;
}

/**
 * Loads the config and every brief and checks them against each other (the
 * default brief and each digest's briefs must exist, platforms must be known,
 * schedules must fire). The checks across files run on whatever could be read,
 * even from files with other mistakes, so an admin fixes everything in one pass.
 */
export async function loadBotFiles(
  configFile: string,
  env: NodeJS.ProcessEnv = process.env,
  platformIds: readonly string[] = PLATFORM_IDS,
): Promise<BotFiles> {
  const config = await readConfig(configFile, env);
  const problems: FileProblem[] = [...config.problems];
  let briefs: BriefRegistry | undefined;
  let briefIds: string[] | undefined;
  if (config.refs.briefsDir) {
    const reading = await readBriefs(config.refs.briefsDir);
    problems.push(...reading.problems);
    briefIds = reading.ids;
    if (config.loaded && reading.problems.length === 0)
      briefs = new BriefRegistry(reading.briefs, config.loaded.config.bot.default_brief);
  }
  problems.push(...(await crossCheck(config.file, config.refs, briefIds, platformIds)));
  if (problems.length || !config.loaded || !briefs) throw new InvalidFileError(inFileOrder(problems, config.file));
  return { loaded: config.loaded, briefs };
}

async function crossCheck(
  file: string,
  refs: ConfigRefs,
  briefIds: string[] | undefined,
  platformIds: readonly string[],
): Promise<{ file: string; line?: number; column?: number; field: string; message: string }[]> {
  const found: { path: (string | number)[]; message: string }[] = [];
  if (briefIds?.length) {
    const known = new Set(briefIds);
    for (const { path, id } of [...(refs.defaultBrief ? [refs.defaultBrief] : []), ...refs.digestBriefs]) {
      if (known.has(id)) continue;
      const guess = closestMatch(id, briefIds);
      found.push({
        path,
        message: `no brief with id "${id}" in ${refs.briefsDir}${guess ? `; did you mean "${guess}"?` : ''} Known briefs: ${briefIds.join(', ')}`,
      });
    }
  }
  for (const { path, id } of refs.platforms) {
    if (platformIds.includes(id)) continue;
    const guess = closestMatch(id, [...platformIds]);
    found.push({
      path,
      message: `no platform called "${id}"${guess ? `; did you mean "${guess}"?` : ''} Platforms: ${platformIds.join(', ')}`,
    });
  }
  for (const { path, cron, timezone } of refs.schedules) {
    const never = neverFires(cron, timezone);
    if (never) found.push({ path, message: never });
  }
  if (found.length === 0) return [];
  const text = await readFile(file, 'utf8');
  return found.map(({ path, message }) => {
    const pos = positionInYaml(text, path);
    return { file, line: pos?.line, column: pos?.col, field: fieldPath(path), message };
  });
}

/** A schedule node-cron accepts that names no day that comes (the fifth Monday of February, say). */
function neverFires(cron: string, timezone: string): string | undefined {
  let slots: CronSlots | undefined;
  try {
    slots = new CronSlots(cron, timezone);
    return slots.nextAfter(new Date()) ? undefined : `never fires: no day in the coming years matches "${cron}"`;
  } catch {
    return undefined; // the schema has already said what is wrong with it
  } finally {
    slots?.dispose();
  }
}

/** The config's problems first, then each brief's, each file's by line. */
function inFileOrder(problems: FileProblem[], configFile: string): FileProblem[] {
  const rank = (p: FileProblem) => (p.file === configFile ? '' : p.file);
  return [...problems].sort((a, b) => rank(a).localeCompare(rank(b)) || (a.line ?? 0) - (b.line ?? 0));
}
