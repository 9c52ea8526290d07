import { existsSync } from 'node:fs';
import path from 'node:path';
import { configSchema, DIGEST_DEFAULTS, type Config } from './schema.js';
import { positionInYaml, readYamlFile } from '../files/load-yaml.js';
import { InvalidFileError, isSound, valueAt, type FileProblem } from '../files/problems.js';

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

/** A name the config uses that must exist elsewhere (a brief id, a platform id), and where it is. */
export interface ConfigRef {
  path: (string | number)[];
  id: string;
}

/**
 * What other files are checked against, read even from an invalid config: each part is
 * left out when it is itself wrong, so those checks run in the same pass as the schema.
 */
export interface ConfigRefs {
  /** Absolute path of the briefs folder, unless bot.briefs_dir is invalid. */
  briefsDir?: string;
  defaultBrief?: ConfigRef;
  /** Brief ids listed by digests. */
  digestBriefs: ConfigRef[];
  /** Platform ids named by admins, notices and digests. */
  platforms: ConfigRef[];
  /** Each digest's cron and time zone, when both are valid. */
  schedules: { path: (string | number)[]; cron: string; timezone: string }[];
}

/** The config file read: valid (`loaded`) or not (`problems`), and its references either way. */
export interface ConfigReading {
  file: string;
  loaded?: LoadedConfig;
  problems: FileProblem[];
  refs: ConfigRefs;
}

/**
 * Loads and validates the config. Relative paths in it (bot.briefs_dir,
 * storage.database) are relative to the folder the config file is in, so the bot
 * behaves the same whatever directory it is started from.
 */
export async function loadConfig(
  file: string = DEFAULT_CONFIG_FILE,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedConfig> {
  const reading = await readConfig(file, env);
  if (!reading.loaded) throw new InvalidFileError(reading.problems);
  return reading.loaded;
}

/** Like loadConfig, but returns the problems with what could still be read instead of throwing. */
export async function readConfig(
  file: string = DEFAULT_CONFIG_FILE,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ConfigReading> {
  const absolute = path.resolve(file);
  const reading = await readYamlFile(absolute, configSchema);
  const base = path.dirname(absolute);
  const refs = refsOf(reading.doc, reading.badPaths, base);
  const moved = movedPaths(absolute, reading.doc, reading.badPaths, env, reading.text);
  if (moved.some((p) => p.field === 'bot.briefs_dir')) delete refs.briefsDir;
  const empty = reading.text !== undefined && isBlankYaml(reading.text) ? [emptyConfigProblem(absolute)] : [];
  const config = reading.value;
  if (!config || moved.length || empty.length)
    return { file: absolute, problems: [...reading.problems, ...empty, ...moved], refs };
  return {
    file: absolute,
    problems: [],
    refs,
    loaded: {
      file: absolute,
      config,
      briefsDir: path.resolve(base, config.bot.briefs_dir),
      databasePath: env.DEALBOT_DB
        ? databaseAt(process.cwd(), env.DEALBOT_DB)
        : databaseAt(base, config.storage.database),
    },
  };
}

/** Nothing but blank lines, comments and document markers: a file emptied or cut short while being saved. */
function isBlankYaml(text: string): boolean {
  return text.split(/\r?\n/).every((line) => /^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*$/.test(line));
}

/**
 * Every key has a default, so an empty file would otherwise load as a bot with no feeds:
 * at start it is refused, and on reload the last good config keeps running.
 */
function emptyConfigProblem(file: string): FileProblem {
  return {
    file,
    message:
      'the config is empty (nothing but blank lines or comments), perhaps cut short while being saved; restore it (it needs at least feeds.list) and check it with npx dealbot check-config',
  };
}

/**
 * A database file path resolved against `base`. ':memory:' and anything with a scheme
 * (sqlite:…, postgres://…) are not paths and stay as written, so openStore can open or
 * refuse them by name instead of creating a file or folder called "postgres:".
 */
function databaseAt(base: string, location: string): string {
  // Two letters at least before the colon, so a Windows drive (C:\…) is still a path.
  return location === ':memory:' || /^[a-z][a-z0-9+.-]+:/i.test(location) ? location : path.resolve(base, location);
}

/**
 * Relative paths used to be taken from the parent of a folder named `config`. A path
 * that exists only under that old rule is pointed out, so an upgraded install neither
 * loses its briefs nor starts afresh with an empty database beside the config file.
 */
function movedPaths(
  file: string,
  doc: unknown,
  badPaths: PropertyKey[][],
  env: NodeJS.ProcessEnv,
  text: string | undefined,
): FileProblem[] {
  const base = path.dirname(file);
  if (doc === undefined || path.basename(base) !== 'config') return [];
  const keys: [string, string, string][] = [
    ['bot', 'briefs_dir', DEFAULTS.bot.briefs_dir],
    ...(env.DEALBOT_DB ? [] : [['storage', 'database', DEFAULTS.storage.database] as [string, string, string]]),
  ];
  const problems: FileProblem[] = [];
  for (const [section, key, fallback] of keys) {
    if (!isSound([section, key], badPaths)) continue;
    const written = valueAt(doc, [section, key]) ?? fallback;
    if (typeof written !== 'string' || path.isAbsolute(written) || databaseAt(base, written) === written) continue;
    const now = path.resolve(base, written);
    const before = path.resolve(base, '..', written);
    if (existsSync(now) || !existsSync(before)) continue;
    const suggestion = path.relative(base, before);
    const pos = text === undefined ? undefined : positionInYaml(text, [section, key]);
    problems.push({
      file,
      line: pos?.line,
      column: pos?.col,
      field: `${section}.${key}`,
      message: `"${written}" is relative to the config file's folder, so it means ${now}, which does not exist; ${before} does: write ${key}: ${suggestion}`,
    });
  }
  return problems;
}

// The defaults, for keys a partly invalid config leaves out.
const DEFAULTS = configSchema.parse({});

function refsOf(doc: unknown, badPaths: PropertyKey[][], base: string): ConfigRefs {
  const refs: ConfigRefs = { digestBriefs: [], platforms: [], schedules: [] };
  if (doc === undefined) return refs;
  /** The string at `at` if nothing is wrong there; the default when the key is absent. */
  const text = (at: (string | number)[], fallback?: string): string | undefined => {
    if (!isSound(at, badPaths)) return undefined;
    const value = valueAt(doc, at);
    return typeof value === 'string' ? value : value === undefined ? fallback : undefined;
  };
  const briefsDir = text(['bot', 'briefs_dir'], DEFAULTS.bot.briefs_dir);
  if (briefsDir !== undefined) refs.briefsDir = path.resolve(base, briefsDir);
  const defaultBrief = text(['bot', 'default_brief'], DEFAULTS.bot.default_brief);
  if (defaultBrief !== undefined) refs.defaultBrief = { path: ['bot', 'default_brief'], id: defaultBrief };

  const admins = valueAt(doc, ['admins']);
  if (admins !== null && typeof admins === 'object' && !Array.isArray(admins)) {
    for (const id of Object.keys(admins)) if (id !== 'notices') refs.platforms.push({ path: ['admins', id], id });
    const notices = text(['admins', 'notices', 'platform']);
    if (notices !== undefined) refs.platforms.push({ path: ['admins', 'notices', 'platform'], id: notices });
  }

  const digests = valueAt(doc, ['digests']);
  if (Array.isArray(digests)) {
    digests.forEach((_, i) => {
      const platform = text(['digests', i, 'platform']);
      if (platform !== undefined) refs.platforms.push({ path: ['digests', i, 'platform'], id: platform });
      const briefs = valueAt(doc, ['digests', i, 'briefs']);
      if (Array.isArray(briefs))
        briefs.forEach((_, j) => {
          const id = text(['digests', i, 'briefs', j]);
          if (id !== undefined) refs.digestBriefs.push({ path: ['digests', i, 'briefs', j], id });
        });
      const cron = text(['digests', i, 'cron'], DIGEST_DEFAULTS.cron);
      const timezone = text(['digests', i, 'timezone'], DIGEST_DEFAULTS.timezone);
      if (cron !== undefined && timezone !== undefined)
        refs.schedules.push({ path: ['digests', i, 'cron'], cron, timezone });
    });
  }
  return refs;
}
