/**
 * LiteLLM's own database: rows of the `LiteLLM_SpendLogs` table read from
 * PostgreSQL over a connection, in `startTime` order, through a server-side
 * cursor (a fetch of `fetchSize` rows at a time: memory flat whatever the
 * table's size), and mapped exactly like an export of the same rows.
 */
import pg from 'pg';
import {
  type Detection,
  type ImportBatch,
  importOutcomes,
  type ImportOptions,
  type LocatedOutcome,
} from '../../import';
import { ExportFileError } from '../../input/json';
import { isoTimestamp } from '../../values';
import { litellm, readSpendLogRow } from './index';

/** Options of {@link importLitellmDatabase}. */
export interface LitellmDatabaseOptions extends ImportOptions {
  /** The table, `"LiteLLM_SpendLogs"` (Prisma's name) by default; `schema.table` allowed. */
  table?: string;
  /** Only calls that started at or after this time (ISO 8601, UTC when no offset). */
  since?: string;
  /** Only calls that started before this time. */
  until?: string;
  /** Rows fetched from the cursor at a time; 1000 by default. */
  fetchSize?: number;
}

const TIMESTAMP = 1114;
const TIMESTAMP_WITH_ZONE = 1184;

/** Whether an export argument is a PostgreSQL connection URL rather than a file. */
export function isPostgresUrl(input: string): boolean {
  return /^postgres(ql)?:\/\//i.test(input);
}

/** A connection URL fit for messages: the password left out. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** A quoted SQL identifier, `schema.table` split at its dot. */
export function quoteTableName(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replace(/^"|"$/g, '').replace(/"/g, '""')}"`)
    .join('.');
}

function queryOf(options: LitellmDatabaseOptions): { text: string; values: string[] } {
  const conditions: string[] = [];
  const values: string[] = [];
  for (const [bound, operator] of [
    [options.since, '>='],
    [options.until, '<'],
  ] as const) {
    if (bound === undefined) continue;
    const iso = isoTimestamp(bound);
    if (iso === undefined)
      throw new ExportFileError('LiteLLM_SpendLogs', 'unreadable', `"${bound}" is not an ISO 8601 time`);
    values.push(iso);
    conditions.push(`"startTime" ${operator} ($${values.length}::timestamptz AT TIME ZONE 'UTC')`);
  }
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return {
    text: `SELECT * FROM ${quoteTableName(options.table ?? 'LiteLLM_SpendLogs')}${where} ORDER BY "startTime", request_id`,
    values,
  };
}

/** Times as the database writes them (a time without a zone is UTC in LiteLLM's tables), not as local `Date`s. */
const rawTimes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP || oid === TIMESTAMP_WITH_ZONE
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

async function* spendLogRows(
  url: string,
  options: LitellmDatabaseOptions,
  name: string,
): AsyncGenerator<LocatedOutcome> {
  const client = new pg.Client({ connectionString: url, types: rawTimes });
  try {
    await client.connect();
  } catch (error) {
    throw new ExportFileError(name, 'unreadable', `cannot connect (${(error as Error).message})`);
  }
  try {
    const query = queryOf(options);
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`DECLARE spend_logs NO SCROLL CURSOR FOR ${query.text}`, query.values);
    } catch (error) {
      throw new ExportFileError(
        name,
        'unreadable',
        `cannot read the spend logs table (${(error as Error).message})`,
      );
    }
    const fetchSize = options.fetchSize ?? 1000;
    let index = 0;
    for (;;) {
      const { rows } = await client.query<Record<string, unknown>>(`FETCH ${fetchSize} FROM spend_logs`);
      for (const row of rows) yield { outcome: readSpendLogRow(row, `LiteLLM_SpendLogs row ${++index}`) };
      if (rows.length < fetchSize) break;
    }
    await client.query('COMMIT');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Imports the spend logs of a LiteLLM proxy's PostgreSQL database as batches
 * of our rows, with the same mapping, checks and tally as an export.
 */
export function importLitellmDatabase(
  url: string,
  options: LitellmDatabaseOptions = {},
): AsyncGenerator<ImportBatch> {
  const name = displayUrl(url);
  const detection: Detection = { source: litellm, format: 'postgres', forced: options.from !== undefined };
  return importOutcomes(name, detection, spendLogRows(url, options, name), options);
}
