/**
 * LiteLLM proxy: rows of its `LiteLLM_SpendLogs` table, as a `/spend/logs/v2`
 * page (`{ "data": [ … ] }`), a JSON array, JSON Lines, or a CSV export of
 * the table (JSON columns as JSON text, database times without an offset).
 */
import { CANONICAL_PROVIDERS } from '@finops/schema';
import type { AttributionMap } from '../../attribution';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome } from '../../source';
import { isoTimestamp, objectOf, stringListOf, textOf, wholeNumber } from '../../values';
import { valueAtPath } from '../../attribution';
import { importedProvider, providerFromModel } from '../../providers';
import {
  firstPageRecord,
  hasKeys,
  headerHas,
  inclusiveInput,
  pageRecords,
  spanMs,
  tagsObject,
  UUID_V4,
} from '../shared';

const CACHE_HIT_SUFFIX = /_cache_hit\d+$/;

function isSpendLogRow(record: Readonly<Record<string, unknown>>): boolean {
  return hasKeys(record, 'request_id', 'startTime') && ('spend' in record || 'prompt_tokens' in record);
}

const spendLogsMetadata = (key: string): string[] => [
  `metadata.spend_logs_metadata.${key}`,
  `metadata.requester_metadata.${key}`,
];

/** Where LiteLLM rows keep our business columns unless a map says otherwise. */
export const LITELLM_ATTRIBUTION: AttributionMap = {
  customer_id: ['end_user', 'metadata.user_api_key_end_user_id'],
  subscription_tier: [...spendLogsMetadata('subscription_tier'), ...spendLogsMetadata('tier'), 'tag:tier:'],
  organization_id: [...spendLogsMetadata('organization_id'), 'tag:org:'],
  product_id: [...spendLogsMetadata('product_id'), ...spendLogsMetadata('product'), 'tag:product:'],
  feature_id: [...spendLogsMetadata('feature_id'), ...spendLogsMetadata('feature'), 'tag:feature:'],
  task_type: [...spendLogsMetadata('task_type'), ...spendLogsMetadata('task'), 'tag:task:'],
  environment: [
    ...spendLogsMetadata('environment'),
    ...spendLogsMetadata('env'),
    'tag:env:',
    'tag:environment:',
  ],
};

function usageValue(metadata: Record<string, unknown> | undefined, ...paths: string[]): unknown {
  for (const root of ['additional_usage_values', 'usage_object']) {
    for (const path of paths) {
      const value = valueAtPath(metadata?.[root], path);
      if (value !== undefined && value !== null) return value;
    }
  }
  return undefined;
}

/** Strips a `provider/` prefix LiteLLM keeps on some model names. */
function bareModel(model: string, provider: string | undefined): string {
  const slash = model.indexOf('/');
  if (slash <= 0) return model;
  const prefix = model.slice(0, slash);
  const canonical = importedProvider(prefix);
  const known =
    (provider !== undefined && (prefix === provider || canonical === importedProvider(provider))) ||
    (CANONICAL_PROVIDERS as readonly string[]).includes(canonical) ||
    canonical !== prefix.toLowerCase();
  return known ? model.slice(slash + 1) : model;
}

/** One SpendLogs row as our row (or a rejection naming the LiteLLM column). */
export function readSpendLogRow(record: Record<string, unknown>, at?: string): SourceOutcome {
  const call = new CallBuilder();
  const metadata = objectOf(record['metadata']);
  const requestId = call.text('call_id', record['request_id'], 'request_id', true);
  if (requestId !== undefined) call.text('request_id', requestId.replace(CACHE_HIT_SUFFIX, ''), 'request_id');
  const start = call.timestamp('timestamp', record['startTime'], 'startTime');
  const rawProvider =
    textOf(record['custom_llm_provider']) ?? textOf(valueAtPath(metadata, 'error_information.llm_provider'));
  const rawModel = textOf(record['model']) ?? textOf(record['model_group']);
  const model = rawModel === undefined ? undefined : bareModel(rawModel, rawProvider);
  call.text('model', model, 'model', true);
  const provider =
    rawProvider ??
    (rawModel?.includes('/') ? rawModel.slice(0, rawModel.indexOf('/')) : undefined) ??
    (model && providerFromModel(model));
  call.text('provider', provider, 'custom_llm_provider', true);

  const prompt = call.count(record['prompt_tokens'], 'prompt_tokens');
  const completion = call.count(record['completion_tokens'], 'completion_tokens');
  const cacheRead = call.count(
    usageValue(metadata, 'cache_read_input_tokens', 'prompt_tokens_details.cached_tokens'),
    'metadata.additional_usage_values.cache_read_input_tokens',
  );
  const cacheWrite = call.count(
    usageValue(metadata, 'cache_creation_input_tokens'),
    'metadata.additional_usage_values.cache_creation_input_tokens',
  );
  const reasoning = call.count(
    usageValue(metadata, 'completion_tokens_details.reasoning_tokens', 'reasoning_tokens'),
    'metadata.additional_usage_values.completion_tokens_details.reasoning_tokens',
  );
  if (prompt === undefined)
    call.reject('prompt_tokens', 'missing_field', '"prompt_tokens" is missing (needed for input_tokens)');
  if (completion === undefined)
    call.reject(
      'completion_tokens',
      'missing_field',
      '"completion_tokens" is missing (needed for output_tokens)',
    );
  call.setCount(
    'input_tokens',
    prompt === undefined ? undefined : inclusiveInput(prompt, cacheRead ?? 0, cacheWrite ?? 0),
  );
  call.setCount('output_tokens', completion);
  call.setCount('cached_input_tokens', cacheRead);
  call.setCount('cache_write_input_tokens', cacheWrite);
  call.setCount('reasoning_tokens', reasoning);

  const cacheHit = textOf(record['cache_hit'])?.toLowerCase() === 'true';
  readSpend(call, record['spend'], cacheHit, (prompt ?? 0) + (completion ?? 0));

  const end = isoTimestamp(textOf(record['endTime']) ?? '');
  const duration = wholeNumber(record['request_duration_ms']);
  call.setCount(
    'latency_ms',
    duration !== undefined && !Number.isNaN(duration) ? duration : spanMs(start, end),
  );
  const firstToken = isoTimestamp(textOf(record['completionStartTime']) ?? '');
  if (firstToken !== undefined && end !== undefined && firstToken < end)
    call.setCount('time_to_first_token_ms', spanMs(start, firstToken));

  const status = textOf(record['status'])?.toLowerCase();
  if (status !== undefined) call.text('status', status === 'success' ? 'success' : 'error', 'status');
  call.text(
    'error_type',
    valueAtPath(metadata, 'error_information.error_class') ??
      valueAtPath(metadata, 'error_information.error_code'),
    'metadata.error_information',
  );
  call.text('api_key_id', record['api_key'], 'api_key');
  call.text('user_id', record['user'], 'user');
  call.text('team_id', record['team_id'], 'team_id');
  const sessionId = textOf(record['session_id']);
  if (sessionId !== undefined && !UUID_V4.test(sessionId)) {
    call.text('session_id', sessionId, 'session_id');
    call.text('trace_id', sessionId, 'session_id');
  }
  const tags = stringListOf(record['request_tags']);
  const tagText = tagsObject(tags, cacheHit ? { gateway_cache_hit: 'true' } : {});
  if (tagText !== undefined) call.row.tags = tagText;
  // Metadata written as JSON text (CSV exports) is read once here, not by every attribution path.
  const view = metadata && metadata !== record['metadata'] ? { ...record, metadata } : record;
  return call.outcome({ record: view, tags }, at);
}

/**
 * `spend` is LiteLLM's own price of the call in dollars. A cache hit served
 * by the proxy really cost nothing; a zero on a call with tokens means the
 * model was not in LiteLLM's price map, so the cost is left unknown.
 */
function readSpend(call: CallBuilder, spend: unknown, cacheHit: boolean, tokens: number): void {
  const amount = textOf(spend);
  if (amount === undefined) return;
  if (!cacheHit && tokens > 0 && Number(amount) === 0) return;
  call.cost(amount, 'spend');
}

/** The LiteLLM importer. */
export const litellm: SourceImporter = {
  name: 'litellm',
  title:
    'LiteLLM proxy SpendLogs (/spend/logs/v2 pages, JSON, JSON Lines, CSV of the table, its PostgreSQL table)',
  formats: ['json', 'jsonl', 'csv', 'postgres'],
  defaultAttribution: LITELLM_ATTRIBUTION,
  recognizeJson(value) {
    const first = firstPageRecord(value);
    return first !== undefined && isSpendLogRow(first);
  },
  recognizeCsv(header) {
    return headerHas(header, 'request_id', 'startTime', 'spend', 'prompt_tokens');
  },
  *readJson(value) {
    for (const { record, at } of pageRecords(value, isSpendLogRow)) {
      yield record === undefined
        ? malformed('a SpendLogs row must be a JSON object', at)
        : readSpendLogRow(record, at);
    }
  },
  readCsvRow(row) {
    return readSpendLogRow(row);
  },
};
