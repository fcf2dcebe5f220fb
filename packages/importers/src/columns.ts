/**
 * The columns of an imported call log: version 2 of the call record, in its
 * canonical order (the schema's). An imported row fills what its source knows
 * and leaves the rest empty (unknown, never invented).
 */
import { CSV_COLUMNS, type CsvColumn, REQUIRED_COLUMNS as SCHEMA_REQUIRED_COLUMNS } from '@finops/schema';

/** Every column an importer writes, in the order of the CSV header: the schema's version-2 columns. */
export const IMPORT_COLUMNS = CSV_COLUMNS;

/** A column of an imported call log. */
export type ImportColumn = CsvColumn;

/** Columns every imported row must have (the schema's required columns). */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = SCHEMA_REQUIRED_COLUMNS;

/** Columns holding whole numbers (token counts, milliseconds, the call weight). */
export const INTEGER_COLUMNS = [
  'input_tokens',
  'output_tokens',
  'latency_ms',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'reasoning_tokens',
  'time_to_first_token_ms',
  'calls',
] as const satisfies readonly ImportColumn[];

/**
 * Columns an attribution map may fill: who and what a call was for, and
 * where it ran. No source has the business columns natively; they come from
 * tags, metadata or properties.
 */
export const MAPPABLE_COLUMNS = [
  'customer_id',
  'subscription_tier',
  'organization_id',
  'product_id',
  'feature_id',
  'task_type',
  'environment',
  'trace_id',
  'session_id',
  'user_agent',
  'region',
  'user_id',
  'team_id',
  'api_key_id',
] as const satisfies readonly ImportColumn[];

/** A column an attribution map may fill. */
export type MappableColumn = (typeof MAPPABLE_COLUMNS)[number];

/**
 * One imported call: values by column name; a column left out is unknown.
 * Token counts are numbers, `cost_usd` is a decimal dollar string kept exactly
 * as the source reported it (after unit conversion), everything else text.
 */
export type ImportRow = Partial<Record<ImportColumn, string | number>>;

/** True when `name` is one of {@link IMPORT_COLUMNS}. */
export function isImportColumn(name: string): name is ImportColumn {
  return (IMPORT_COLUMNS as readonly string[]).includes(name);
}

/** True when `name` is one of {@link MAPPABLE_COLUMNS}. */
export function isMappableColumn(name: string): name is MappableColumn {
  return (MAPPABLE_COLUMNS as readonly string[]).includes(name);
}
