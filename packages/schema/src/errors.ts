/**
 * The error every package of the toolkit throws for a problem of its input
 * or its use: a stable `code` to tell problems apart in code (messages are
 * for people and may change), and subclasses to catch by kind.
 */
export class FinopsError extends Error {
  constructor(
    /** A stable, lower-case code such as `invalid_header` or `rejected_row`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FinopsError';
  }
}

/** What crosses a thread or process boundary of an error: enough to throw it again. */
export interface SerializedError {
  name: string;
  message: string;
  /** The {@link FinopsError.code}; absent for an error of another kind. */
  code?: string;
  stack?: string;
}

/** Whether a value is a {@link FinopsError} (of any subclass). */
export function isFinopsError(value: unknown): value is FinopsError {
  return value instanceof FinopsError;
}

/** An error as plain data, for `postMessage` or JSON: its name, message, code and stack. */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const serialized: SerializedError = { name: error.name, message: error.message };
  if (error instanceof FinopsError) serialized.code = error.code;
  if (error.stack !== undefined) serialized.stack = error.stack;
  return serialized;
}

/**
 * The error of {@link serializeError} thrown again on this side: a
 * {@link FinopsError} with the same code, name and message when it was one
 * (so that callers can still tell it by its code), a plain `Error` otherwise.
 */
export function deserializeError(data: SerializedError): Error {
  const error = data.code === undefined ? new Error(data.message) : new FinopsError(data.code, data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
