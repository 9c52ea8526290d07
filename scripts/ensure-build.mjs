#!/usr/bin/env node
// Builds dist/ from src/ only when it is missing or older than the sources, so `npm start`
// starts at once when nothing changed (tsc takes ~10 s) and `npm install` (prepare) builds
// once after a clone instead of on every install.
//
//   node scripts/ensure-build.mjs            build if dist/ is missing or stale
//   node scripts/ensure-build.mjs --force    build anyway
//
// "Stale" compares modification times: the newest file or folder under src/ (a folder's time
// changes when a file is added, removed or renamed in it) and tsconfig*.json, against
// dist/.build-stamp, which is written after a successful build with the time the build began.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.build-stamp');
const ENTRY = path.join(root, 'dist', 'cli', 'index.js');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];
const duringInstall = process.env.npm_lifecycle_event === 'prepare';
const say = (line) => process.stderr.write(`ensure-build: ${line}\n`);

/** The newest modification time (ms) of a file, or of a folder and everything in it. */
function newest(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  let time = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(file)) time = Math.max(time, newest(path.join(file, entry)));
  }
  return time;
}

function whyBuild() {
  if (process.argv.includes('--force')) return '--force';
  if (!existsSync(ENTRY)) return 'dist/ has not been built';
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  if (!stamp) return 'dist/ was built by something else (no dist/.build-stamp)';
  const changed = INPUTS.find((input) => newest(path.join(root, input)) > stamp.mtimeMs);
  return changed ? `${changed} changed since the last build` : null;
}

if (!existsSync(path.join(root, 'src'))) {
  // A Docker layer that installs dependencies before copying the sources.
  if (duringInstall) process.exit(0);
  say(`no src/ in ${root}: nothing to build`);
  process.exit(1);
}

const reason = whyBuild();
if (!reason) {
  // Silent under npm start; `npm run build` says why it did nothing.
  if (process.env.npm_lifecycle_event === 'build') say('dist/ is up to date (npm run build -- --force rebuilds it)');
  process.exit(0);
}

let tsc;
try {
  tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  const hint = 'TypeScript is not installed; run npm install (with dev dependencies) to build dist/';
  if (duringInstall) {
    // A production install (--omit=dev) must not fail here; npm start will say it again.
    say(`skipped: ${hint}`);
    process.exit(0);
  }
  say(`cannot build (${reason}): ${hint}`);
  process.exit(1);
}

say(`building dist/ (${reason})…`);
const began = new Date();
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  say(`tsc failed (exit ${result.status ?? result.signal}); dist/ is not marked as built`);
  process.exit(result.status || 1);
}
writeFileSync(STAMP, `built ${began.toISOString()} from src/; see scripts/ensure-build.mjs\n`);
// Stamped with the time the build began: a source saved during the build counts as newer.
utimesSync(STAMP, began, began);
say(`built in ${((Date.now() - began.getTime()) / 1000).toFixed(1)} s`);
