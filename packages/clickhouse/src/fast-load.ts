import { open, stat } from 'node:fs/promises';
import {
  type CallRecord,
  CALL_STATUSES,
  CallIdSet,
  CallLogParser,
  CSV_COLUMNS,
  type CsvColumn,
  DEFAULT_WARNING_THRESHOLDS,
  emptyTally,
  type HeaderLayout,
  type LogFile,
  MAX_FIELD_LENGTH,
  type PriceCatalog,
  type ReadTally,
  type Rejection,
  type RejectionReason,
  type TokenPrices,
  UNATTRIBUTED,
  WARNING_KINDS,
  type WarningKind,
  ATTRIBUTION_COLUMNS,
} from '@finops/schema';
import type { CallWarehouse, QueryParams } from './connection';
import { withMergesPaused } from './merges';
import { CALLS_TABLE, LOADS_TABLE } from './migrations';

/**
 * The engine's own path for a plain record-v2 CSV file: the embedded
 * engine reads the file itself, and SQL keeps every row it can tell is
 * valid under rules stricter than the toolkit's validator that give the
 * same values; every other row (a quote, a bad field, a long-context
 * price…) is validated by the toolkit's own parser. See docs/clickhouse.md
 * ("Load paths").
 */

/**
 * Every condition evaluated over whole blocks: the engine's default of
 * evaluating `AND` and `if` branches only where needed filters the block
 * once per condition, which made the scans several times slower.
 */
const NO_SHORT_CIRCUIT = "short_circuit_function_evaluation = 'disable'";

/** Most rows the engine hands back to the toolkit's parser before the whole file takes the toolkit's path. */
export const MAX_PARSER_ROWS = 100_000;

/** Highest price per token (pico-dollars) the engine's path prices: list prices stay exact below 2^53. */
const MAX_PICOS_PER_TOKEN = 400_000_000;

/** Why the engine's path handed a file back to the toolkit's path (for tests and docs). */
export type FallbackReason =
  | 'not_embedded'
  | 'mapping'
  | 'not_one_plain_csv'
  | 'header'
  | 'extra_columns'
  | 'multi_line_rows'
  | 'too_many_parser_rows'
  | 'high_prices'
  | 'duplicate_ids'
  | 'file_changed';

/** The engine's path gave up on the file: the caller loads it through the toolkit's reader. */
export class FallbackToReader extends Error {
  constructor(readonly reason: FallbackReason) {
    super(`the engine's load path does not take this input (${reason})`);
    this.name = 'FallbackToReader';
  }
}

/** What the engine's path loaded. */
export interface FastLoadResult {
  rowsWritten: number;
  tally: ReadTally;
  /** Every rejected row, in line order. */
  rejections: Omit<Rejection, 'raw' | 'value'>[];
}

/** Options of {@link fastLoad}. */
export interface FastLoadOptions {
  catalog: PriceCatalog;
  strict: boolean;
  loadId: string;
  precedence: string;
  /** The calls table's columns a load writes, in the order of {@link FastLoadOptions.tsvLine}. */
  columns: readonly string[];
  insertTsv: (lines: Buffer, count: number) => Promise<void>;
  tsvLine: (record: CallRecord, callKey: string) => string;
  progress?: (rowsRead: number, rowsWritten: number) => void;
  /**
   * Called once the file is known to take this path, just before the
   * engine reads it: what must be in place for the rows as they are
   * written (the table's projections, filled by the engine as it writes).
   */
  beforeScan?: () => Promise<void>;
}

const column = (name: CsvColumn): number => CSV_COLUMNS.indexOf(name);
const CACHED_INPUT = column('cached_input_tokens');

/** Reads the header line of a file (the first line, at most 64 KiB) as the toolkit's parser does. */
async function headerLayout(path: string): Promise<HeaderLayout> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 16);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const newline = buffer.subarray(0, bytesRead).indexOf(10);
    if (newline < 0) throw new FallbackToReader('header');
    const header = buffer.subarray(0, newline + 1);
    // A quoted header may hide a line break: the toolkit's path reads such files.
    if (header.includes(34)) throw new FallbackToReader('header');
    const parser = new CallLogParser({ source: path });
    try {
      parser.push(header);
    } catch {
      throw new FallbackToReader('header');
    }
    const layout = parser.layout;
    if (layout === undefined) throw new FallbackToReader('header');
    return layout;
  } finally {
    await handle.close();
  }
}

/** SQL helpers over one file's layout: `f` is the array of a line's fields. */
class LineSql {
  constructor(readonly layout: HeaderLayout) {}

  has(name: CsvColumn): boolean {
    return (this.layout.positions[column(name)] as number) >= 0;
  }

  /** A schema column's text in the line (`''` for a column the file lacks). */
  text(name: CsvColumn): string {
    const position = this.layout.positions[column(name)] as number;
    return position < 0 ? "''" : `f[${position + 1}]`;
  }

  get hasExtensions(): boolean {
    return this.layout.positions.some((position, index) => index >= CACHED_INPUT && position >= 0);
  }
}

/** What a certain field of each schema column looks like (no comma, quote or carriage return in any). */
const FIELD_PATTERNS: Partial<Record<CsvColumn, string>> = {
  timestamp: '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?Z?',
  provider: '[^,"\r]+',
  model: '[^,"\r]+',
  // Small enough that a call's list price stays below 2^53 pico-dollars.
  input_tokens: '[0-9]{1,7}',
  output_tokens: '[0-9]{1,7}',
  // A row without a cost is priced from the catalog: the parser does that.
  cost_usd: '[0-9]{1,9}([.][0-9]{1,6})?',
  latency_ms: '([0-9]{1,15})?',
  cached_input_tokens: '([0-9]{1,7})?',
  cache_write_input_tokens: '([0-9]{1,7})?',
  reasoning_tokens: '([0-9]{1,7})?',
  time_to_first_token_ms: '([0-9]{1,15})?',
  calls: '([0-9]{1,15})?',
  status: `(${CALL_STATUSES.join('|')})?`,
  tags: '([{][}])?',
};
const ANY_FIELD = '[^,"\r]*';

/**
 * The whole line of a certain row as one pattern, field by field in the
 * header's order: exactly the header's number of fields, no quote, no
 * carriage return, the canonical timestamp forms, digit-only integers
 * small enough for exact prices, a reported cost with at most six
 * decimals, the lower-case statuses, tags empty or `{}`.
 */
export function linePattern(layout: HeaderLayout): string {
  const fields: string[] = Array.from({ length: layout.width }, () => ANY_FIELD);
  layout.positions.forEach((position, index) => {
    if (position >= 0) fields[position] = FIELD_PATTERNS[CSV_COLUMNS[index] as CsvColumn] ?? ANY_FIELD;
  });
  return `^${fields.join(',')}$`;
}

/**
 * Whether a line is certainly a valid row, by rules each stricter than the
 * validator's: {@link linePattern}, valid UTF-8, each field at most the
 * longest field in bytes (never fewer characters), a real date, token
 * subsets within their totals and a weight of at least one.
 */
function certainSql(sql: LineSql): string {
  const checks = [
    'match(line, {line_pattern:String})',
    'isValidUTF8(line)',
    `arrayAll(field -> length(field) <= ${MAX_FIELD_LENGTH}, f)`,
    'ts_year >= 1000',
    'ts_month BETWEEN 1 AND 12',
    'ts_day BETWEEN 1 AND [31, if((ts_year % 4 = 0 AND ts_year % 100 != 0) OR ts_year % 400 = 0, 29, 28), 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][ts_month]',
    'ts_hour <= 23',
    'ts_minute <= 59',
    'ts_second <= 59',
  ];
  if (sql.hasExtensions)
    checks.push(
      'cached_input_tokens + cache_write_input_tokens <= input_tokens',
      'reasoning_tokens <= output_tokens',
      'calls >= 1',
    );
  return checks.map((check) => `(${check})`).join(' AND ');
}

/** A text column of the record: an attribution column reads `(unattributed)` when empty or absent. */
function textValue(sql: LineSql, name: CsvColumn): string {
  const attribution = ATTRIBUTION_COLUMNS.includes(name);
  if (!sql.has(name)) return attribution ? '{unattributed:String}' : "''";
  return attribution
    ? `if(${sql.text(name)} = '', {unattributed:String}, ${sql.text(name)})`
    : sql.text(name);
}

/** An absent optional number, typed: the staging table takes the columns' types from these expressions. */
const NO_NUMBER = "CAST(NULL, 'Nullable(UInt64)')";

function optionalInteger(sql: LineSql, name: CsvColumn, empty: string): string {
  return sql.has(name) ? `if(${sql.text(name)} = '', ${empty}, toUInt64OrZero(${sql.text(name)}))` : empty;
}

/**
 * The rows of the file with their line numbers, whether each is certain,
 * and the values {@link tsvLineOf} would write for it, named as the calls
 * table's columns (so that one SQL text reads both).
 * A line's carriage return at its end is dropped from what the certainty
 * and the values read (`line`), as the toolkit's reader drops it (the end of
 * a CRLF line, or of a last line without a line feed): a file with CRLF line
 * ends takes this path like any other. No certain line holds another
 * carriage return (no field pattern takes one); the other lines go to the
 * parser as the file has them (`raw`), which drops that one carriage return
 * itself — handed the shortened line, it would drop a second.
 */
function linesSql(sql: LineSql): string {
  const timestamp = sql.text('timestamp');
  const cost = sql.text('cost_usd');
  const values = [
    `if(call_id = '', concat(char(0), {load_id:String}, ':line', toString(line_number)), call_id) AS call_key`,
    `${sql.text('call_id')} AS call_id`,
    `toInt64(ts_days * 86400000 + ts_hour * 3600000 + ts_minute * 60000 + ts_second * 1000 + ts_millis) AS time_ms`,
    `${timestamp} AS timestamp`,
    `${sql.text('provider')} AS provider`,
    `${sql.text('model')} AS model`,
    `toUInt64OrZero(${sql.text('input_tokens')}) AS input_tokens`,
    `toUInt64OrZero(${sql.text('output_tokens')}) AS output_tokens`,
    `toInt64OrZero(splitByChar('.', ${cost})[1]) * 1000000 + toInt64OrZero(substring(rightPad(splitByChar('.', ${cost})[2], 6, '0'), 1, 6)) AS cost_micros`,
    `'reported' AS cost_source`,
    `${optionalInteger(sql, 'latency_ms', NO_NUMBER)} AS latency_ms`,
    // The calls table keeps the attribution columns in the record's order.
    ...ATTRIBUTION_COLUMNS.map((name) => `${textValue(sql, name)} AS ${name}`),
    `${sql.text('request_id')} AS request_id`,
    `${sql.text('trace_id')} AS trace_id`,
    `${sql.text('session_id')} AS session_id`,
    `${sql.text('user_agent')} AS user_agent`,
    `${optionalInteger(sql, 'cached_input_tokens', '0')} AS cached_input_tokens`,
    `${optionalInteger(sql, 'cache_write_input_tokens', '0')} AS cache_write_input_tokens`,
    `${optionalInteger(sql, 'reasoning_tokens', '0')} AS reasoning_tokens`,
    `${sql.has('status') ? `if(${sql.text('status')} = '', 'success', ${sql.text('status')})` : "'success'"} AS status`,
    `${sql.text('error_type')} AS error_type`,
    `${sql.text('region')} AS region`,
    `${sql.text('service_tier')} AS service_tier`,
    `${optionalInteger(sql, 'time_to_first_token_ms', NO_NUMBER)} AS time_to_first_token_ms`,
    `${sql.text('api_key_id')} AS api_key_id`,
    `${sql.text('user_id')} AS user_id`,
    `${sql.text('team_id')} AS team_id`,
    `${sql.text('tags')} AS tags`,
    `${optionalInteger(sql, 'calls', '1')} AS calls`,
    sql.layout.extras.length === 0
      ? "CAST(map(), 'Map(String, String)') AS extra"
      : `mapFromArrays({extra_names:Array(String)}, [${sql.layout.extras.map((extra) => `f[${extra.position + 1}]`).join(', ')}]) AS extra`,
    '{load_id:String} AS load_id',
    '{precedence:UInt64} AS precedence',
  ];
  return `SELECT line_number, raw, line,
  toInt64OrZero(substring(${timestamp}, 1, 4)) AS ts_year,
  toInt64OrZero(substring(${timestamp}, 6, 2)) AS ts_month,
  toInt64OrZero(substring(${timestamp}, 9, 2)) AS ts_day,
  toInt64OrZero(substring(${timestamp}, 12, 2)) AS ts_hour,
  toInt64OrZero(substring(${timestamp}, 15, 2)) AS ts_minute,
  toInt64OrZero(substring(${timestamp}, 18, 2)) AS ts_second,
  toInt64OrZero(substring(rightPad(extract(${timestamp}, '^.{19}[.]([0-9]+)'), 3, '0'), 1, 3)) AS ts_millis,
  ts_year - (ts_month <= 2) AS ts_civil_year,
  intDiv(ts_civil_year, 400) AS ts_era,
  ts_civil_year - ts_era * 400 AS ts_year_of_era,
  intDiv(153 * if(ts_month > 2, ts_month - 3, ts_month + 9) + 2, 5) + ts_day - 1 AS ts_day_of_year,
  ts_era * 146097 + ts_year_of_era * 365 + intDiv(ts_year_of_era, 4) - intDiv(ts_year_of_era, 100) + ts_day_of_year - 719468 AS ts_days,
  ${values.join(',\n  ')},
  ${certainSql(sql)} AS certain
FROM (
  SELECT toUInt64(_row_number + 1) AS line_number, raw,
    if(endsWith(raw, '\\r'), substring(raw, 1, length(raw) - 1), raw) AS line,
    splitByChar(',', line) AS f
  FROM file({path:String}, 'LineAsString', 'raw String')
  WHERE _row_number > 0
)`;
}

/** The columns of the price table a load of the engine's path makes: one row per price period. */
const PRICE_COLUMNS = [
  'provider',
  'model',
  'from_ms',
  'known',
  'thresholds',
  'input',
  'cache_read',
  'cache_write',
  'output',
  'reasoning',
] as const;

/**
 * The catalog's price periods of the provider × model pairs a load holds,
 * as rows of the price table: each period's start (a period open at its
 * start from before any time a certain row can have), its long-context
 * thresholds, and per kind of token the base price then each tier's.
 */
function priceRows(catalog: PriceCatalog, pairs: readonly [string, string][]): unknown[][] {
  const rows: unknown[][] = [];
  for (const [provider, model] of pairs) {
    for (const period of catalog.history(provider, model)) {
      const levels: TokenPrices[] = [period, ...period.tiers];
      const of = (pick: (prices: TokenPrices) => number): number[] => levels.map(pick);
      const kinds = [
        of((prices) => prices.inputPicosPerToken),
        of((prices) => prices.cacheReadPicosPerToken),
        of((prices) => prices.cacheWritePicosPerToken),
        of((prices) => prices.outputPicosPerToken),
        of((prices) => prices.reasoningPicosPerToken),
      ];
      if (
        kinds.flat().some((price) => !Number.isSafeInteger(price) || price < 0 || price > MAX_PICOS_PER_TOKEN)
      )
        throw new FallbackToReader('high_prices');
      rows.push([
        provider,
        model,
        period.effectiveFromMs ?? Number.MIN_SAFE_INTEGER,
        1,
        period.tiers.map((tier) => tier.aboveInputTokens),
        ...kinds,
      ]);
    }
  }
  return rows;
}

/** Rows (with `provider`, `model` and `time_ms`) and the price period in force at each one's time, if any. */
function pricedSql(rows: string): string {
  return `SELECT c.*, p.known AS price_known, p.thresholds AS price_thresholds, p.input AS price_input,
  p.cache_read AS price_cache_read, p.cache_write AS price_cache_write, p.output AS price_output, p.reasoning AS price_reasoning
FROM (${rows}) AS c
ASOF LEFT JOIN {database:Identifier}.{prices:Identifier} AS p
ON c.provider = p.provider AND c.model = p.model AND c.time_ms >= p.from_ms`;
}

/**
 * The warning flags of a kept row with a reported cost, as the validator
 * sets them, over columns named as the calls table's: the catalog's period
 * in force at the row's time (the last one from before it), its
 * long-context tier, the list price in pico-dollars (exact: below 2^53),
 * and the float comparisons the validator makes, made the same way.
 */
const FLAG_SQL = {
  known: 'price_known = 1',
  tier: 'arrayCount(threshold -> input_tokens > threshold, price_thresholds) + 1',
  picos:
    'toInt64((input_tokens - cached_input_tokens - cache_write_input_tokens) * price_input[tier] + cached_input_tokens * price_cache_read[tier] + cache_write_input_tokens * price_cache_write[tier] + (output_tokens - reasoning_tokens) * price_output[tier] + reasoning_tokens * price_reasoning[tier])',
  list_micros: 'if(known, toInt64(floor((toFloat64(picos) + 500000) / 1000000)), 0)',
  gap: 'abs(toFloat64(cost_micros) * 1000000 - toFloat64(picos))',
  flag_tokens_out_of_range: `input_tokens < {min_tokens:UInt64} OR input_tokens > {max_tokens:UInt64} OR output_tokens < if(status = 'error', 0, {min_tokens:UInt64}) OR output_tokens > {max_tokens:UInt64}`,
  flag_cost_out_of_range: `cost_micros < if(status = 'error', 0, {min_cost:Int64}) OR cost_micros > {max_cost:Int64}`,
  flag_latency_out_of_range:
    'latency_ms IS NOT NULL AND (latency_ms < {min_latency:UInt64} OR latency_ms > {max_latency:UInt64})',
  flag_unknown_model: 'NOT known',
  flag_cost_mismatch: 'known AND gap > 500000 AND gap > toFloat64(picos) * {tolerance:Float64}',
  flag_cost_precision: '0',
  flag_unpriced_model: '0',
  flag_unpriced_plan: `NOT (subscription_tier = {unattributed:String} OR has({priced_plans:Array(String)}, subscription_tier))`,
} as const;

function flagParams(catalog: PriceCatalog, prices: string): QueryParams {
  const limits = DEFAULT_WARNING_THRESHOLDS;
  return {
    prices,
    min_tokens: limits.minTokens,
    max_tokens: limits.maxTokens,
    min_cost: limits.minCostMicros,
    max_cost: limits.maxCostMicros,
    min_latency: limits.minLatencyMs,
    max_latency: limits.maxLatencyMs,
    tolerance: limits.costTolerance,
    unattributed: UNATTRIBUTED,
    priced_plans: Object.keys(catalog.tierPrices()),
  };
}

const FLAG_COLUMNS = WARNING_KINDS.map((kind) => `flag_${kind}`);

function flagDefinitions(): string {
  return Object.entries(FLAG_SQL)
    .map(([name, expression]) => `${expression} AS ${name}`)
    .join(',\n    ');
}

/** The counts of the certain rows a load wrote, read back from the calls table's columns. */
function tallySql(): string {
  return `SELECT
  count() AS certain_rows,
  countIf(call_id = '') AS without_call_id,
  countIf(latency_ms IS NULL) AS without_latency,
  sumIf(cost_micros, known) AS reported_cost,
  sumIf(list_micros, known) AS reported_list,
  countIf(${FLAG_COLUMNS.join(' OR ')}) AS warned,
  ${FLAG_COLUMNS.map((flag) => `countIf(${flag}) AS count_${flag}`).join(',\n  ')}
FROM (
  SELECT *,
    ${flagDefinitions()}
  FROM (${pricedSql(`SELECT * FROM {database:Identifier}.${CALLS_TABLE} WHERE load_id = {load_id:String}`)})
)
SETTINGS ${NO_SHORT_CIRCUIT}`;
}

/**
 * The first line of the file whose certain row carries a warning: read in
 * line order on one thread, so the scan stops there (warnings of a kind
 * usually show early).
 */
function firstLineSql(source: string, flag: string): string {
  return `SELECT line_number FROM (
  SELECT *,
    ${flagDefinitions()}
  FROM (${pricedSql(source)})
)
WHERE certain AND ${flag}
LIMIT 1
SETTINGS max_threads = 1, input_format_parallel_parsing = 0, ${NO_SHORT_CIRCUIT}`;
}

interface TallyRow {
  certain_rows: string;
  without_call_id: string;
  without_latency: string;
  reported_cost: string;
  reported_list: string;
  warned: string;
  [key: string]: unknown;
}

/** What the engine found besides the certain rows: the lines for the parser, blank lines, lines with an odd number of quotes. */
interface ParserLines {
  lines: [number, string][];
  /** More lines than {@link MAX_PARSER_ROWS}: none were read back. */
  tooMany: boolean;
  /** Certain rows sent to the calls table. */
  certainRows: number;
  blank: number;
  oddQuotes: number;
}

/** What the toolkit's parser made of the rows the engine could not vouch for. */
interface ParsedRows {
  tally: ReadTally;
  rejections: Omit<Rejection, 'raw' | 'value'>[];
  /** First line of each warning kind among these rows. */
  firstWarning: Map<WarningKind, number>;
  /** Call ids of the kept rows. */
  ids: string[];
}

/**
 * Validates the given rows (line number and text, in line order) with the
 * toolkit's parser as if they were read in place: the lines between them
 * are given as blank lines, so line numbers and messages are the reader's.
 */
function parseRows(
  rows: readonly [number, string][],
  layout: HeaderLayout,
  options: { source: string; catalog: PriceCatalog; strict: boolean; callIds: CallIdSet; dedupe: boolean },
  keep: ((record: CallRecord) => void) | undefined,
): ParsedRows {
  const parser = new CallLogParser({
    source: options.source,
    catalog: options.catalog,
    strict: options.strict,
    dedupe: options.dedupe,
    callIds: options.callIds,
    layout,
    firstLine: 2,
  });
  const rejections: ParsedRows['rejections'] = [];
  const firstWarning = new Map<WarningKind, number>();
  const ids: string[] = [];
  let nextLine = 2;
  const collect = (): void => {
    const taken = parser.take();
    for (const record of taken.records) {
      if (record.callId !== '') ids.push(record.callId);
      keep?.(record);
    }
    for (const rejection of taken.rejections)
      rejections.push({
        line: rejection.line,
        field: rejection.field,
        reason: rejection.reason,
        message: rejection.message,
      });
  };
  for (const [line, text] of rows) {
    if (line < nextLine) continue;
    const gap = line - nextLine;
    if (gap > 0) parser.push('\n'.repeat(gap));
    parser.push(`${text}\n`);
    nextLine = line + 1;
    for (const kind of Object.keys(parser.tally.warningsByKind) as WarningKind[])
      if (!firstWarning.has(kind)) firstWarning.set(kind, line);
    collect();
  }
  parser.end();
  collect();
  return { tally: parser.tally, rejections, firstWarning, ids };
}

/** Prefix of the tables a load of the engine's path makes for itself (and drops, or the next load sweeps). */
export const STAGING_PREFIX = 'finops_load_';

/**
 * The certain rows of the file written to the calls table, and the other
 * lines handed back for the parser: the engine reads the file itself.
 *
 * The certain rows are inserted straight into the calls table, which lets
 * the engine write parts on every insert thread, each filling its part's
 * projections (a staging table of the `Null` engine with views to the
 * calls table, which spared a second read of the file, wrote every part on
 * one thread: at ten million rows the insert took 1.7 times as long). The
 * call ids are checked afterwards with merges paused ({@link fastLoad}), so
 * the table then holds exactly the rows written. When it holds as many of
 * this load's rows as the file has lines, every line was certain and the
 * file is not read again; else a second read keeps the other lines
 * ({@link uncertainLines}).
 */
async function scanFile(
  warehouse: CallWarehouse,
  source: string,
  params: QueryParams,
  columns: readonly string[],
  loadId: string,
): Promise<ParserLines> {
  const path = String(params['path']);
  const before = await fileState(path);
  const lines = await dataLines(warehouse, params);
  const columnList = columns.join(', ');
  // Rows of one call id are not collapsed as they are written (`optimize_on_insert = 0`): that pass
  // copies every row once more, and a repeated id sends the file to the reader's path anyway (the
  // repeated-id check finds a key written twice, or fewer rows in the table than were sent).
  await warehouse.command({
    sql: `INSERT INTO {database:Identifier}.${CALLS_TABLE} (${columnList}) SELECT ${columnList} FROM (${source}) WHERE certain SETTINGS max_insert_threads = ${INSERT_THREADS}, optimize_on_insert = 0, min_insert_block_size_rows = {block_rows:UInt64}`,
    params: { ...params, block_rows: partRows(lines) },
  });
  const [written] = await warehouse.rows<{ rows: string }>({
    sql: `SELECT count() AS rows FROM {database:Identifier}.${CALLS_TABLE} WHERE load_id = {load_id:String}`,
    params: { load_id: params['load_id'] },
  });
  // The count and the insert read the file apart: a file that changed in between may have traded lines.
  await ensureUnchanged(path, before);
  const certain = Number(written?.rows ?? 0);
  if (certain === lines) return { lines: [], tooMany: false, certainRows: lines, blank: 0, oddQuotes: 0 };
  // The table holds exactly the certain rows (merges paused, no collapse as they are written): the other
  // lines are known to be too many for the parser without reading them (a file none of whose lines is
  // certain, such as one of another format with a CSV name).
  if (lines - certain > MAX_PARSER_ROWS)
    return { lines: [], tooMany: true, certainRows: certain, blank: 0, oddQuotes: 0 };
  const other = await uncertainLines(warehouse, source, params, lines, loadId);
  await ensureUnchanged(path, before);
  return other;
}

/**
 * A file's size and modification time, compared before and after each read
 * of the engine's path: the reads are separate statements, and a file
 * written to or replaced in between would give counts of different lines.
 * The toolkit's reader reads a file once, so the load then takes it.
 */
async function fileState(path: string): Promise<string> {
  const { size, mtimeMs, ino } = await stat(path);
  return `${size}:${mtimeMs}:${ino}`;
}

/** Sends the file to the reader's path when its state is no longer `before` (see {@link fileState}). */
async function ensureUnchanged(path: string, before: string): Promise<void> {
  if ((await fileState(path)) !== before) throw new FallbackToReader('file_changed');
}

/**
 * The lines of the file that are not certain, read again into a small
 * table (`finops_load_…_parser`, dropped at the end, or by the next load
 * after a crash) and read back for the parser when there are at most
 * {@link MAX_PARSER_ROWS} and none has an odd number of quotes. The
 * certain rows sent are the other lines: the table holding fewer of this
 * load's rows would show rows of one id the engine collapsed (which its
 * merges, paused during the load, and `optimize_on_insert = 0` rule out).
 */
async function uncertainLines(
  warehouse: CallWarehouse,
  source: string,
  params: QueryParams,
  lines: number,
  loadId: string,
): Promise<ParserLines> {
  const parser = `${STAGING_PREFIX}${loadId.replace(/-/g, '')}_parser`;
  try {
    await warehouse.command({
      sql: 'CREATE TABLE {database:Identifier}.{parser:Identifier} (line_number UInt64, line String) ENGINE = MergeTree ORDER BY line_number',
      params: { parser },
    });
    await warehouse.command({
      // The line as the file has it: the parser drops a carriage return at its end itself.
      sql: `INSERT INTO {database:Identifier}.{parser:Identifier} SELECT line_number, raw FROM (${source}) WHERE NOT certain SETTINGS max_insert_threads = ${INSERT_THREADS}`,
      params: { ...params, parser },
    });
    const [found] = await warehouse.rows<{ count: string; blank: string; odd: string }>({
      sql: `SELECT count() AS count, countIf(line = '' OR line = '\\r') AS blank, countIf((length(line) - length(replaceAll(line, '"', ''))) % 2 = 1) AS odd FROM {database:Identifier}.{parser:Identifier}`,
      params: { parser },
    });
    const count = Number(found?.count ?? 0);
    const result: ParserLines = {
      lines: [],
      tooMany: count > MAX_PARSER_ROWS,
      certainRows: lines - count,
      blank: Number(found?.blank ?? 0),
      oddQuotes: Number(found?.odd ?? 0),
    };
    if (count > MAX_PARSER_ROWS || result.oddQuotes > 0) return result;
    const rows = await warehouse.rows<{ line_number: string; line: string }>({
      sql: 'SELECT line_number, line FROM {database:Identifier}.{parser:Identifier} ORDER BY line_number',
      params: { parser },
    });
    result.lines = rows.map((row) => [Number(row.line_number), row.line]);
    if (count > 0 && result.lines.length === 0) throw new Error('the parser lines could not be read back');
    return result;
  } finally {
    await dropStaging(warehouse, [parser]);
  }
}

/** Threads that write the calls table's parts (each part's projections are filled by the thread writing it). */
const INSERT_THREADS = 2;

/** The engine's own limit of the rows it gathers into one part of an insert (`min_insert_block_size_rows`). */
const ENGINE_PART_ROWS = 1_048_449;

/**
 * The file's lines after the header, counted by the engine as the scan
 * reads them (the same rows, without parsing them).
 */
async function dataLines(warehouse: CallWarehouse, params: QueryParams): Promise<number> {
  const [counted] = await warehouse.rows<{ lines: string }>({
    // Read, never answered from the engine's cache of counts (keyed by the file's time).
    sql: "SELECT count() AS lines FROM file({path:String}, 'LineAsString', 'line String') WHERE _row_number > 0 SETTINGS use_cache_for_count_from_files = 0",
    params: { path: params['path'] },
  });
  return Number(counted?.lines ?? 0);
}

/**
 * Rows per part of the scan's insert: the file's lines shared evenly among
 * the insert threads (at most the engine's default). The engine gathers
 * the rows into parts of up to a million, one after the other: a file of a
 * million rows or so was one part, written and its projections filled on
 * one thread while the other waited, which left half of a two-core
 * machine idle for most of the load.
 */
function partRows(lines: number): number {
  return Math.max(1, Math.min(ENGINE_PART_ROWS, Math.ceil(lines / INSERT_THREADS)));
}

async function dropStaging(warehouse: CallWarehouse, names: readonly string[]): Promise<void> {
  // Views first: a view left on a dropped table would fail later inserts.
  for (const name of [...names].sort(
    (left, right) => Number(right.includes('_to_')) - Number(left.includes('_to_')),
  ))
    await warehouse.command({
      sql: 'DROP TABLE IF EXISTS {database:Identifier}.{name:Identifier}',
      params: { name },
    });
}

/** Drops the staging tables and views of loads that stopped half-way. */
export async function sweepStaging(warehouse: CallWarehouse): Promise<void> {
  const stale = await warehouse.rows<{ name: string }>({
    sql: 'SELECT name FROM system.tables WHERE database = {database:String} AND startsWith(name, {prefix:String})',
    params: { prefix: STAGING_PREFIX },
  });
  await dropStaging(
    warehouse,
    stale.map((row) => row.name),
  );
}

/**
 * Loads one plain CSV file by the engine's path (see the module's comment);
 * throws {@link FallbackToReader} when the file needs the toolkit's reader
 * (the caller then removes whatever was written).
 */
export async function fastLoad(
  warehouse: CallWarehouse,
  files: readonly LogFile[],
  options: FastLoadOptions,
  mapping: unknown,
): Promise<FastLoadResult> {
  if (!warehouse.embedded) throw new FallbackToReader('not_embedded');
  if (mapping !== undefined && Object.keys(mapping as object).length > 0)
    throw new FallbackToReader('mapping');
  const file = files[0];
  if (files.length !== 1 || file === undefined || file.format.container !== 'csv' || file.format.gzip)
    throw new FallbackToReader('not_one_plain_csv');
  // The engine reads `*`, `?`, `{…}` and `[…]` in a path as a pattern of files.
  if (/[*?{}[\]]/.test(file.path)) throw new FallbackToReader('not_one_plain_csv');
  const layout = await headerLayout(file.path);
  const names = layout.extras.map((extra) => extra.name);
  // Extra columns become a map: the same name twice, or a name JavaScript orders as an index, reads differently.
  if (new Set(names).size !== names.length || names.some((name) => /^(0|[1-9]\d*)$/.test(name)))
    throw new FallbackToReader('extra_columns');
  const source = linesSql(new LineSql(layout));
  const params: QueryParams = {
    path: file.path,
    load_id: options.loadId,
    precedence: options.precedence,
    unattributed: UNATTRIBUTED,
    extra_names: names,
    line_pattern: linePattern(layout),
  };
  await options.beforeScan?.();
  // Paused from the first row written until the repeated-id checks: the table then holds exactly the
  // rows written, and no merge takes a core from the load (it could not finish before the command exits).
  return withMergesPaused(warehouse, () => scanAndCheck(warehouse, file, layout, source, params, options));
}

/**
 * The scan ({@link scanFile}), the tally of the certain rows, the checks for
 * repeated ids and the parser's rows: what {@link fastLoad} does once the
 * file takes the engine's path.
 */
async function scanAndCheck(
  warehouse: CallWarehouse,
  file: LogFile,
  layout: HeaderLayout,
  source: string,
  params: QueryParams,
  options: FastLoadOptions,
): Promise<FastLoadResult> {
  const found = await scanFile(warehouse, source, params, options.columns, options.loadId);
  if (found.oddQuotes > 0) throw new FallbackToReader('multi_line_rows');
  const parserRows = found.lines;
  if (found.tooMany) throw new FallbackToReader('too_many_parser_rows');
  const pairs = await warehouse.rows<{ provider: string; model: string }>({
    sql: `SELECT DISTINCT provider, model FROM {database:Identifier}.${CALLS_TABLE} WHERE load_id = {load_id:String}`,
    params: { load_id: options.loadId },
  });
  const rows = priceRows(
    options.catalog,
    pairs.map((pair) => [pair.provider, pair.model]),
  );
  const priceTable = `${STAGING_PREFIX}${options.loadId.replace(/-/g, '')}_prices`;
  const prices = flagParams(options.catalog, priceTable);
  try {
    await warehouse.command({
      sql: `CREATE TABLE {database:Identifier}.{prices:Identifier} (provider String, model String, from_ms Int64, known UInt8, thresholds Array(UInt64), input Array(UInt64), cache_read Array(UInt64), cache_write Array(UInt64), output Array(UInt64), reasoning Array(UInt64)) ENGINE = MergeTree ORDER BY (provider, model, from_ms)`,
      params: { prices: priceTable },
    });
    if (rows.length > 0) await warehouse.insert(priceTable, PRICE_COLUMNS, rows);
    const [counts] = await warehouse.rows<TallyRow>({
      sql: tallySql(),
      params: { load_id: options.loadId, ...prices },
    });
    if (counts === undefined) throw new Error('the tally query returned no row');
    const certainRows = Number(counts.certain_rows);
    if (certainRows !== found.certainRows) throw new FallbackToReader('duplicate_ids');
    options.progress?.(certainRows, certainRows);
    // The ids the parser keeps, first without dedupe: those of committed loads or certain rows make the
    // order of rows matter across both paths, which the toolkit's reader settles.
    const first = parseRows(
      parserRows,
      layout,
      { source: file.path, catalog: options.catalog, strict: false, callIds: new CallIdSet(), dedupe: false },
      undefined,
    );
    const committed = await committedAmong(warehouse, first.ids);
    const [clash] = await warehouse.rows<{ call_key: string }>({
      sql: `SELECT call_key FROM {database:Identifier}.${CALLS_TABLE} WHERE load_id = {load_id:String} AND call_id != ''
GROUP BY call_key
HAVING count() > 1 OR call_key IN {parser_ids:Array(String)} OR call_key IN (SELECT call_key FROM {database:Identifier}.${CALLS_TABLE} WHERE load_id IN (SELECT load_id FROM {database:Identifier}.${LOADS_TABLE}))
LIMIT 1`,
      params: { load_id: options.loadId, parser_ids: first.ids },
    });
    if (clash !== undefined) throw new FallbackToReader('duplicate_ids');
    const callIds = new CallIdSet();
    for (const id of committed) callIds.add(id);
    const lines: string[] = [];
    let withoutId = 0;
    const parsed = parseRows(
      parserRows,
      layout,
      { source: file.path, catalog: options.catalog, strict: options.strict, callIds, dedupe: true },
      (record) => {
        const key = record.callId === '' ? `\u0000${options.loadId}:parsed${withoutId++}` : record.callId;
        lines.push(options.tsvLine(record, key));
      },
    );
    if (lines.length > 0) await options.insertTsv(Buffer.from(lines.join('')), lines.length);
    const firstLines = await firstWarningLines(warehouse, source, { ...params, ...prices }, counts, parsed);
    const tally = combineTallies(counts, parsed, found.blank, firstLines, file.size);
    options.progress?.(tally.rowsRead, certainRows + lines.length);
    return { rowsWritten: certainRows + lines.length, tally, rejections: parsed.rejections };
  } finally {
    await dropStaging(warehouse, [priceTable]);
  }
}

/**
 * The first line of each warning kind among the certain rows, when the
 * order of the kinds is in question (the reader lists them in the order
 * they first appear): with one kind in all there is nothing to order.
 */
async function firstWarningLines(
  warehouse: CallWarehouse,
  source: string,
  params: QueryParams,
  counts: TallyRow,
  parsed: ParsedRows,
): Promise<Map<WarningKind, number>> {
  const lines = new Map<WarningKind, number>();
  const inCertain = WARNING_KINDS.filter((kind) => Number(counts[`count_flag_${kind}`] ?? 0) > 0);
  const kinds = new Set<WarningKind>([...inCertain, ...parsed.firstWarning.keys()]);
  if (kinds.size < 2) return lines;
  for (const kind of inCertain) {
    const [row] = await warehouse.rows<{ line_number: string }>({
      sql: firstLineSql(source, `flag_${kind}`),
      params,
    });
    if (row === undefined) throw new Error(`no certain row carries the ${kind} warning counted`);
    lines.set(kind, Number(row.line_number));
  }
  return lines;
}

async function committedAmong(warehouse: CallWarehouse, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await warehouse.rows<{ call_key: string }>({
    sql: `SELECT DISTINCT call_key FROM {database:Identifier}.${CALLS_TABLE} WHERE call_key IN {ids:Array(String)} AND load_id IN (SELECT load_id FROM {database:Identifier}.${LOADS_TABLE})`,
    params: { ids },
  });
  return rows.map((row) => row.call_key);
}

/** The certain rows' counts and the parser's tally as the one tally the reader gives for the whole file. */
function combineTallies(
  counts: TallyRow,
  parsed: ParsedRows,
  blankLines: number,
  firstLines: ReadonlyMap<WarningKind, number>,
  fileBytes: number,
): ReadTally {
  const tally = emptyTally();
  const other = parsed.tally;
  const certain = Number(counts.certain_rows);
  tally.rowsRead = certain + other.rowsRead;
  tally.rowsKept = certain + other.rowsKept;
  tally.rowsRejected = other.rowsRejected;
  tally.rowsWarned = Number(counts.warned) + other.rowsWarned;
  tally.rejectedByReason = { ...other.rejectedByReason } as Partial<Record<RejectionReason, number>>;
  // The reader lists the kinds in the order they first appear, and a row's kinds in their own order.
  const firsts: { kind: WarningKind; line: number; index: number; count: number }[] = [];
  WARNING_KINDS.forEach((kind, index) => {
    const count = Number(counts[`count_flag_${kind}`] ?? 0) + (other.warningsByKind[kind] ?? 0);
    if (count === 0) return;
    const certainFirst = firstLines.get(kind) ?? Infinity;
    const parsedFirst = parsed.firstWarning.get(kind) ?? Infinity;
    firsts.push({ kind, line: Math.min(certainFirst, parsedFirst), index, count });
  });
  firsts.sort((left, right) => left.line - right.line || left.index - right.index);
  for (const entry of firsts) tally.warningsByKind[entry.kind] = entry.count;
  tally.blankLines = blankLines;
  tally.bytesRead = fileBytes;
  const coverage = tally.coverage;
  coverage.rowsReported = certain + other.coverage.rowsReported;
  coverage.rowsPriced = other.coverage.rowsPriced;
  coverage.rowsUnpriced = other.coverage.rowsUnpriced;
  coverage.unpricedTokens = other.coverage.unpricedTokens;
  coverage.rowsWithoutCallId = Number(counts.without_call_id) + other.coverage.rowsWithoutCallId;
  coverage.rowsWithoutLatency = Number(counts.without_latency) + other.coverage.rowsWithoutLatency;
  coverage.reportedCostMicros = Number(counts.reported_cost) + other.coverage.reportedCostMicros;
  coverage.reportedListMicros = Number(counts.reported_list) + other.coverage.reportedListMicros;
  return tally;
}
