import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { positionInYaml, readYamlFile } from '../files/load-yaml.js';
import { InvalidFileError, isSound, valueAt, type FileProblem } from '../files/problems.js';
import { briefSchema, type Brief } from './schema.js';

/** The briefs folder read: the valid briefs, every problem, and every id written (valid brief or not). */
export interface BriefsReading {
  briefs: Brief[];
  problems: FileProblem[];
  /** Ids of every brief file whose id is readable, so a config naming an invalid brief is not also told it is missing. */
  ids: string[];
}

/** Loads every briefs/*.yaml file; collects the problems of all files before failing. */
export async function loadBriefs(dir: string): Promise<Brief[]> {
  const { briefs, problems } = await readBriefs(dir);
  if (problems.length) throw new InvalidFileError(problems);
  return briefs;
}

/** Like loadBriefs, but returns the problems with what could be read instead of throwing. */
export async function readBriefs(dir: string): Promise<BriefsReading> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    return {
      briefs: [],
      ids: [],
      problems: [
        {
          file: dir,
          message: `cannot read the briefs folder (${why}); set bot.briefs_dir in the config (relative to the folder the config file is in)`,
        },
      ],
    };
  }
  const problems: FileProblem[] = [];
  const briefs: Brief[] = [];
  const byId = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const reading = await readYamlFile(file, briefSchema);
    problems.push(...reading.problems);
    if (reading.value) briefs.push(reading.value);
    const id = valueAt(reading.doc, ['id']);
    if (typeof id !== 'string' || !isSound(['id'], reading.badPaths)) continue;
    const other = byId.get(id);
    if (other) {
      const pos = reading.text === undefined ? undefined : positionInYaml(reading.text, ['id']);
      problems.push({
        file,
        line: pos?.line,
        column: pos?.col,
        field: 'id',
        message: `brief id "${id}" is also used by ${other}; give each brief its own id`,
      });
    } else byId.set(id, file);
  }
  if (names.length === 0)
    problems.push({ file: dir, message: 'no brief files (*.yaml) found; add one (see briefs/README.md)' });
  return { briefs, problems, ids: [...byId.keys()] };
}
