/**
 * Our call log as FinOps FOCUS 1.2 cost and usage rows: one row per UTC day,
 * provider, model and attribution (customer, organization, product, feature,
 * task, plan, environment), with its tokens as the consumed quantity and its
 * cost, reported or priced from the catalog, as billed cost. The token kinds
 * and the call count go into `x_` columns (FOCUS's place for custom columns),
 * which this package's `focus` importer reads back.
 */
import {
  AtomicFileWriter,
  type CallRecord,
  formatCsvLine,
  microsToDecimalString,
  readCallLog,
  type ReadCallLogOptions,
  type ReadTally,
} from '@finops/schema';

/** The columns written: FOCUS 1.2 columns, then ours prefixed `x_`. */
export const FOCUS_EXPORT_COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'InvoiceIssuerName',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceSubcategory',
  'ServiceName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'SkuId',
  'SkuMeter',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'SubAccountId',
  'Tags',
  'x_customer_id',
  'x_input_tokens',
  'x_output_tokens',
  'x_cached_input_tokens',
  'x_cache_write_input_tokens',
  'x_calls',
  'x_unpriced_calls',
] as const;

/** The attribution a FOCUS row keeps, in `Tags` (and `SubAccountId` for the organization). */
const TAG_FIELDS = [
  ['customer_id', 'customerId'],
  ['subscription_tier', 'subscriptionTier'],
  ['organization_id', 'organizationId'],
  ['product_id', 'productId'],
  ['feature_id', 'featureId'],
  ['task_type', 'taskType'],
  ['environment', 'environment'],
] as const;

interface FocusGroup {
  day: number;
  provider: string;
  model: string;
  tags: Record<string, string>;
  costMicros: number;
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  calls: number;
  unpriced: number;
}

const DAY_MS = 86_400_000;

function isoDay(day: number): string {
  return `${new Date(day * DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`;
}

function monthBounds(day: number): [string, string] {
  const date = new Date(day * DAY_MS);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return [
    new Date(start).toISOString().replace('.000Z', 'Z'),
    new Date(end).toISOString().replace('.000Z', 'Z'),
  ];
}

/** Attribution values of a record, the unknown ones left out. */
function tagsOf(record: CallRecord): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [name, field] of TAG_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value !== '' && value !== '(unattributed)') tags[name] = value;
  }
  return tags;
}

/** Aggregates call records into FOCUS groups, one per day, provider, model and attribution. */
export class FocusAggregator {
  private readonly groups = new Map<string, FocusGroup>();

  /** Adds one call. */
  add(record: CallRecord): void {
    const day = Math.floor(record.timeMs / DAY_MS);
    const tags = tagsOf(record);
    const key = JSON.stringify([day, record.provider, record.model, tags]);
    let group = this.groups.get(key);
    if (!group) {
      group = {
        day,
        provider: record.provider,
        model: record.model,
        tags,
        costMicros: 0,
        input: 0,
        output: 0,
        cached: 0,
        cacheWrite: 0,
        calls: 0,
        unpriced: 0,
      };
      this.groups.set(key, group);
    }
    const weight = record.calls ?? 1;
    group.costMicros += record.costMicros;
    group.input += record.inputTokens;
    group.output += record.outputTokens;
    group.cached += record.cachedInputTokens ?? 0;
    group.cacheWrite += record.cacheWriteInputTokens ?? 0;
    group.calls += weight;
    if (record.costSource === 'unpriced') group.unpriced += weight;
  }

  /** Groups held. */
  get size(): number {
    return this.groups.size;
  }

  /** The FOCUS rows as CSV cells, in day, provider, model order. */
  *rows(): Generator<(string | number)[]> {
    const groups = [...this.groups.values()].sort(
      (a, b) =>
        a.day - b.day ||
        a.provider.localeCompare(b.provider) ||
        a.model.localeCompare(b.model) ||
        JSON.stringify(a.tags).localeCompare(JSON.stringify(b.tags)),
    );
    for (const group of groups) yield focusCells(group);
  }
}

function focusCells(group: FocusGroup): (string | number)[] {
  const cost = microsToDecimalString(group.costMicros);
  const [periodStart, periodEnd] = monthBounds(group.day);
  const tokens = group.input + group.output;
  const customer = group.tags['customer_id'] ?? '';
  const cells: Record<(typeof FOCUS_EXPORT_COLUMNS)[number], string | number> = {
    BilledCost: cost,
    EffectiveCost: cost,
    ListCost: cost,
    ContractedCost: cost,
    BillingAccountId: group.provider,
    BillingAccountName: group.provider,
    BillingCurrency: 'USD',
    BillingPeriodStart: periodStart,
    BillingPeriodEnd: periodEnd,
    ChargePeriodStart: isoDay(group.day),
    ChargePeriodEnd: isoDay(group.day + 1),
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeDescription: `${group.model} input and output tokens${customer ? ` for ${customer}` : ''}`,
    ChargeFrequency: 'Usage-Based',
    InvoiceIssuerName: group.provider,
    ProviderName: group.provider,
    PublisherName: group.provider,
    ServiceCategory: 'AI and Machine Learning',
    ServiceSubcategory: 'Generative AI',
    ServiceName: group.provider,
    ResourceId: group.model,
    ResourceName: group.model,
    ResourceType: 'Model',
    SkuId: group.model,
    SkuMeter: 'Input and output tokens',
    ConsumedQuantity: tokens,
    ConsumedUnit: 'Tokens',
    PricingQuantity: tokens,
    PricingUnit: 'Tokens',
    SubAccountId: group.tags['organization_id'] ?? '',
    Tags: JSON.stringify(group.tags),
    x_customer_id: customer,
    x_input_tokens: group.input,
    x_output_tokens: group.output,
    x_cached_input_tokens: group.cached,
    x_cache_write_input_tokens: group.cacheWrite,
    x_calls: group.calls,
    x_unpriced_calls: group.unpriced,
  };
  return FOCUS_EXPORT_COLUMNS.map((column) => cells[column]);
}

/** What {@link exportFocus} wrote. */
export interface FocusExportSummary {
  out: string;
  /** FOCUS rows written. */
  rows: number;
  /** The read of the call log: rows kept, rejected, priced. */
  tally: ReadTally | undefined;
}

/**
 * Reads a call log (any form the schema's reader takes) and writes it as
 * FOCUS rows to `out`, atomically. Memory grows with the groups (days ×
 * providers × models × attributions), not with the calls.
 */
export async function exportFocus(
  log: string,
  out: string,
  options: ReadCallLogOptions = {},
): Promise<FocusExportSummary> {
  const aggregator = new FocusAggregator();
  let tally: ReadTally | undefined;
  for await (const batch of readCallLog(log, options)) {
    for (const record of batch.records) aggregator.add(record);
    tally = batch.tally;
  }
  const writer = await AtomicFileWriter.open(out);
  try {
    await writer.write(formatCsvLine(FOCUS_EXPORT_COLUMNS));
    for (const cells of aggregator.rows()) await writer.write(formatCsvLine(cells));
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { out, rows: aggregator.size, tally };
}
