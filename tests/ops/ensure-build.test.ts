import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

/**
 * scripts/ensure-build.mjs, which `npm start`, `npm run build` and `prepare` (npm install) run:
 * tsc only when dist/ is missing or older than src/. Run on a small project of its own
 * (two source files, the real TypeScript through a node_modules link).
 */

function project(options: { typescript?: boolean; src?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dealbot-build-'));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync(path.join(repoRoot, 'scripts/ensure-build.mjs'), path.join(dir, 'scripts/ensure-build.mjs'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, outDir: 'dist' } }),
  );
  writeFileSync(
    path.join(dir, 'tsconfig.build.json'),
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { rootDir: 'src' }, include: ['src'] }),
  );
  if (options.src !== false) {
    mkdirSync(path.join(dir, 'src/cli'), { recursive: true });
    writeFileSync(path.join(dir, 'src/cli/index.ts'), 'export const answer: number = 42;\n');
    writeFileSync(path.join(dir, 'src/extra.ts'), 'export const extra = 1;\n');
  }
  if (options.typescript !== false) symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function ensureBuild(dir: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(dir, 'scripts/ensure-build.mjs')], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

const builtAt = (dir: string) => statSync(path.join(dir, 'dist/cli/index.js')).mtimeMs;

describe('scripts/ensure-build.mjs', () => {
  it('builds once, then starts without tsc until a source changes, is added or removed', { timeout: 120_000 }, () => {
    const dir = project();
    const first = ensureBuild(dir);
    expect(first.stderr).toContain('building dist/ (dist/ has not been built)');
    expect(first.code).toBe(0);
    expect(existsSync(path.join(dir, 'dist/extra.js'))).toBe(true);
    const built = builtAt(dir);

    // Up to date: no tsc, no output (npm start stays quiet).
    expect(ensureBuild(dir)).toEqual({ code: 0, stderr: '' });
    expect(builtAt(dir)).toBe(built);
    expect(ensureBuild(dir, { npm_lifecycle_event: 'build' }).stderr).toContain('dist/ is up to date');

    // An edit with a type error: tsc fails, the exit status says so, and dist/ is not marked as built.
    writeFileSync(path.join(dir, 'src/cli/index.ts'), 'export const answer: number = "forty-two";\n');
    const broken = ensureBuild(dir);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('building dist/ (src changed since the last build)');
    expect(broken.stderr).toContain('tsc failed');

    // Without TypeScript the script says why it would build instead of building: tsc runs only twice here.
    rmSync(path.join(dir, 'node_modules'));
    expect(ensureBuild(dir).stderr).toContain('cannot build (src changed since the last build)');
    // As if a build had just succeeded: up to date again.
    const stamp = path.join(dir, 'dist/.build-stamp');
    const later = new Date(Date.now() + 2000);
    utimesSync(stamp, later, later);
    expect(ensureBuild(dir)).toEqual({ code: 0, stderr: '' });
    // A removed file changes its folder's time: that counts too.
    rmSync(path.join(dir, 'src/extra.ts'));
    utimesSync(path.join(dir, 'src'), new Date(later.getTime() + 1000), new Date(later.getTime() + 1000));
    expect(ensureBuild(dir).stderr).toContain('cannot build (src changed since the last build)');
    // So does a changed tsconfig.
    utimesSync(stamp, new Date(later.getTime() + 5000), new Date(later.getTime() + 5000));
    expect(ensureBuild(dir).code).toBe(0);
    utimesSync(
      path.join(dir, 'tsconfig.build.json'),
      new Date(later.getTime() + 9000),
      new Date(later.getTime() + 9000),
    );
    expect(ensureBuild(dir).stderr).toContain('cannot build (tsconfig.build.json changed since the last build)');
  });

  it('leaves npm install alone when there is nothing it can build, but npm start says what is missing', () => {
    // A Docker layer that installs dependencies before the sources are copied.
    expect(ensureBuild(project({ src: false }), { npm_lifecycle_event: 'prepare' })).toEqual({ code: 0, stderr: '' });
    // A production install (npm ci --omit=dev): no TypeScript.
    const bare = project({ typescript: false });
    const install = ensureBuild(bare, { npm_lifecycle_event: 'prepare' });
    expect(install.code).toBe(0);
    expect(install.stderr).toContain('skipped: TypeScript is not installed');
    const start = ensureBuild(bare);
    expect(start.code).toBe(1);
    expect(start.stderr).toBe(
      'ensure-build: cannot build (dist/ has not been built): TypeScript is not installed; run npm install (with dev dependencies) to build dist/\n',
    );
  });
});
