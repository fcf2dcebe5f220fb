import { HISTOGRAM_EXACT_LIMIT, HISTOGRAM_GAMMA } from '@finops/analyzers';
import { parseTimestamp } from '@finops/schema';
import type { QueryParams } from './connection';
import { ClickHouseError } from './errors';
import { CALLS_TABLE, LOADS_TABLE } from './migrations';

/** Which calls an analysis reads: a time window and equality filters on attribution columns. */
export interface CallFilter {
  /** First instant kept (ISO 8601; a date means its start, UTC). */
  since?: string;
  /** Last instant kept (ISO 8601, inclusive; a date means the whole of that day, UTC). */
  until?: string;
  /** `column → values`: a call is kept when each named column holds one of its values. */
  where?: Readonly<Record<string, readonly string[]>>;
  /** Only rows of the committed loads in this range of load sequence numbers (see {@link LoadRange}). */
  loads?: LoadRange;
}

/**
 * The committed loads numbered `after < load_seq <= through`: what a
 * follower reads when it looks again (`after` is what it already holds).
 */
export interface LoadRange {
  after: number;
  through: number;
}

/** The SQL condition on `load_seq` of the loads table for a {@link LoadRange}, with the values it binds. */
export function loadRangeSql(range: LoadRange): { sql: string; params: QueryParams } {
  return {
    sql: 'load_seq > {loads_after:UInt64} AND load_seq <= {loads_through:UInt64}',
    params: { loads_after: range.after, loads_through: range.through },
  };
}

/** Columns `--where` may filter on. */
export const FILTER_COLUMNS = [
  'customer_id',
  'subscription_tier',
  'organization_id',
  'product_id',
  'feature_id',
  'task_type',
  'environment',
  'provider',
  'model',
  'region',
  'status',
  'error_type',
  'service_tier',
  'api_key_id',
  'user_id',
  'team_id',
  'cost_source',
] as const;

/** The calls an aggregate query reads: a `FROM … WHERE …` clause and the values it binds. */
export interface Scope {
  /** `FROM <calls> FINAL WHERE <committed loads and filters>`; aggregates add `AND …`. */
  from: string;
  params: QueryParams;
  /**
   * What {@link scopeOf} made `from` of: the table read (`FROM <calls>`),
   * whether the read is `FINAL`, and the text after `WHERE` (see
   * {@link narrowedFrom}).
   */
  parts?: { table: string; final: boolean; conditions: string };
}

const MS_PER_DAY = 86_400_000;

function instant(text: string, flag: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = parseTimestamp(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms))
    throw new ClickHouseError(
      'clickhouse_settings',
      `${flag} takes an ISO 8601 date or timestamp, got "${text}"`,
    );
  if (!endOfDay) return ms;
  return dateOnly ? ms + MS_PER_DAY : ms + 1;
}

/**
 * The calls relation for a filter. Rows of loads that never committed are
 * left out and `FINAL` collapses rows of one call id that the engine has
 * not merged yet (the dedupe policy, see the package README), unless `mode`
 * says the table needs neither (see `readMode`). Every value is bound; column names come from
 * {@link FILTER_COLUMNS} only.
 */
export function scopeOf(
  filter: CallFilter = {},
  mode: { final: boolean; committedOnly: boolean } = { final: true, committedOnly: true },
): Scope {
  const conditions = mode.committedOnly
    ? [`load_id IN (SELECT load_id FROM {database:Identifier}.${LOADS_TABLE})`]
    : ['1'];
  const params: QueryParams = {};
  if (filter.since !== undefined) {
    conditions.push('time_ms >= {since_ms:Int64}');
    params.since_ms = instant(filter.since, '--since', false);
  }
  if (filter.until !== undefined) {
    conditions.push('time_ms < {until_ms:Int64}');
    params.until_ms = instant(filter.until, '--until', true);
  }
  if (filter.loads !== undefined) {
    // A semi-join on the small loads table: the engine reads `load_id` of every row, other columns of the range's rows only.
    const range = loadRangeSql(filter.loads);
    conditions.push(
      `load_id IN (SELECT load_id FROM {database:Identifier}.${LOADS_TABLE} WHERE ${range.sql})`,
    );
    Object.assign(params, range.params);
  }
  Object.entries(filter.where ?? {}).forEach(([column, values], index) => {
    if (!(FILTER_COLUMNS as readonly string[]).includes(column))
      throw new ClickHouseError(
        'clickhouse_settings',
        `--where cannot filter on "${column}"; it takes one of ${FILTER_COLUMNS.join(', ')}`,
      );
    conditions.push(`{where_column_${index}:Identifier} IN {where_values_${index}:Array(String)}`);
    params[`where_column_${index}`] = column;
    params[`where_values_${index}`] = [...values];
  });
  const parts = {
    table: `FROM {database:Identifier}.${CALLS_TABLE}`,
    final: mode.final,
    conditions: conditions.join(' AND '),
  };
  return { from: `${parts.table}${parts.final ? ' FINAL' : ''} WHERE ${parts.conditions}`, params, parts };
}

/**
 * The scope's `FROM … WHERE …` narrowed by `condition`, which the engine
 * then checks first (`PREWHERE`): it reads the other columns only for the
 * rows the condition keeps — a lookup of a few keys among ten million rows
 * reads one column of numbers instead of every row's strings. A `FINAL`
 * read takes the condition in its `WHERE` instead: a `PREWHERE` would drop
 * rows before the engine collapses the versions of a call, and could then
 * keep a version the table has replaced.
 */
export function narrowedFrom(scope: Scope, condition: string): string {
  const { parts } = scope;
  if (parts === undefined || parts.final) return `${scope.from} AND ${condition}`;
  return `${parts.table} PREWHERE ${condition} WHERE ${parts.conditions}`;
}

/** Reads `field=value` pairs (repeatable) into {@link CallFilter.where}. */
export function parseWhere(pairs: readonly string[]): Record<string, string[]> {
  const where: Record<string, string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new ClickHouseError(
        'clickhouse_settings',
        `--where takes column=value, e.g. customer_id=cust_0075; got "${pair}"`,
      );
    (where[pair.slice(0, at).trim()] ??= []).push(pair.slice(at + 1));
  }
  return where;
}

/** The UTC day number of a call (days since 1970-01-01), as the in-process cube counts it. */
export const DAY_SQL = 'toInt64(floor(time_ms / 86400000))';

/** The natural logarithm of the histogram's growth factor, exactly as the in-process histogram computes it. */
export const LN_GAMMA = Math.log(HISTOGRAM_GAMMA);
/** The exponent of the first logarithmic bucket, as the in-process histogram computes it. */
export const FIRST_LOG_EXPONENT = Math.ceil(Math.log(HISTOGRAM_EXACT_LIMIT) / LN_GAMMA);

/**
 * The in-process histogram's bucket of an integer value, in SQL: its own
 * bucket below {@link HISTOGRAM_EXACT_LIMIT}, then `ceil(ln v / ln γ)`
 * shifted. `ln γ` and the first exponent are the doubles V8 computed,
 * written as the shortest literals that read back as the same doubles (a
 * test checks the engine reads them so), so only the engine's `log` could
 * differ — a conformance test checks every bucket edge against the
 * in-process function. They are constants of the histogram, not settings:
 * written into the text, the expression is the same in every query and in
 * the table's projections, which the engine matches by expression.
 */
export function bucketSql(value: string): string {
  return `if(${value} < ${HISTOGRAM_EXACT_LIMIT}, toInt64(greatest(${value}, 0)), toInt64(${HISTOGRAM_EXACT_LIMIT} + ceil(log(${value}) / ${LN_GAMMA_SQL}) - ${FIRST_LOG_EXPONENT}))`;
}

/** {@link LN_GAMMA} as a Float64 literal: JavaScript's shortest text that reads back as the same double. */
export const LN_GAMMA_SQL = `toFloat64(${String(LN_GAMMA)})`;
