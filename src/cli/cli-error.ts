/** A problem to tell the operator in one line; the CLI exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2: the command line is wrong; 1: the command could not be done. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad command line: unknown command or option, missing or invalid argument. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
