import {
  type PriceCatalog,
  SUBSCRIPTION_TIERS,
  type SubscriptionTier,
  allocateMicros,
  formatUtcDay,
  windowDays,
} from '@finops/schema';
import type { AnalysisConfig } from './config';
import type { Cube } from './cube';

/**
 * What every analysis finishes from: the canonical cube and figures derived
 * from it once (window, per-customer totals, prorated revenue).
 */
export interface FinishContext {
  cube: Cube;
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
  /** Per customer id: the tier that counts (the latest one seen). */
  customerTier: SubscriptionTier[];
  /** Per customer id: tier price × window days / 30, allocated so that every sum reconciles. */
  customerRevenue: number[];
  /** Customers seen under more than one tier. */
  tierConflicts: number;
  /** Per day of the window (index 0 = first day): cost and calls. */
  dailyCost: number[];
  dailyCalls: number[];
}

/** Builds the {@link FinishContext} of a canonical cube. */
export function finishContext(cube: Cube, catalog: PriceCatalog, config: AnalysisConfig): FinishContext {
  const empty = cube.calls === 0;
  const days = empty ? 0 : windowDays(cube.firstMs, cube.lastMs);
  const firstDay = empty ? 0 : Math.floor(cube.firstMs / 86_400_000);
  const customers = cube.customers.size;
  const zeros = (): number[] => new Array<number>(customers).fill(0);
  const customerCalls = zeros();
  const customerCost = zeros();
  const customerInput = zeros();
  const customerOutput = zeros();
  const dailyCost = new Array<number>(days).fill(0);
  const dailyCalls = new Array<number>(days).fill(0);
  const table = cube.customerDay;
  for (let cell = 0; cell < table.size; cell++) {
    const customer = table.first[cell] as number;
    const calls = cube.cd.calls[cell] as number;
    const cost = cube.cd.cost[cell] as number;
    customerCalls[customer] = (customerCalls[customer] as number) + calls;
    customerCost[customer] = (customerCost[customer] as number) + cost;
    customerInput[customer] = (customerInput[customer] as number) + (cube.cd.input[cell] as number);
    customerOutput[customer] = (customerOutput[customer] as number) + (cube.cd.output[cell] as number);
    const offset = (cube.days[table.second[cell] as number] as number) - firstDay;
    dailyCost[offset] = (dailyCost[offset] as number) + cost;
    dailyCalls[offset] = (dailyCalls[offset] as number) + calls;
  }
  const customerTier = cube.customerTier.map((tier) => SUBSCRIPTION_TIERS[tier] ?? 'enterprise');
  let tierConflicts = 0;
  for (const mask of cube.customerTierMask) if ((mask & (mask - 1)) !== 0) tierConflicts++;
  const customerRevenue = zeros();
  for (const tier of SUBSCRIPTION_TIERS) {
    const members: number[] = [];
    customerTier.forEach((customerTierName, customer) => {
      if (customerTierName === tier) members.push(customer);
    });
    if (members.length === 0) continue;
    const total = Math.round((catalog.tierPriceMicros(tier) * members.length * days) / 30);
    const parts = allocateMicros(
      total,
      members.map(() => 1),
    );
    members.forEach((customer, index) => (customerRevenue[customer] = parts[index] as number));
  }
  return {
    cube,
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
  return context.windowDays === 0 ? 0 : Math.round((value * 30) / context.windowDays);
}
