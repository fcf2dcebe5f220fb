/**
 * The columns of an imported call log: version 2 of the call record, in its
 * canonical order. Required columns first come from version 1; the optional
 * columns of version 2 follow. An imported row fills what its source knows
 * and leaves the rest empty (unknown, never invented).
 */

/** Every column an importer writes, in the order of the CSV header. */
export const IMPORT_COLUMNS = [
  'timestamp',
  'call_id',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'latency_ms',
  'customer_id',
  'subscription_tier',
  'organization_id',
  'product_id',
  'feature_id',
  'task_type',
  'environment',
  'request_id',
  'trace_id',
  'session_id',
  'user_agent',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'reasoning_tokens',
  'status',
  'error_type',
  'region',
  'service_tier',
  'time_to_first_token_ms',
  'api_key_id',
  'user_id',
  'team_id',
  'tags',
  'calls',
] as const;

/** A column of an imported call log. */
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns every imported row must have. */
export const REQUIRED_COLUMNS = ['timestamp', 'provider', 'model', 'input_tokens', 'output_tokens'] as const;

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
export const ATTRIBUTION_COLUMNS = [
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
export type AttributionColumn = (typeof ATTRIBUTION_COLUMNS)[number];

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

/** True when `name` is one of {@link ATTRIBUTION_COLUMNS}. */
export function isAttributionColumn(name: string): name is AttributionColumn {
  return (ATTRIBUTION_COLUMNS as readonly string[]).includes(name);
}
