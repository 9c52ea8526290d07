import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/cli-command.js';

/** CLI streams that record what a command wrote, for running commands in-process. */
export function captureIO(env: NodeJS.ProcessEnv = {}): CliIO & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return { stdout, stderr, stdin: new PassThrough(), env, out: () => out, err: () => err };
}
