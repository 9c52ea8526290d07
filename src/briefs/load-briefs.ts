import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadYamlFile } from '../files/load-yaml.js';
import { InvalidFileError, type FileProblem } from '../files/problems.js';
import { briefSchema, type Brief } from './schema.js';

/** Loads every briefs/*.yaml file; collects the problems of all files before failing. */
export async function loadBriefs(dir: string): Promise<Brief[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new InvalidFileError([{ file: dir, message: `cannot read the briefs folder (${(err as NodeJS.ErrnoException).code ?? err}); set bot.briefs_dir in the config` }]);
  }
  const problems: FileProblem[] = [];
  const briefs: Brief[] = [];
  const byId = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const brief = await loadYamlFile(file, briefSchema);
      const other = byId.get(brief.id);
      if (other) problems.push({ file, field: 'id', message: `brief id "${brief.id}" is also used by ${other}; ids must be unique` });
      byId.set(brief.id, file);
      briefs.push(brief);
    } catch (err) {
      if (err instanceof InvalidFileError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (names.length === 0) problems.push({ file: dir, message: 'no brief files (*.yaml) found; add one (see briefs/README.md)' });
  if (problems.length) throw new InvalidFileError(problems);
  return briefs;
}
