import {
  type CustomerDirectory,
  type PriceCatalog,
  type SubscriptionTier,
  formatUtcDay,
  windowDays,
} from '@finops/schema';
import type { AnalysisConfig } from './config';
import { type Digest, DigestReader, type SuppliedDigests } from './digest';
import type { AggregateReader } from './store/reader';
import { planList, prorateRevenue } from './shared/revenue';

/**
 * What every analysis finishes from: the aggregates (read through
 * {@link AggregateReader}, whatever filled them) and figures derived from
 * them once for every analysis (window, per-customer totals, prorated
 * revenue, daily cost).
 */
export interface FinishContext {
  aggregates: AggregateReader;
  /**
   * The value of a digest the analysis declares: the one another engine
   * supplied, else computed from its groupings, once per finish.
   */
  digest<Value>(digest: Digest<Value>): Value;
  catalog: PriceCatalog;
  config: AnalysisConfig;
  /** Calendar days of the window (0 for an empty log). */
  windowDays: number;
  /** UTC day number of the first and last day of the window. */
  firstDay: number;
  lastDay: number;
  /** Per customer id: calls, cost, input and output tokens. */
  customerCalls: number[];
  customerCost: number[];
  customerInput: number[];
  customerOutput: number[];
  /** Per customer id: the plan that counts (the customers file's, else the latest one seen in the log). */
  customerTier: SubscriptionTier[];
  /**
   * Per customer id: revenue over the window — the customers file's monthly
   * revenue, else the plan's price, × window days / 30, allocated so that
   * every sum reconciles; 0 where {@link customerRevenueKnown} is false.
   */
  customerRevenue: number[];
  /** Per customer id: whether its revenue is known (a revenue in the customers file, or a priced plan). */
  customerRevenueKnown: boolean[];
  /** Per customer id: its monthly revenue by the same rules (the customers file's, else its plan's price); 0 where unknown. */
  customerMonthlyRevenue: number[];
  /** Every plan, cheapest first: the priced plans of the configuration, then the others seen, by name. */
  plans: SubscriptionTier[];
  /** Monthly price of each priced plan, in micro-dollars. */
  planPrices: Readonly<Record<string, number>>;
  /** Customers seen under more than one plan. */
  tierConflicts: number;
  /** Per day of the window (index 0 = first day): cost and calls. */
  dailyCost: number[];
  dailyCalls: number[];
}

/** Builds the {@link FinishContext} of the aggregates of a log (with the digests another engine supplied, by name). */
export function finishContext(
  aggregates: AggregateReader,
  catalog: PriceCatalog,
  config: AnalysisConfig,
  directory?: CustomerDirectory,
  supplied?: SuppliedDigests,
): FinishContext {
  const empty = aggregates.calls === 0;
  const days = empty ? 0 : windowDays(aggregates.firstMs, aggregates.lastMs);
  const firstDay = empty ? 0 : Math.floor(aggregates.firstMs / 86_400_000);
  const customerNames = aggregates.values('customer');
  const customers = customerNames.length;
  const zeros = (): number[] => new Array<number>(customers).fill(0);
  const customerCalls = zeros();
  const customerCost = zeros();
  const customerInput = zeros();
  const customerOutput = zeros();
  const dailyCost = new Array<number>(days).fill(0);
  const dailyCalls = new Array<number>(days).fill(0);
  const table = aggregates.grouping('customerDay');
  const cellCustomer = table.keys('customer');
  const cellDay = table.keys('day');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const cellInput = table.measure('inputTokens');
  const cellOutput = table.measure('outputTokens');
  const dayNumbers = aggregates.days();
  for (let cell = 0; cell < table.size; cell++) {
    const customer = cellCustomer[cell] as number;
    const calls = cellCalls[cell] as number;
    const cost = cellCost[cell] as number;
    customerCalls[customer] = (customerCalls[customer] as number) + calls;
    customerCost[customer] = (customerCost[customer] as number) + cost;
    customerInput[customer] = (customerInput[customer] as number) + (cellInput[cell] as number);
    customerOutput[customer] = (customerOutput[customer] as number) + (cellOutput[cell] as number);
    const offset = (dayNumbers[cellDay[cell] as number] as number) - firstDay;
    dailyCost[offset] = (dailyCost[offset] as number) + cost;
    dailyCalls[offset] = (dailyCalls[offset] as number) + calls;
  }
  const plans = aggregates.values('plan');
  const customerPlans = aggregates.customerPlans();
  const customerTier = customerNames.map(
    (customer, id) => directory?.get(customer)?.plan ?? plans[customerPlans.latest[id] as number] ?? '',
  );
  let tierConflicts = 0;
  customerPlans.lowest.forEach((low, id) => {
    if (low !== customerPlans.highest[id]) tierConflicts++;
  });
  const planPrices = catalog.tierPrices() as Readonly<Record<string, number>>;
  const { customerRevenue, customerRevenueKnown } = prorateRevenue(
    customerNames,
    customerTier,
    planPrices,
    days,
    directory,
  );
  const monthlyRevenue = prorateRevenue(customerNames, customerTier, planPrices, 30, directory);
  const digests = new DigestReader(aggregates, config, supplied);
  return {
    aggregates,
    digest: (digest) => digests.read(digest),
    catalog,
    config,
    windowDays: days,
    firstDay,
    lastDay: firstDay + Math.max(0, days - 1),
    customerCalls,
    customerCost,
    customerInput,
    customerOutput,
    customerTier,
    customerRevenue,
    customerRevenueKnown,
    customerMonthlyRevenue: monthlyRevenue.customerRevenue,
    plans: planList(planPrices, customerTier),
    planPrices,
    tierConflicts,
    dailyCost,
    dailyCalls,
  };
}

/** `YYYY-MM-DD` of a day of the window (0 = first day). */
export function dayLabel(context: FinishContext, offset: number): string {
  return formatUtcDay(context.firstDay + offset);
}

/** Share of a part in a total, 0–1 (0 when the total is 0). */
export function shareOf(part: number, total: number): number {
  return total === 0 ? 0 : part / total;
}

/** Rounds to a number of decimals (for ratios and percentages in results). */
export function round(value: number, decimals = 4): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** Compares two strings by code point (the tie-break of every sorted list). */
export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Window figure → monthly run-rate (× 30 / window days), as an integer of the same unit. */
export function monthly(context: FinishContext, value: number): number {
  return perMonth(value, context.windowDays);
}

/** A figure over a window of `windowDays` calendar days → a month of 30 days, rounded to an integer; 0 for an empty window. */
export function perMonth(value: number, windowDays: number): number {
  return windowDays === 0 ? 0 : Math.round((value * 30) / windowDays);
}
