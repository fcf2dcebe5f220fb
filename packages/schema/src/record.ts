import { MS_PER_DAY, utcDayNumber, utcHour, utcWeekday } from './time';

/**
 * Version of the call record's field set. Version 2 opens the record: only
 * five columns are required, plans and environments are any name, and calls
 * may carry cache, reasoning, status, region and weight columns.
 */
export const SCHEMA_VERSION = 2;

/** The default subscription plans (any plan name is accepted; these are priced by default). */
export const SUBSCRIPTION_TIERS = ['starter', 'pro', 'enterprise'] as const;
/** A customer's subscription plan: any name; the three defaults are {@link SUBSCRIPTION_TIERS}. */
export type SubscriptionTier = string;

/** The usual deployment environments (any name is accepted). */
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
/** The deployment environment of a call: any name. */
export type Environment = string;

/** Outcomes a call can have (`status` column). */
export const CALL_STATUSES = ['success', 'error'] as const;
/** The outcome of a call. */
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Where a call's cost comes from: the log itself, the price catalog, or nowhere (a model the catalog does not know). */
export const COST_SOURCES = ['reported', 'catalog', 'unpriced'] as const;
/** Where a call's cost comes from. */
export type CostSource = (typeof COST_SOURCES)[number];

/** What an attribution field holds when the log gives no value for it. */
export const UNATTRIBUTED = '(unattributed)';

/** Features and task types the simulator uses (real logs may carry any string). */
export const KNOWN_FEATURES = [
  'chat',
  'code_generation',
  'summarization',
  'translation',
  'analysis',
  'qa',
] as const;

/**
 * One call to a model provider (or, with {@link CallRecord.calls} above 1,
 * several calls summed in one row): one row of the log. Field names are the
 * camel-case forms of the columns ({@link CSV_COLUMNS}).
 *
 * Token rule: `inputTokens` counts every input token, cache reads and cache
 * writes included; `outputTokens` counts every output token, reasoning
 * included. The subset fields are parts of those totals, never additions.
 */
export interface CallRecord {
  /** The timestamp exactly as written in the log (ISO 8601). */
  timestamp: string;
  /** The same instant in milliseconds since the epoch, UTC (derived on read). */
  timeMs: number;
  /** The log's id of the call; `''` when the log has none (duplicates cannot be detected then). */
  callId: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** What the call cost, in integer micro-dollars (as reported, or priced from the catalog; 0 when unpriced). */
  costMicros: number;
  /** Where {@link costMicros} comes from; `'reported'` when absent. */
  costSource?: CostSource;
  /** Milliseconds the call took; `null` when the log does not say. */
  latencyMs: number | null;
  /** The customer; {@link UNATTRIBUTED} when the log does not say. */
  customerId: string;
  /** The customer's plan, any name; {@link UNATTRIBUTED} when the log does not say. */
  subscriptionTier: SubscriptionTier;
  organizationId: string;
  productId: string;
  featureId: string;
  taskType: string;
  environment: Environment;
  requestId: string;
  traceId: string;
  sessionId: string;
  userAgent: string;
  /** Input tokens read from the provider's prompt cache (part of {@link inputTokens}); 0 by default. */
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (part of {@link inputTokens}); 0 by default. */
  cacheWriteInputTokens?: number;
  /** Reasoning tokens (part of {@link outputTokens}); 0 by default. */
  reasoningTokens?: number;
  /** `'success'` by default. */
  status?: CallStatus;
  /** The error's kind for a failed call, e.g. `rate_limit`; `''` when none. */
  errorType?: string;
  /** Where the call was served, e.g. `us-east-1`; `''` when unknown. */
  region?: string;
  /** The provider's service tier (`default`, `batch`, `priority`, `flex`); `''` when unknown. */
  serviceTier?: string;
  /** Milliseconds to the first token of a streamed answer; `null` or absent when unknown. */
  timeToFirstTokenMs?: number | null;
  apiKeyId?: string;
  userId?: string;
  teamId?: string;
  /** A JSON object as text (`''` when none). */
  tags?: string;
  /** Calls the row stands for (usage-report buckets, FOCUS rows); 1 by default. */
  calls?: number;
  /** Values of columns outside the schema, by header name; present only when the log has such columns. */
  extra?: Readonly<Record<string, string>>;
}

/** The columns of a version-1 log, in its order: the writer's default. */
export const V1_COLUMNS = [
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
] as const;

/** Every column of the record, version 2, in canonical order: the 19 of version 1, then the new ones. */
export const CSV_COLUMNS = [
  ...V1_COLUMNS,
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

/** A column name of the schema. */
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The columns every log must have. */
export const REQUIRED_COLUMNS: readonly CsvColumn[] = [
  'timestamp',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
];

/** How a column's text is read. */
export type ColumnKind = 'timestamp' | 'string' | 'integer' | 'decimal' | 'enum' | 'json';

/** Description of one column: its record field, kind and allowed values. */
export interface ColumnSpec {
  column: CsvColumn;
  field: Exclude<keyof CallRecord, 'timeMs' | 'extra' | 'costSource'>;
  kind: ColumnKind;
  /** Whether every row must give a value. */
  required: boolean;
  values?: readonly string[];
}

const spec = (
  column: CsvColumn,
  field: ColumnSpec['field'],
  kind: ColumnKind,
  values?: readonly string[],
): ColumnSpec => ({
  column,
  field,
  kind,
  required: REQUIRED_COLUMNS.includes(column),
  ...(values ? { values } : {}),
});

/** Every column with its record field and kind, in canonical order. */
export const COLUMN_SPECS: readonly ColumnSpec[] = [
  spec('timestamp', 'timestamp', 'timestamp'),
  spec('call_id', 'callId', 'string'),
  spec('provider', 'provider', 'string'),
  spec('model', 'model', 'string'),
  spec('input_tokens', 'inputTokens', 'integer'),
  spec('output_tokens', 'outputTokens', 'integer'),
  spec('cost_usd', 'costMicros', 'decimal'),
  spec('latency_ms', 'latencyMs', 'integer'),
  spec('customer_id', 'customerId', 'string'),
  spec('subscription_tier', 'subscriptionTier', 'string'),
  spec('organization_id', 'organizationId', 'string'),
  spec('product_id', 'productId', 'string'),
  spec('feature_id', 'featureId', 'string'),
  spec('task_type', 'taskType', 'string'),
  spec('environment', 'environment', 'string'),
  spec('request_id', 'requestId', 'string'),
  spec('trace_id', 'traceId', 'string'),
  spec('session_id', 'sessionId', 'string'),
  spec('user_agent', 'userAgent', 'string'),
  spec('cached_input_tokens', 'cachedInputTokens', 'integer'),
  spec('cache_write_input_tokens', 'cacheWriteInputTokens', 'integer'),
  spec('reasoning_tokens', 'reasoningTokens', 'integer'),
  spec('status', 'status', 'enum', CALL_STATUSES),
  spec('error_type', 'errorType', 'string'),
  spec('region', 'region', 'string'),
  spec('service_tier', 'serviceTier', 'string'),
  spec('time_to_first_token_ms', 'timeToFirstTokenMs', 'integer'),
  spec('api_key_id', 'apiKeyId', 'string'),
  spec('user_id', 'userId', 'string'),
  spec('team_id', 'teamId', 'string'),
  spec('tags', 'tags', 'json'),
  spec('calls', 'calls', 'integer'),
];

/** The attribution columns: an empty value reads as {@link UNATTRIBUTED}. */
export const ATTRIBUTION_COLUMNS: readonly CsvColumn[] = [
  'customer_id',
  'subscription_tier',
  'organization_id',
  'product_id',
  'feature_id',
  'task_type',
  'environment',
];

/** Longest accepted field, in characters (`tags` may be longer: {@link MAX_TAGS_LENGTH}). */
export const MAX_FIELD_LENGTH = 255;
/** Longest accepted `tags` value, in characters. */
export const MAX_TAGS_LENGTH = 4096;

/** `inputTokens + outputTokens`. */
export function totalTokens(record: Pick<CallRecord, 'inputTokens' | 'outputTokens'>): number {
  return record.inputTokens + record.outputTokens;
}

/** The call's UTC day as days since 1970-01-01. */
export function recordDay(record: Pick<CallRecord, 'timeMs'>): number {
  return utcDayNumber(record.timeMs);
}

/** The call's UTC hour, 0–23. */
export function recordHour(record: Pick<CallRecord, 'timeMs'>): number {
  return utcHour(record.timeMs);
}

/** The call's UTC weekday, 0 = Monday … 6 = Sunday. */
export function recordWeekday(record: Pick<CallRecord, 'timeMs'>): number {
  return utcWeekday(record.timeMs);
}

/** Cost per 1,000 tokens of a call in micro-dollars (0 for a call without tokens). */
export function costPer1kTokensMicros(
  record: Pick<CallRecord, 'costMicros' | 'inputTokens' | 'outputTokens'>,
): number {
  const tokens = record.inputTokens + record.outputTokens;
  return tokens === 0 ? 0 : (record.costMicros * 1000) / tokens;
}

/** Calendar days from the UTC day of `firstMs` to that of `lastMs`, inclusive. */
export function windowDays(firstMs: number, lastMs: number): number {
  return Math.floor(lastMs / MS_PER_DAY) - Math.floor(firstMs / MS_PER_DAY) + 1;
}

/** True when `value` is one of the three default plans. */
export function isSubscriptionTier(value: string): value is (typeof SUBSCRIPTION_TIERS)[number] {
  return value === 'starter' || value === 'pro' || value === 'enterprise';
}

/** True when `value` is one of the usual environments. */
export function isEnvironment(value: string): value is (typeof ENVIRONMENTS)[number] {
  return value === 'production' || value === 'staging' || value === 'development';
}

/** A record with every optional field of version 2 given (what the reader returns). */
export type CompleteCallRecord = CallRecord &
  Required<Omit<CallRecord, 'extra' | 'timeToFirstTokenMs'>> & { timeToFirstTokenMs: number | null };

/**
 * The record with each optional field it lacks at its default: no cache or
 * reasoning tokens, a successful single call, a reported cost, empty strings
 * and no time to first token. The reader leaves the version-2 fields out of
 * the records of a log that has none of those columns (a version-1 log), so
 * that they stay as small as before; this gives them all.
 */
export function completeRecord(record: CallRecord): CompleteCallRecord {
  return {
    ...record,
    costSource: record.costSource ?? 'reported',
    cachedInputTokens: record.cachedInputTokens ?? 0,
    cacheWriteInputTokens: record.cacheWriteInputTokens ?? 0,
    reasoningTokens: record.reasoningTokens ?? 0,
    status: record.status ?? 'success',
    errorType: record.errorType ?? '',
    region: record.region ?? '',
    serviceTier: record.serviceTier ?? '',
    timeToFirstTokenMs: record.timeToFirstTokenMs ?? null,
    apiKeyId: record.apiKeyId ?? '',
    userId: record.userId ?? '',
    teamId: record.teamId ?? '',
    tags: record.tags ?? '',
    calls: record.calls ?? 1,
  };
}
