import type { CubeBuilder } from '../builder';
import type { BoundQuery } from '../connection';
import type { Scope } from '../scope';

/** One result row of an aggregate query: 64-bit numbers arrive as strings. */
export type AggregateRow = Record<string, unknown>;

/**
 * One aggregate of the analyses' shared state, pushed down: the GROUP BY
 * query that fills it over the calls relation, and how each result row adds
 * into the state being built.
 */
export interface Aggregate {
  /** Its name (also the file's). */
  readonly name: string;
  /**
   * The query; `builder` holds what earlier aggregates found. `undefined`
   * when they show there is nothing to ask (no group small enough to keep
   * its values).
   */
  query(scope: Scope, builder: CubeBuilder): BoundQuery | undefined;
  /** Adds one result row. */
  fold(builder: CubeBuilder, row: AggregateRow): void;
  /** The body of a projection the engine can answer the query from (see `projections.ts`). */
  readonly projection?: string;
}

/** A numeric column of a row (exact below 2⁵³). */
export function numberOf(row: AggregateRow, column: string): number {
  return Number(row[column]);
}

/** A text column of a row. */
export function textOf(row: AggregateRow, column: string): string {
  return String(row[column] ?? '');
}

/**
 * A boolean column of a row, as the engine answers it (1 / 0 in JSON, '1' /
 * '0' in tab-separated text, or true / false); undefined when the row has
 * no such column.
 */
export function flagOf(row: AggregateRow | undefined, column: string): boolean | undefined {
  const value = row?.[column];
  if (value === 1 || value === '1' || value === true) return true;
  if (value === 0 || value === '0' || value === false) return false;
  return undefined;
}

/** The `(value, times)` pairs of a `groupArray((value, calls))` column. */
export function pairsOf(row: AggregateRow, column: string): [number, number][] {
  return (row[column] as [unknown, unknown][]).map(([value, times]) => [Number(value), Number(times)]);
}

/** The figures every breakdown sums: calls (weighted), cost, input and output tokens. */
export const SUMS_SQL =
  'sum(calls) AS calls, sum(cost_micros) AS cost, sum(input_tokens) AS input, sum(output_tokens) AS output';

/**
 * A condition keeping the rows whose `columns` hold one of `keys`, with
 * each column's values bound as a list (any strings, no separator needed).
 */
export function keyCondition(
  columns: readonly string[],
  keys: readonly (readonly string[])[],
): {
  sql: string;
  params: Record<string, string[]>;
} {
  const params: Record<string, string[]> = {};
  const lists = columns.map((column, index) => {
    params[`key_${index}`] = keys.map((key) => key[index] as string);
    return `{key_${index}:Array(String)}`;
  });
  const values = columns.map((column) => `toString(${column})`);
  return { sql: `has(arrayZip(${lists.join(', ')}), tuple(${values.join(', ')}))`, params };
}
