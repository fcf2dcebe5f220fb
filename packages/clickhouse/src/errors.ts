import { FinopsError } from '@finops/schema';

/** Codes of {@link ClickHouseError}: what went wrong with the database, not with the log. */
export type ClickHouseErrorCode =
  /** The server could not be reached (refused, unknown host, timed out). */
  | 'clickhouse_unreachable'
  /** The server refused the user or password (ClickHouse error 516). */
  | 'clickhouse_auth'
  /** The database or the toolkit's tables do not exist (nothing was loaded there yet). */
  | 'clickhouse_missing_table'
  /** The tables were made by another version of the toolkit's schema. */
  | 'clickhouse_schema_version'
  /** `chdb:` was asked for but the optional `chdb` package is not installed. */
  | 'chdb_missing'
  /** A target or a setting that cannot be used (a bad URL, a bad filter). */
  | 'clickhouse_settings'
  /** The server answered a query with an error. */
  | 'clickhouse_query';

/** A problem with the ClickHouse database or its settings; the message never shows a password. */
export class ClickHouseError extends FinopsError {
  constructor(
    override readonly code: ClickHouseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ClickHouseError';
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

/**
 * The error of a failed query as a {@link ClickHouseError} naming the target
 * (`where`, never with its password): unreachable, refused credentials,
 * missing tables or the server's own message.
 */
export function toClickHouseError(error: unknown, where: string): Error {
  if (error instanceof ClickHouseError) return error;
  const known = error as { code?: unknown; message?: unknown; type?: unknown } | undefined;
  const message = typeof known?.message === 'string' ? known.message : String(error);
  const code = known?.code;
  if (isHeldFolder(error)) return heldFolderError(where, error);
  if (typeof code === 'string' && UNREACHABLE.has(code))
    return new ClickHouseError('clickhouse_unreachable', `cannot reach ClickHouse at ${where} (${code})`, {
      cause: error,
    });
  if (/timeout/i.test(message) && !/Code: \d+/.test(message))
    return new ClickHouseError(
      'clickhouse_unreachable',
      `ClickHouse at ${where} did not answer in time (${message})`,
      {
        cause: error,
      },
    );
  if (code === '516' || known?.type === 'AUTHENTICATION_FAILED')
    return new ClickHouseError(
      'clickhouse_auth',
      `ClickHouse at ${where} refused the user or password (check --clickhouse-user / FINOPS_CLICKHOUSE_USER and the password)`,
      { cause: error },
    );
  if (code === '60' || code === '81' || known?.type === 'UNKNOWN_TABLE' || known?.type === 'UNKNOWN_DATABASE')
    return new ClickHouseError(
      'clickhouse_missing_table',
      `ClickHouse at ${where} has no call table there (${firstLine(message)}); load calls first with finops load <log> --clickhouse …`,
      { cause: error },
    );
  return new ClickHouseError('clickhouse_query', `ClickHouse at ${where}: ${firstLine(message)}`, {
    cause: error,
  });
}

/** Whether the embedded engine refused its folder because another process holds it. */
export function isHeldFolder(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    const message = (cause as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      /Cannot lock file .*status|Another server instance in same directory/.test(message)
    )
      return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The error of an embedded folder the engine could not open, most often because another process holds it: the database cannot be used now. */
export function heldFolderError(where: string, error: unknown): ClickHouseError {
  return new ClickHouseError(
    'clickhouse_unreachable',
    `the embedded ClickHouse folder of ${where} could not be opened: another process may hold it (one process at a time may open it: stop that process, or use another folder)`,
    { cause: error },
  );
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}
