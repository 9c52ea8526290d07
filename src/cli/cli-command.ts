/**
 * One `dealbot` subcommand (run, ask, check-config, …). Each lives in its own file
 * under src/cli/commands/ and is listed in src/cli/registry.ts, which loads it on demand.
 */
export interface CliCommand {
  name: string;
  /** One line for `dealbot help`. */
  summary: string;
  /** e.g. "dealbot ask [--config FILE] [--render text|slack|discord] \"/deal facts\"". */
  usage: string;
  /** More for `--help` than fits the summary, loaded only then (it may need an SDK). */
  details?(): Promise<string>;
  /** Runs with the arguments after the subcommand name; resolves to the exit status. */
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Where a CLI command reads and writes; tests pass their own to capture output. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
