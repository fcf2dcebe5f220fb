import type { SubscriptionTier } from '@finops/schema';
import { type FinishContext, byKey, monthly, round } from '../../context';
import { type Recommendation, recommend } from '../../recommend';

/** One customer's economics over the window. */
export interface CustomerProfit {
  customer: string;
  tier: SubscriptionTier;
  revenueMicros: number;
  costMicros: number;
  marginMicros: number;
  /** Margin / revenue × 100 (`null` when the revenue is 0). */
  marginPct: number | null;
  calls: number;
  /** `revenue_unknown` for a customer neither the customers file nor a plan price gives a revenue (its revenue and margin read 0). */
  status: 'profitable' | 'unprofitable' | 'revenue_unknown';
}

/** Result of analysis 6: customer profitability. */
export interface ProfitabilityResult {
  customers: CustomerProfit[];
  byTier: {
    tier: SubscriptionTier;
    customers: number;
    revenueMicros: number;
    costMicros: number;
    marginMicros: number;
    avgMarginPct: number | null;
  }[];
  /** Over the customers whose revenue is known. */
  totals: {
    customers: number;
    revenueMicros: number;
    costMicros: number;
    marginMicros: number;
    marginPct: number | null;
  };
  /** Customers without a known revenue (no revenue in the customers file, a plan without a price): kept out of the margins. */
  revenueUnknown: { customers: number; costMicros: number; calls: number };
  unprofitable: { count: number; share: number; lossMicros: number; worst: CustomerProfit[] };
  distribution: { high: number; medium: number; low: number; negative: number };
  /** Customers seen under more than one tier (the latest tier counts). */
  tierConflicts: number;
  recommendations: Recommendation[];
}

/** Finishes analysis 6. */
export function finishProfitability(context: FinishContext): ProfitabilityResult {
  const { aggregates, config } = context;
  const settings = config.profitability;
  const customers: CustomerProfit[] = aggregates.values('customer').map((customer, index) => {
    const known = context.customerRevenueKnown[index] === true;
    const revenue = context.customerRevenue[index] as number;
    const cost = context.customerCost[index] as number;
    const margin = known ? revenue - cost : 0;
    return {
      customer,
      tier: context.customerTier[index] as SubscriptionTier,
      revenueMicros: revenue,
      costMicros: cost,
      marginMicros: margin,
      marginPct: revenue === 0 ? null : round((margin / revenue) * 100, 2),
      calls: context.customerCalls[index] as number,
      status: !known ? 'revenue_unknown' : margin < 0 ? 'unprofitable' : 'profitable',
    };
  });
  customers.sort((a, b) => a.marginMicros - b.marginMicros || byKey(a.customer, b.customer));
  const byTier = context.plans.map((tier) => {
    const members = customers.filter((entry) => entry.tier === tier && entry.status !== 'revenue_unknown');
    const revenue = members.reduce((sum, entry) => sum + entry.revenueMicros, 0);
    const cost = members.reduce((sum, entry) => sum + entry.costMicros, 0);
    const margins = members
      .map((entry) => entry.marginPct)
      .filter((margin): margin is number => margin !== null);
    return {
      tier,
      customers: members.length,
      revenueMicros: revenue,
      costMicros: cost,
      marginMicros: revenue - cost,
      avgMarginPct:
        margins.length === 0
          ? null
          : round(margins.reduce((sum, margin) => sum + margin, 0) / margins.length, 2),
    };
  });
  const revenue = customers.reduce((sum, entry) => sum + entry.revenueMicros, 0);
  const unknown = customers.filter((entry) => entry.status === 'revenue_unknown');
  const unknownCost = unknown.reduce((sum, entry) => sum + entry.costMicros, 0);
  const knownCost = aggregates.costMicros - unknownCost;
  const losers = customers.filter((entry) => entry.status === 'unprofitable');
  const distribution = { high: 0, medium: 0, low: 0, negative: 0 };
  for (const entry of customers) {
    if (entry.status === 'revenue_unknown') continue;
    const marginPct = entry.marginPct ?? (entry.marginMicros < 0 ? -Infinity : 0);
    if (marginPct < 0) distribution.negative++;
    else if (marginPct > settings.highMarginPct) distribution.high++;
    else if (marginPct >= settings.mediumMarginPct) distribution.medium++;
    else distribution.low++;
  }
  const recommendations: Recommendation[] = [];
  const target = settings.targetMarginPct / 100;
  for (const entry of losers.slice(0, settings.worstCount)) {
    const monthlyCost = monthly(context, entry.costMicros);
    const needed = Math.round(monthlyCost / (1 - target));
    const prices = context.planPrices;
    const currentPrice = prices[entry.tier] ?? 0;
    const fit = context.plans.find(
      (tier) =>
        prices[tier] !== undefined &&
        (prices[tier] as number) >= needed &&
        (prices[tier] as number) > currentPrice,
    );
    if (fit) {
      recommendations.push(
        recommend(
          'Move {customer} from {tier} to {newTier} ({priceMicros} a month): its AI cost of {monthlyCostMicros} a month needs {neededMicros} for a {targetPct} margin.',
          {
            customer: entry.customer,
            tier: entry.tier,
            newTier: fit,
            priceMicros: prices[fit] as number,
            monthlyCostMicros: monthlyCost,
            neededMicros: needed,
            targetPct: settings.targetMarginPct,
          },
        ),
      );
    } else {
      const cap = Math.round(currentPrice * (1 - target));
      recommendations.push(
        recommend(
          'Cap {customer} at {capMicros} of AI cost a month: it costs {monthlyCostMicros} a month on {tier} ({priceMicros}), loss {lossMicros} in this window.',
          {
            customer: entry.customer,
            capMicros: cap,
            monthlyCostMicros: monthlyCost,
            tier: entry.tier,
            priceMicros: currentPrice,
            lossMicros: -entry.marginMicros,
          },
        ),
      );
    }
  }
  return {
    customers,
    byTier,
    totals: {
      customers: customers.length - unknown.length,
      revenueMicros: revenue,
      costMicros: knownCost,
      marginMicros: revenue - knownCost,
      marginPct: revenue === 0 ? null : round(((revenue - knownCost) / revenue) * 100, 2),
    },
    revenueUnknown: {
      customers: unknown.length,
      costMicros: unknownCost,
      calls: unknown.reduce((sum, entry) => sum + entry.calls, 0),
    },
    unprofitable: {
      count: losers.length,
      share: customers.length === 0 ? 0 : round(losers.length / customers.length, 6),
      lossMicros: losers.reduce((sum, entry) => sum - entry.marginMicros, 0),
      worst: losers.slice(0, settings.worstCount),
    },
    distribution,
    tierConflicts: context.tierConflicts,
    recommendations,
  };
}
