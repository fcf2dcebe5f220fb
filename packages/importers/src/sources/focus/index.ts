/**
 * FinOps FOCUS 1.2 cost and usage rows (CSV, or JSON rows). One row is one
 * charge over a period; AI usage appears as rows whose `ConsumedUnit` counts
 * tokens (`Tokens`, `1000 Tokens`, `1M Tokens`), one token direction a row
 * (told by `SkuMeter` / `ChargeDescription`). Other usage (compute, storage,
 * requests) and non-usage charges (tax, credits, purchases, adjustments) are
 * no AI calls: skipped and counted. `NULL` cells are empty.
 */
import { createHash } from 'node:crypto';
import type { AttributionMap } from '../../attribution';
import { exactDecimal } from '../../decimal';
import { importedProvider } from '../../providers';
import { CallBuilder, malformed, type SourceImporter, type SourceOutcome, skipped } from '../../source';
import { objectOf, textOf } from '../../values';
import { firstPageRecord, headerHas, pageRecords, tagsObject } from '../shared';

/** FOCUS rows carry no customer; business columns come from `Tags` (a map can name `x_` columns). */
export const FOCUS_ATTRIBUTION: AttributionMap = {
  subscription_tier: ['Tags.subscription_tier', 'Tags.tier'],
  organization_id: ['Tags.organization_id'],
  product_id: ['Tags.product_id', 'Tags.product', 'x_product_id'],
  feature_id: ['Tags.feature_id', 'Tags.feature', 'x_feature_id'],
  task_type: ['Tags.task_type', 'Tags.task'],
  environment: ['Tags.environment', 'Tags.env'],
};

/** A FOCUS cell, with the literal `NULL` some exports write read as empty. */
function cell(record: Readonly<Record<string, unknown>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const text = textOf(record[name]);
    if (text !== undefined && text !== 'NULL') return text;
  }
  return undefined;
}

/** Tokens a unit stands for: `Tokens` 1, `1000 Tokens` 1000, `1M Tokens` 10⁶; `undefined` for a unit that is not tokens. */
export function tokensPerUnit(unit: string | undefined): number | undefined {
  const match = /^\s*(?:(\d+(?:\.\d+)?)\s*([KkMm])?\s+)?tokens?\s*$/i.exec(unit ?? '');
  if (!match) return undefined;
  const count = match[1] === undefined ? 1 : Number(match[1]);
  const multiplier = match[2] === undefined ? 1 : /k/i.test(match[2]) ? 1000 : 1_000_000;
  return count * multiplier;
}

type Direction = 'input' | 'cached' | 'cache_write' | 'output';

/** The token direction a SKU text names. */
export function tokenDirection(text: string): Direction | undefined {
  if (/cache[ds]?[\s_-]*(read|hit)|cached/i.test(text)) return 'cached';
  if (/cache[ds]?[\s_-]*(write|creation)/i.test(text)) return 'cache_write';
  if (/output|completion|generated|\bout\b|-out\b|outp/i.test(text)) return 'output';
  if (/input|prompt|\binp?\b|-inp?\b/i.test(text)) return 'input';
  return undefined;
}

function providerOf(record: Readonly<Record<string, unknown>>): string | undefined {
  const provider = cell(record, 'ServiceProviderName', 'ProviderName', 'PublisherName');
  const service = cell(record, 'ServiceName') ?? '';
  if (/openai/i.test(service) && /microsoft|azure/i.test(provider ?? '')) return 'azure.ai.openai';
  if (/bedrock/i.test(service)) return 'aws.bedrock';
  if (/vertex/i.test(service)) return 'gcp.vertex_ai';
  return provider === undefined ? undefined : importedProvider(provider);
}

function rowId(record: Readonly<Record<string, unknown>>): string {
  const cells = Object.keys(record)
    .sort()
    .map((key) => [key, record[key] ?? null]);
  return `focus_${createHash('sha256').update(JSON.stringify(cells)).digest('hex').slice(0, 24)}`;
}

/** Tokens of a row that splits them in `x_` columns (as the toolkit's own FOCUS export writes). */
function readTokenColumns(call: CallBuilder, record: Readonly<Record<string, unknown>>): void {
  call.integer('input_tokens', cell(record, 'x_input_tokens'), 'x_input_tokens', true);
  call.integer('output_tokens', cell(record, 'x_output_tokens'), 'x_output_tokens', true);
  call.integer('cached_input_tokens', cell(record, 'x_cached_input_tokens'), 'x_cached_input_tokens');
  call.integer(
    'cache_write_input_tokens',
    cell(record, 'x_cache_write_input_tokens'),
    'x_cache_write_input_tokens',
  );
  call.integer('calls', cell(record, 'x_calls'), 'x_calls');
}

/** Tokens of a row with one token direction, scaled by its unit. */
function readTokenQuantity(
  call: CallBuilder,
  record: Readonly<Record<string, unknown>>,
  unitTokens: number,
): void {
  const meter = [cell(record, 'SkuMeter'), cell(record, 'ChargeDescription'), cell(record, 'SkuPriceDetails')]
    .filter((text) => text !== undefined)
    .join(' ');
  const direction = tokenDirection(meter);
  const quantityField =
    cell(record, 'ConsumedQuantity') !== undefined ? 'ConsumedQuantity' : 'PricingQuantity';
  const quantity = cell(record, quantityField);
  const tokens = quantity === undefined ? undefined : exactDecimal(quantity, -Math.log10(unitTokens));
  if (direction === undefined) {
    call.reject(
      'SkuMeter',
      'missing_field',
      `cannot tell input from output tokens in ${JSON.stringify(meter)}`,
    );
  } else if (tokens === undefined || tokens.startsWith('-')) {
    call.reject(
      quantityField,
      'invalid_number',
      `"${quantityField}" is not a token count ≥ 0: ${JSON.stringify(quantity)}`,
    );
  } else {
    const count = Math.round(Number(tokens));
    call.row.input_tokens = direction === 'output' ? 0 : count;
    call.row.output_tokens = direction === 'output' ? count : 0;
    if (direction === 'cached') call.row.cached_input_tokens = count;
    if (direction === 'cache_write') call.row.cache_write_input_tokens = count;
  }
}

/** One FOCUS row as our row, or a skip for a charge that is no AI usage. */
export function readFocusRow(record: Record<string, unknown>, at?: string): SourceOutcome {
  const category = cell(record, 'ChargeCategory');
  if (category !== undefined && category.toLowerCase() !== 'usage') return skipped('not_a_usage_charge', at);
  const unitTokens = tokensPerUnit(cell(record, 'ConsumedUnit', 'PricingUnit'));
  if (unitTokens === undefined) return skipped('not_token_usage', at);

  const call = new CallBuilder();
  call.row.call_id = rowId(record);
  call.timestamp('timestamp', cell(record, 'ChargePeriodStart'), 'ChargePeriodStart');
  call.text('provider', providerOf(record), 'ProviderName', true);
  call.text(
    'model',
    cell(record, 'x_model', 'x_Model', 'ResourceName', 'ResourceId', 'SkuId'),
    'ResourceName',
    true,
  );
  if (cell(record, 'x_input_tokens') !== undefined && cell(record, 'x_output_tokens') !== undefined) {
    readTokenColumns(call, record);
  } else {
    readTokenQuantity(call, record, unitTokens);
  }
  const currency = cell(record, 'BillingCurrency')?.toUpperCase();
  if (currency !== undefined && currency !== 'USD')
    call.reject('BillingCurrency', 'invalid_cost', `charges are in ${currency}, not USD`);
  else call.cost(cell(record, 'BilledCost'), 'BilledCost');
  call.text('region', cell(record, 'RegionId', 'RegionName'), 'RegionId');
  const tags = objectOf(record['Tags']) ?? {};
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    const text = textOf(value);
    if (text !== undefined) extra[key] = text;
  }
  const sku = cell(record, 'SkuMeter', 'SkuId');
  if (sku !== undefined) extra['sku'] = sku;
  const subAccount = cell(record, 'SubAccountId');
  if (subAccount !== undefined) extra['sub_account_id'] = subAccount;
  const tagText = tagsObject([], extra);
  if (tagText !== undefined) call.row.tags = tagText;
  return call.outcome({ record: { ...record, Tags: tags } }, at);
}

function isFocusRow(record: Readonly<Record<string, unknown>>): boolean {
  return 'BilledCost' in record && 'ChargePeriodStart' in record;
}

/** The FOCUS importer. */
export const focus: SourceImporter = {
  name: 'focus',
  title: 'FinOps FOCUS 1.2 cost and usage rows (token usage lines of AI bills)',
  formats: ['csv', 'json', 'jsonl'],
  defaultAttribution: FOCUS_ATTRIBUTION,
  recognizeCsv(header) {
    return headerHas(header, 'BilledCost', 'ChargePeriodStart');
  },
  recognizeJson(value) {
    const first = firstPageRecord(value);
    return first !== undefined && isFocusRow(first);
  },
  *readJson(value) {
    for (const { record, at } of pageRecords(value, isFocusRow)) {
      yield record === undefined
        ? malformed('a FOCUS row must be a JSON object', at)
        : readFocusRow(record, at);
    }
  },
  readCsvRow(row) {
    return readFocusRow(row);
  },
};
