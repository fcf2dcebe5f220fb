/** A problem with how the command was called (exit code 2), with what to do about it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes of every command. */
export const EXIT = {
  ok: 0,
  /** `validate` found rejected rows; `analyze --strict` met a bad row. */
  dataProblems: 1,
  /** Bad usage, a missing or unreadable file. */
  usage: 2,
  /** The ClickHouse database could not be used: unreachable, refused credentials, missing or foreign tables. */
  database: 3,
  /** `pull`: the API refused the request or stayed unavailable (the same code as `database`: a service could not be used). */
  remote: 3,
  /** Stopped by Ctrl-C. */
  interrupted: 130,
} as const;
