/**
 * Anthropic Admin API reports: pages of the Messages usage report
 * (`/v1/organizations/usage_report/messages`) and of the cost report
 * (`/v1/organizations/cost_report`), `{ data: [ { starting_at, ending_at, results } ], has_more, next_page }`.
 * Anthropic counts input without the cache: our input is uncached + cache
 * reads + both cache-write durations. The usage report has no request count
 * (each row stays one weight); cost amounts are cents as decimal strings.
 */
import type { AttributionMap } from '../../attribution';
import { valueAtPath } from '../../attribution';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome, skipped } from '../../source';
import { isObject, textOf } from '../../values';
import { bucketCallId, bucketResults, firstBucketResult, tagsObject, UNGROUPED_MODEL } from '../shared';

/** Usage reports carry no customer; nothing is attributed unless a map says so (`{ "product_id": "workspace_id" }`). */
export const ANTHROPIC_USAGE_ATTRIBUTION: AttributionMap = {};

const GROUP_KEYS = [
  'api_key_id',
  'workspace_id',
  'account_id',
  'service_account_id',
  'model',
  'service_tier',
  'context_window',
  'inference_geo',
  'speed',
  'description',
  'cost_type',
  'token_type',
] as const;

function common(
  call: CallBuilder,
  bucket: Readonly<Record<string, unknown>>,
  result: Readonly<Record<string, unknown>>,
  kind: string,
): void {
  call.timestamp('timestamp', bucket['starting_at'], 'starting_at');
  call.row.call_id = bucketCallId('anthropic', [
    kind,
    bucket['starting_at'],
    bucket['ending_at'],
    ...GROUP_KEYS.map((key) => result[key] ?? null),
  ]);
  call.row.provider = 'anthropic';
  call.row.model = textOf(result['model']) ?? UNGROUPED_MODEL;
  call.text('api_key_id', result['api_key_id'], 'api_key_id');
  call.text('service_tier', result['service_tier'], 'service_tier');
  call.text('region', result['inference_geo'], 'inference_geo');
  const extra: Record<string, string> = {};
  for (const key of ['workspace_id', 'context_window', 'description', 'cost_type', 'token_type'] as const) {
    const value = textOf(result[key]);
    if (value !== undefined) extra[key] = value;
  }
  const tags = tagsObject([], extra);
  if (tags !== undefined) call.row.tags = tags;
}

function readUsageItem(
  bucket: Record<string, unknown>,
  result: Record<string, unknown>,
  at: string,
): SourceOutcome {
  const call = new CallBuilder();
  common(call, bucket, result, 'usage');
  const uncached = call.count(result['uncached_input_tokens'], 'uncached_input_tokens');
  const cacheRead = call.count(result['cache_read_input_tokens'], 'cache_read_input_tokens') ?? 0;
  const fiveMinutes =
    call.count(
      valueAtPath(result, 'cache_creation.ephemeral_5m_input_tokens'),
      'cache_creation.ephemeral_5m_input_tokens',
    ) ?? 0;
  const oneHour =
    call.count(
      valueAtPath(result, 'cache_creation.ephemeral_1h_input_tokens'),
      'cache_creation.ephemeral_1h_input_tokens',
    ) ?? 0;
  if (uncached === undefined)
    call.reject(
      'uncached_input_tokens',
      'missing_field',
      '"uncached_input_tokens" is missing (needed for input_tokens)',
    );
  else call.row.input_tokens = uncached + cacheRead + fiveMinutes + oneHour;
  call.integer('output_tokens', result['output_tokens'], 'output_tokens', true);
  if (uncached === 0 && cacheRead + fiveMinutes + oneHour === 0 && Number(result['output_tokens']) === 0)
    return skipped('empty_bucket', at);
  call.row.cached_input_tokens = cacheRead;
  call.row.cache_write_input_tokens = fiveMinutes + oneHour;
  return call.outcome({ record: { ...result, bucket } }, at);
}

function readCostItem(
  bucket: Record<string, unknown>,
  result: Record<string, unknown>,
  at: string,
): SourceOutcome {
  const call = new CallBuilder();
  common(call, bucket, result, 'cost');
  call.row.input_tokens = 0;
  call.row.output_tokens = 0;
  const currency = textOf(result['currency'])?.toUpperCase();
  if (currency !== undefined && currency !== 'USD')
    call.reject('currency', 'invalid_cost', `amount is in ${currency}, not USD`);
  else if (textOf(result['amount']) === undefined)
    call.reject('amount', 'missing_field', '"amount" is missing (a cost item is an amount)');
  // Cents as a decimal string: "123.45" is $1.2345.
  else call.cost(result['amount'], 'amount', 2);
  return call.outcome({ record: { ...result, bucket } }, at);
}

function isAnthropicPage(value: unknown): boolean {
  const first = firstBucketResult(value);
  if (!first || !('starting_at' in first.bucket)) return false;
  return 'uncached_input_tokens' in first.result || ('amount' in first.result && 'currency' in first.result);
}

/** The Anthropic usage and cost report importer. */
export const anthropicUsage: SourceImporter = {
  name: 'anthropic-usage',
  title: 'Anthropic Admin API Messages usage report and cost report pages',
  formats: ['json', 'jsonl'],
  defaultAttribution: ANTHROPIC_USAGE_ATTRIBUTION,
  recognizeJson: isAnthropicPage,
  *readJson(value) {
    for (const item of bucketResults(value)) {
      if ('bad' in item) yield malformed(item.bad, item.at);
      else if (!isObject(item.result)) yield malformed('a result must be a JSON object', item.at);
      else if ('amount' in item.result) yield readCostItem(item.bucket, item.result, item.at);
      else yield readUsageItem(item.bucket, item.result, item.at);
    }
  },
};
