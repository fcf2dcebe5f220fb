/**
 * Langfuse: generation observations, from a UI trace download
 * (`{ trace, observations }`), a public-API trace (`GET /api/public/traces/{id}`),
 * an observations page (`{ data, meta }`, v1 or v2), JSON Lines, or CSV of
 * the blob export (snake_case columns). Langfuse decomposes usage
 * (`input` is the uncached part), reports latency in seconds, and keeps
 * OpenTelemetry attributes inside `metadata`.
 */
import { type AttributionMap, valueAtPath } from '../../attribution';
import { providerFromModel } from '../../providers';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome, skipped } from '../../source';
import { finiteNumber, firstOf, isObject, isoTimestamp, objectOf, stringListOf, textOf } from '../../values';
import { firstPageRecord, headerHas, pageRecords, spanMs, tagsObject } from '../shared';

/** Observation types that are calls to a model. */
const CALL_TYPES = new Set(['GENERATION', 'EMBEDDING']);
/** OpenTelemetry operations of spans that sum their children's usage (not calls themselves). */
const AGGREGATE_OPERATIONS = new Set(['invoke_agent', 'create_agent', 'execute_tool', 'invoke_workflow']);

const metadataKey = (key: string): string[] => [`metadata.${key}`, `trace.metadata.${key}`];

/** Where Langfuse observations keep our business columns unless a map says otherwise. */
export const LANGFUSE_ATTRIBUTION: AttributionMap = {
  customer_id: ['userId', 'user_id', 'trace.userId', 'trace.user_id'],
  session_id: ['sessionId', 'session_id', 'trace.sessionId', 'trace.session_id'],
  subscription_tier: [...metadataKey('subscription_tier'), ...metadataKey('tier'), 'tag:tier:'],
  organization_id: [...metadataKey('organization_id'), 'tag:org:'],
  product_id: [...metadataKey('product_id'), ...metadataKey('product'), 'tag:product:'],
  feature_id: [...metadataKey('feature_id'), ...metadataKey('feature'), 'tag:feature:'],
  task_type: [...metadataKey('task_type'), ...metadataKey('task'), 'tag:task:'],
  environment: ['environment', 'trace.environment', ...metadataKey('environment'), 'tag:env:'],
};

/** A field under its API (camelCase) or blob-export (snake_case) name. */
function field(record: Readonly<Record<string, unknown>>, camel: string, snake: string): unknown {
  return firstOf(record, camel, snake);
}

function isObservation(record: Readonly<Record<string, unknown>>): boolean {
  return (
    'type' in record &&
    ('traceId' in record || 'trace_id' in record) &&
    ('startTime' in record || 'start_time' in record)
  );
}

/** Token counts from Langfuse's usage details, under the rule its own cost columns use. */
export interface LangfuseUsage {
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  reasoning: number;
}

/**
 * Sums usage details: input = every key containing `input` (plus `cache_*`
 * keys that do not), output = every key containing `output`; `total` and
 * keys of neither kind (such as Gemini's `completion_details.reasoning`,
 * already inside `output`) are not added.
 */
export function sumUsageDetails(details: Readonly<Record<string, unknown>>): LangfuseUsage | string {
  const usage: LangfuseUsage = { input: 0, output: 0, cached: 0, cacheWrite: 0, reasoning: 0 };
  for (const [key, raw] of Object.entries(details)) {
    if (raw === null || raw === undefined) continue;
    const value = finiteNumber(raw);
    if (value === undefined || Number.isNaN(value) || value < 0 || !Number.isInteger(value)) {
      return key;
    }
    const name = key.toLowerCase();
    if (name.includes('input') || name.startsWith('cache_')) usage.input += value;
    else if (name.includes('output')) usage.output += value;
    if (name.includes('cache_read') || name.includes('cached')) usage.cached += value;
    if (name.includes('cache_creation') || name.includes('cache_write')) usage.cacheWrite += value;
    if (name.includes('reasoning')) usage.reasoning += value;
  }
  return usage;
}

function usageDetailsOf(observation: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const details = objectOf(field(observation, 'usageDetails', 'usage_details'));
  if (details && Object.keys(details).length > 0) return details;
  const legacy = objectOf(observation['usage']);
  if (legacy) return { input: legacy['input'], output: legacy['output'] };
  const input = field(observation, 'inputUsage', 'input_usage');
  const output = field(observation, 'outputUsage', 'output_usage');
  return input === undefined && output === undefined ? undefined : { input, output };
}

function attributes(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  return objectOf(metadata?.['attributes']) ?? metadata ?? {};
}

function providerOf(
  metadata: Record<string, unknown> | undefined,
  model: string | undefined,
): string | undefined {
  const attrs = attributes(metadata);
  const named = textOf(
    firstOf(attrs, 'gen_ai.provider.name', 'gen_ai.system', 'ls_provider', 'llm.provider') ??
      firstOf(metadata ?? {}, 'ls_provider', 'provider'),
  );
  if (named !== undefined && !named.includes('agent_framework')) return named;
  return model === undefined ? undefined : providerFromModel(model);
}

/** One observation as our row; `trace` supplies user, session and tags when the observation lacks them. */
export function readObservation(
  observation: Record<string, unknown>,
  trace: Record<string, unknown> | undefined,
  at?: string,
): SourceOutcome {
  const type = textOf(observation['type'])?.toUpperCase();
  if (type === undefined || !CALL_TYPES.has(type)) return skipped('not_a_generation', at);
  const metadata = objectOf(observation['metadata']);
  const operation = textOf(attributes(metadata)['gen_ai.operation.name']);
  if (operation !== undefined && AGGREGATE_OPERATIONS.has(operation))
    return skipped('agent_or_tool_span', at);

  const call = new CallBuilder();
  const id = call.text('call_id', observation['id'], 'id', true);
  call.text('request_id', id, 'id');
  call.text('trace_id', field(observation, 'traceId', 'trace_id'), 'traceId');
  const start = call.timestamp('timestamp', field(observation, 'startTime', 'start_time'), 'startTime');
  const model = call.text(
    'model',
    firstOf(observation, 'providedModelName', 'provided_model_name', 'model'),
    'providedModelName',
    true,
  );
  call.text('provider', providerOf(metadata, model), 'metadata.gen_ai.provider.name', true);

  const details = usageDetailsOf(observation);
  if (details === undefined) {
    call.reject(
      'usageDetails',
      'missing_field',
      '"usageDetails" is missing (needed for input_tokens and output_tokens)',
    );
  } else {
    const usage = sumUsageDetails(details);
    if (typeof usage === 'string') {
      call.reject(
        `usageDetails.${usage}`,
        'invalid_number',
        `"usageDetails.${usage}" is not a whole number ≥ 0`,
      );
    } else {
      call.setCount('input_tokens', usage.input);
      call.setCount('output_tokens', usage.output);
      if (usage.cached > 0) call.setCount('cached_input_tokens', usage.cached);
      if (usage.cacheWrite > 0) call.setCount('cache_write_input_tokens', usage.cacheWrite);
      if (usage.reasoning > 0) call.setCount('reasoning_tokens', usage.reasoning);
      readCost(call, observation, usage.input + usage.output);
    }
  }

  const end = isoTimestamp(textOf(field(observation, 'endTime', 'end_time')) ?? '');
  call.setCount('latency_ms', spanMs(start, end) ?? secondsToMs(observation['latency']));
  const firstToken = isoTimestamp(
    textOf(field(observation, 'completionStartTime', 'completion_start_time')) ?? '',
  );
  call.setCount(
    'time_to_first_token_ms',
    spanMs(start, firstToken) ?? secondsToMs(field(observation, 'timeToFirstToken', 'time_to_first_token')),
  );
  const level = textOf(observation['level'])?.toUpperCase();
  if (level !== undefined) call.row.status = level === 'ERROR' ? 'error' : 'success';
  const tags = [...stringListOf(observation['tags']), ...stringListOf(trace?.['tags'])];
  const tagText = tagsObject(tags);
  if (tagText !== undefined) call.row.tags = tagText;

  const environment = textOf(field(observation, 'environment', 'environment'));
  const record: Record<string, unknown> = {
    ...observation,
    metadata: metadata ?? {},
    // Langfuse names an environment nobody set "default": unknown to us.
    environment: environment === 'default' ? undefined : environment,
    ...(trace
      ? {
          trace: {
            ...trace,
            environment: textOf(trace['environment']) === 'default' ? undefined : trace['environment'],
            metadata: objectOf(trace['metadata']) ?? {},
          },
        }
      : {}),
  };
  return call.outcome({ record, tags }, at);
}

function secondsToMs(value: unknown): number | undefined {
  const seconds = finiteNumber(value);
  return seconds === undefined || Number.isNaN(seconds) || seconds < 0
    ? undefined
    : Math.round(seconds * 1000);
}

/**
 * `totalCost` in dollars (or `costDetails.total`). A zero on a call with
 * tokens and no matched price model is Langfuse not knowing the price: left unknown.
 */
function readCost(call: CallBuilder, observation: Readonly<Record<string, unknown>>, tokens: number): void {
  const total =
    firstOf(observation, 'totalCost', 'total_cost', 'calculatedTotalCost') ??
    valueAtPath(observation, 'costDetails.total') ??
    valueAtPath(observation, 'cost_details.total');
  if (total === undefined || total === null) return;
  const matchedModel = firstOf(observation, 'internalModelId', 'internal_model_id', 'modelId', 'model_id');
  if (Number(total) === 0 && tokens > 0 && matchedModel === undefined) return;
  call.cost(total, 'totalCost');
}

/** The observations of a trace document, each id once (a UI download lists them twice). */
function* traceObservations(value: Record<string, unknown>): Generator<SourceOutcome> {
  const trace = isObject(value['trace']) ? value['trace'] : value;
  const lists: [unknown, string][] = [
    [value['observations'], 'observations'],
    [trace !== value ? trace['observations'] : undefined, 'trace.observations'],
  ];
  const listed = new Set<string>();
  for (const [list, name] of lists) {
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const item: unknown = list[index];
      const at = `${name}[${index}]`;
      if (!isObject(item)) {
        yield malformed('an observation must be a JSON object', at);
        continue;
      }
      const id = textOf(item['id']);
      if (name === 'trace.observations' && id !== undefined && listed.has(id)) continue;
      if (id !== undefined) listed.add(id);
      yield readObservation(item, trace, at);
    }
  }
}

function isTraceDocument(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  if (isObject(value['trace']) && Array.isArray(value['observations'] ?? value['trace']['observations']))
    return true;
  return Array.isArray(value['observations']) && 'id' in value && !isObservation(value);
}

/** The Langfuse importer. */
export const langfuse: SourceImporter = {
  name: 'langfuse',
  title: 'Langfuse generations (trace downloads, public API pages, blob export JSON Lines and CSV)',
  formats: ['json', 'jsonl', 'csv'],
  defaultAttribution: LANGFUSE_ATTRIBUTION,
  recognizeJson(value) {
    if (isTraceDocument(value)) return true;
    const first = firstPageRecord(value);
    return first !== undefined && isObservation(first);
  },
  recognizeCsv(header) {
    return (
      header.includes('id') &&
      header.includes('type') &&
      (headerHas(header, 'traceId', 'startTime') || headerHas(header, 'trace_id', 'start_time'))
    );
  },
  *readJson(value) {
    if (isTraceDocument(value)) {
      yield* traceObservations(value);
      return;
    }
    for (const { record, at } of pageRecords(value, isObservation)) {
      if (record === undefined) yield malformed('an observation must be a JSON object', at);
      else if (isTraceDocument(record)) yield* traceObservations(record);
      else yield readObservation(record, undefined, at);
    }
  },
  readCsvRow(row) {
    return readObservation(row, undefined);
  },
};
