/**
 * Helicone: request rows, as ClickHouse `request_response_rmt` rows (JSON,
 * JSON Lines — 64-bit integers as strings — or CSV), as pages of the export
 * API (`POST /v1/request/query-clickhouse`, `{ data: [ … ] }`), or as the
 * export tool's CSV. Helicone's `prompt_tokens` are the uncached part, with
 * cache reads and writes in their own columns; `cost` in ClickHouse is
 * dollars × 10⁹, `costUSD`/`cost_usd` of the API are dollars.
 */
import type { AttributionMap } from '../../attribution';
import { providerFromModel } from '../../providers';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome } from '../../source';
import { firstOf, isObject, objectOf, textOf, wholeNumber } from '../../values';
import { firstPageRecord, hasKeys, headerHas, pageRecords, tagsObject } from '../shared';

const property = (key: string): string[] => [`properties.${key}`, `request_properties.${key}`];

/** Where Helicone rows keep our business columns unless a map says otherwise (custom properties). */
export const HELICONE_ATTRIBUTION: AttributionMap = {
  customer_id: ['user_id', 'request_user_id', 'helicone_user'],
  session_id: [...property('Helicone-Session-Id')],
  trace_id: [...property('Helicone-Session-Id')],
  subscription_tier: [...property('subscription_tier'), ...property('tier')],
  organization_id: [...property('organization_id'), ...property('customer_org')],
  product_id: [...property('product_id'), ...property('product')],
  feature_id: [...property('feature_id'), ...property('feature')],
  task_type: [...property('task_type'), ...property('task')],
  environment: [...property('environment'), ...property('env')],
};

/** Helicone's "no cache reference" value. */
const EMPTY_UUID = '00000000-0000-0000-0000-000000000000';

function isRequestRow(record: Readonly<Record<string, unknown>>): boolean {
  return (
    'request_created_at' in record &&
    ('request_id' in record || 'response_id' in record) &&
    ['cost', 'costUSD', 'cost_usd', 'prompt_tokens', 'delay_ms', 'latency'].some((key) => key in record)
  );
}

/** Output tokens including reasoning: a reasoning count larger than the completion was counted outside it. */
function inclusiveOutput(completion: number, reasoning: number): number {
  return reasoning > completion ? completion + reasoning : completion;
}

function readStatus(call: CallBuilder, value: unknown): void {
  const code = wholeNumber(value);
  const negative = typeof value === 'number' ? value < 0 : /^-\d+$/.test(String(value ?? '').trim());
  if (code === undefined && !negative) return;
  if (code !== undefined && !Number.isNaN(code) && code >= 200 && code < 300) {
    call.row.status = 'success';
    return;
  }
  call.row.status = 'error';
  call.row.error_type = `http_${String(value).trim()}`;
}

/** One Helicone request row as our row. */
export function readRequestRow(record: Record<string, unknown>, at?: string): SourceOutcome {
  const call = new CallBuilder();
  const properties = objectOf(firstOf(record, 'properties', 'request_properties')) ?? {};
  call.text('call_id', firstOf(record, 'request_id', 'response_id'), 'request_id', true);
  call.text('request_id', firstOf(record, 'request_id', 'response_id'), 'request_id');
  call.timestamp('timestamp', record['request_created_at'], 'request_created_at');
  const model = call.text(
    'model',
    firstOf(record, 'model', 'response_model', 'request_model'),
    'model',
    true,
  );
  const provider = textOf(record['provider']);
  call.text('provider', provider ?? (model && providerFromModel(model)), 'provider', true);

  const prompt = call.count(record['prompt_tokens'], 'prompt_tokens');
  const cacheRead = call.count(record['prompt_cache_read_tokens'], 'prompt_cache_read_tokens');
  const cacheWrite = call.count(record['prompt_cache_write_tokens'], 'prompt_cache_write_tokens');
  const completion = call.count(record['completion_tokens'], 'completion_tokens');
  const reasoning = call.count(record['reasoning_tokens'], 'reasoning_tokens');
  if (prompt === undefined)
    call.reject('prompt_tokens', 'missing_field', '"prompt_tokens" is missing (needed for input_tokens)');
  else call.row.input_tokens = prompt + (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (completion === undefined)
    call.reject(
      'completion_tokens',
      'missing_field',
      '"completion_tokens" is missing (needed for output_tokens)',
    );
  else call.row.output_tokens = inclusiveOutput(completion, reasoning ?? 0);
  call.setCount('cached_input_tokens', cacheRead);
  call.setCount('cache_write_input_tokens', cacheWrite);
  call.setCount('reasoning_tokens', reasoning);
  readCost(call, record, (prompt ?? 0) + (completion ?? 0));

  const latency = call.count(firstOf(record, 'latency', 'delay_ms'), 'latency');
  call.setCount('latency_ms', latency);
  call.integer('time_to_first_token_ms', record['time_to_first_token'], 'time_to_first_token');
  readStatus(call, firstOf(record, 'status', 'response_status'));
  call.text('api_key_id', record['proxy_key_id'], 'proxy_key_id');
  call.text('region', record['country_code'], 'country_code');
  const cacheReference = textOf(record['cache_reference_id']);
  const flags: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    const text = textOf(value);
    if (text !== undefined) flags[key] = text;
  }
  if (cacheReference !== undefined && cacheReference !== EMPTY_UUID) flags['gateway_cache_hit'] = 'true';
  const tags = tagsObject([], flags);
  if (tags !== undefined) call.row.tags = tags;
  // Properties written as JSON text (CSV exports) are read once here, not by every attribution path.
  const parsed = !isObject(firstOf(record, 'properties', 'request_properties'));
  const view = parsed ? { ...record, properties, request_properties: properties } : record;
  return call.outcome({ record: view }, at);
}

/**
 * Cost: ClickHouse's `cost` is an integer of nano-dollars; the API's
 * `costUSD` and the export tool's `cost_usd` are dollars. Zero on a call
 * with tokens is a model Helicone could not price: left unknown.
 */
function readCost(call: CallBuilder, record: Readonly<Record<string, unknown>>, tokens: number): void {
  const dollars = firstOf(record, 'costUSD', 'cost_usd');
  const nanos = record['cost'];
  const [value, field, scale] =
    dollars !== undefined
      ? [dollars, 'costUSD', 0]
      : nanos !== undefined && nanos !== ''
        ? [nanos, 'cost', 9]
        : [];
  if (value === undefined || field === undefined) return;
  if (tokens > 0 && Number(value) === 0) return;
  call.cost(value, field, scale);
}

/** The Helicone importer. */
export const helicone: SourceImporter = {
  name: 'helicone',
  title: 'Helicone requests (ClickHouse rows, export API pages, export tool CSV)',
  formats: ['json', 'jsonl', 'csv'],
  defaultAttribution: HELICONE_ATTRIBUTION,
  recognizeJson(value) {
    const first = firstPageRecord(value);
    return first !== undefined && isRequestRow(first);
  },
  recognizeCsv(header) {
    return (
      headerHas(header, 'request_created_at', 'prompt_tokens') &&
      (header.includes('request_id') || header.includes('response_id'))
    );
  },
  *readJson(value) {
    for (const { record, at } of pageRecords(value, (candidate) =>
      hasKeys(candidate, 'request_id', 'request_created_at'),
    )) {
      yield record === undefined
        ? malformed('a request row must be a JSON object', at)
        : readRequestRow(record, at);
    }
  },
  readCsvRow(row) {
    return readRequestRow(row);
  },
};
