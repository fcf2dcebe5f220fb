/**
 * OpenAI organization usage and costs reports: pages of
 * `/organization/usage/completions` (and the other usage endpoints) and of
 * `/organization/costs`, `{ object: "page", data: [buckets], has_more, next_page }`.
 * One result row stands for many calls over a bucket of time: its
 * `num_model_requests` becomes our `calls` weight. OpenAI's `input_tokens`
 * already include cached and cache-write tokens; modality splits are never
 * added up. A costs result holds dollars and no tokens.
 */
import type { AttributionMap } from '../../attribution';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome, skipped } from '../../source';
import { isObject, textOf, timestampFromEpochSeconds, wholeNumber } from '../../values';
import { bucketCallId, bucketResults, firstBucketResult, tagsObject, UNGROUPED_MODEL } from '../shared';

/** Usage reports carry no customer; nothing is attributed unless a map says so (`{ "product_id": "project_id" }`). */
export const OPENAI_USAGE_ATTRIBUTION: AttributionMap = {};

const GROUP_KEYS = [
  'project_id',
  'user_id',
  'api_key_id',
  'model',
  'batch',
  'service_tier',
  'line_item',
] as const;

function bucketStart(call: CallBuilder, bucket: Readonly<Record<string, unknown>>): void {
  const start = timestampFromEpochSeconds(bucket['start_time']);
  if (start === undefined) {
    call.reject(
      'start_time',
      'invalid_timestamp',
      `bucket "start_time" is not Unix seconds: ${JSON.stringify(bucket['start_time'])}`,
    );
  } else {
    call.row.timestamp = start;
  }
}

function readUsageResult(
  bucket: Record<string, unknown>,
  result: Record<string, unknown>,
  at: string,
): SourceOutcome {
  const requests = wholeNumber(result['num_model_requests']);
  const input = wholeNumber(result['input_tokens']);
  const output = wholeNumber(result['output_tokens']);
  if (requests === 0 && !input && !output) return skipped('empty_bucket', at);
  const call = new CallBuilder();
  bucketStart(call, bucket);
  call.row.call_id = bucketCallId('openai', [
    bucket['start_time'],
    bucket['end_time'],
    result['object'],
    ...GROUP_KEYS.map((key) => result[key] ?? null),
  ]);
  call.row.provider = 'openai';
  call.row.model = textOf(result['model']) ?? UNGROUPED_MODEL;
  call.integer('input_tokens', result['input_tokens'], 'input_tokens', true);
  const isEmbedding = String(result['object']).includes('embeddings');
  if (isEmbedding && result['output_tokens'] === undefined) call.row.output_tokens = 0;
  else call.integer('output_tokens', result['output_tokens'], 'output_tokens', true);
  call.integer('cached_input_tokens', result['input_cached_tokens'], 'input_cached_tokens');
  call.integer('cache_write_input_tokens', result['input_cache_write_tokens'], 'input_cache_write_tokens');
  const calls = call.count(result['num_model_requests'], 'num_model_requests');
  if (calls !== undefined && calls > 0) call.row.calls = calls;
  call.text('api_key_id', result['api_key_id'], 'api_key_id');
  call.text('user_id', result['user_id'], 'user_id');
  const tier = textOf(result['service_tier']) ?? (result['batch'] === true ? 'batch' : undefined);
  if (tier !== undefined) call.row.service_tier = tier;
  const tags = tagsObject(
    [],
    textOf(result['project_id']) ? { project_id: String(result['project_id']) } : {},
  );
  if (tags !== undefined) call.row.tags = tags;
  return call.outcome({ record: { ...result, bucket } }, at);
}

/** The model named at the start of a costs `line_item` (`"gpt-4o-2024-08-06, input"`). */
export function modelOfLineItem(lineItem: string | undefined): string | undefined {
  if (lineItem === undefined) return undefined;
  const head = lineItem.split(',')[0]?.trim();
  return head === undefined || head === '' ? undefined : head;
}

function readCostResult(
  bucket: Record<string, unknown>,
  result: Record<string, unknown>,
  at: string,
): SourceOutcome {
  const call = new CallBuilder();
  bucketStart(call, bucket);
  call.row.call_id = bucketCallId('openai', [
    bucket['start_time'],
    bucket['end_time'],
    result['object'],
    ...GROUP_KEYS.map((key) => result[key] ?? null),
  ]);
  call.row.provider = 'openai';
  const lineItem = textOf(result['line_item']);
  call.row.model = modelOfLineItem(lineItem) ?? UNGROUPED_MODEL;
  call.row.input_tokens = 0;
  call.row.output_tokens = 0;
  const amount = isObject(result['amount']) ? result['amount'] : undefined;
  const currency = textOf(amount?.['currency'])?.toLowerCase();
  if (!amount || amount['value'] === undefined || amount['value'] === null) {
    call.reject('amount.value', 'missing_field', '"amount.value" is missing (a costs result is an amount)');
  } else if (currency !== undefined && currency !== 'usd') {
    call.reject('amount.currency', 'invalid_cost', `amount is in ${currency}, not USD`);
  } else {
    call.cost(amount['value'], 'amount.value');
  }
  call.text('api_key_id', result['api_key_id'], 'api_key_id');
  const tags = tagsObject([], {
    ...(lineItem ? { line_item: lineItem } : {}),
    ...(textOf(result['project_id']) ? { project_id: String(result['project_id']) } : {}),
  });
  if (tags !== undefined) call.row.tags = tags;
  return call.outcome({ record: { ...result, bucket } }, at);
}

function isOpenAiPage(value: unknown): boolean {
  const first = firstBucketResult(value);
  if (!first) return false;
  const object = textOf(first.result['object']) ?? '';
  return (
    first.bucket['object'] === 'bucket' ||
    object.startsWith('organization.usage.') ||
    object.startsWith('organization.costs.')
  );
}

/** The OpenAI usage and costs importer. */
export const openaiUsage: SourceImporter = {
  name: 'openai-usage',
  title: 'OpenAI organization Usage API and Costs API pages (daily, hourly or minute buckets)',
  formats: ['json', 'jsonl'],
  defaultAttribution: OPENAI_USAGE_ATTRIBUTION,
  recognizeJson: isOpenAiPage,
  *readJson(value) {
    for (const item of bucketResults(value)) {
      if ('bad' in item) {
        yield malformed(item.bad, item.at);
      } else if (!isObject(item.result)) {
        yield malformed('a result must be a JSON object', item.at);
      } else if (String(item.result['object']).startsWith('organization.costs') || 'amount' in item.result) {
        yield readCostResult(item.bucket, item.result, item.at);
      } else {
        yield readUsageResult(item.bucket, item.result, item.at);
      }
    }
  },
};
