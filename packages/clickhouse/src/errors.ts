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

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}
