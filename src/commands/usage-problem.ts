/**
 * Thrown by a subcommand whose words it cannot use ("/deal latest abc"): the engine
 * answers with the problem, what to type instead and the subcommand's usage, and
 * marks the reply refused, so a loose argument is never answered as if it were not there.
 */
export class UsageProblem extends Error {
  constructor(
    /** The problem in one line: `"abc" is not a number of stories`. */
    readonly problem: string,
    /** What to do instead, one line each. */
    readonly help: readonly string[] = [],
  ) {
    super(problem);
    this.name = 'UsageProblem';
  }
}
