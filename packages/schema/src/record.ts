import { MS_PER_DAY, utcDayNumber, utcHour, utcWeekday } from './time';

/** Version of the call record's field set. */
export const SCHEMA_VERSION = 1;

/** Subscription plans a customer can be on. */
export const SUBSCRIPTION_TIERS = ['starter', 'pro', 'enterprise'] as const;
/** A customer's subscription plan. */
export type SubscriptionTier = (typeof SUBSCRIPTION_TIERS)[number];

/** Deployment environments a call can come from. */
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
/** The deployment environment of a call. */
export type Environment = (typeof ENVIRONMENTS)[number];

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
 * One call to a model provider: one row of the log. Field names are the
 * camel-case forms of the CSV columns ({@link CSV_COLUMNS}).
 */
export interface CallRecord {
  /** The timestamp exactly as written in the log (ISO 8601). */
  timestamp: string;
  /** The same instant in milliseconds since the epoch, UTC (derived on read). */
  timeMs: number;
  callId: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** What the call cost, in integer micro-dollars. */
  costMicros: number;
  latencyMs: number;
  customerId: string;
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
  /** Values of columns outside the schema, by header name; present only when the log has such columns. */
  extra?: Readonly<Record<string, string>>;
}

/** The 19 CSV columns in canonical order (the order the writer uses). */
export const CSV_COLUMNS = [
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

/** A CSV column name of the schema. */
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** How a column's text is read. */
export type ColumnKind = 'timestamp' | 'string' | 'integer' | 'decimal' | 'enum';

/** Description of one column: its record field, kind and allowed values. */
export interface ColumnSpec {
  column: CsvColumn;
  field: Exclude<keyof CallRecord, 'timeMs' | 'extra'>;
  kind: ColumnKind;
  values?: readonly string[];
}

/** Every column with its record field and kind, in canonical order. */
export const COLUMN_SPECS: readonly ColumnSpec[] = [
  { column: 'timestamp', field: 'timestamp', kind: 'timestamp' },
  { column: 'call_id', field: 'callId', kind: 'string' },
  { column: 'provider', field: 'provider', kind: 'string' },
  { column: 'model', field: 'model', kind: 'string' },
  { column: 'input_tokens', field: 'inputTokens', kind: 'integer' },
  { column: 'output_tokens', field: 'outputTokens', kind: 'integer' },
  { column: 'cost_usd', field: 'costMicros', kind: 'decimal' },
  { column: 'latency_ms', field: 'latencyMs', kind: 'integer' },
  { column: 'customer_id', field: 'customerId', kind: 'string' },
  { column: 'subscription_tier', field: 'subscriptionTier', kind: 'enum', values: SUBSCRIPTION_TIERS },
  { column: 'organization_id', field: 'organizationId', kind: 'string' },
  { column: 'product_id', field: 'productId', kind: 'string' },
  { column: 'feature_id', field: 'featureId', kind: 'string' },
  { column: 'task_type', field: 'taskType', kind: 'string' },
  { column: 'environment', field: 'environment', kind: 'enum', values: ENVIRONMENTS },
  { column: 'request_id', field: 'requestId', kind: 'string' },
  { column: 'trace_id', field: 'traceId', kind: 'string' },
  { column: 'session_id', field: 'sessionId', kind: 'string' },
  { column: 'user_agent', field: 'userAgent', kind: 'string' },
];

/** Longest accepted field, in characters. */
export const MAX_FIELD_LENGTH = 255;

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

/** True when `value` is one of the subscription tiers. */
export function isSubscriptionTier(value: string): value is SubscriptionTier {
  return value === 'starter' || value === 'pro' || value === 'enterprise';
}

/** True when `value` is one of the environments. */
export function isEnvironment(value: string): value is Environment {
  return value === 'production' || value === 'staging' || value === 'development';
}
