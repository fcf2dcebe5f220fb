import { SUBSCRIPTION_TIERS, type SubscriptionTier } from '@finops/schema';
import { type FinishContext, byKey, monthly, round } from '../context';
import { type Recommendation, recommend } from '../recommend';

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
  status: 'profitable' | 'unprofitable';
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
  totals: {
    customers: number;
    revenueMicros: number;
    costMicros: number;
    marginMicros: number;
    marginPct: number | null;
  };
  unprofitable: { count: number; share: number; lossMicros: number; worst: CustomerProfit[] };
  distribution: { high: number; medium: number; low: number; negative: number };
  /** Customers seen under more than one tier (the latest tier counts). */
  tierConflicts: number;
  recommendations: Recommendation[];
}

/** Finishes analysis 6. */
export function finishProfitability(context: FinishContext): ProfitabilityResult {
  const { cube, catalog, config } = context;
  const settings = config.profitability;
  const customers: CustomerProfit[] = cube.customers.values.map((customer, index) => {
    const revenue = context.customerRevenue[index] as number;
    const cost = context.customerCost[index] as number;
    const margin = revenue - cost;
    return {
      customer,
      tier: context.customerTier[index] as SubscriptionTier,
      revenueMicros: revenue,
      costMicros: cost,
      marginMicros: margin,
      marginPct: revenue === 0 ? null : round((margin / revenue) * 100, 2),
      calls: context.customerCalls[index] as number,
      status: margin < 0 ? 'unprofitable' : 'profitable',
    };
  });
  customers.sort((a, b) => a.marginMicros - b.marginMicros || byKey(a.customer, b.customer));
  const byTier = SUBSCRIPTION_TIERS.map((tier) => {
    const members = customers.filter((entry) => entry.tier === tier);
    const revenue = members.reduce((sum, entry) => sum + entry.revenueMicros, 0);
    const cost = members.reduce((sum, entry) => sum + entry.costMicros, 0);
    const pcts = members.map((entry) => entry.marginPct).filter((pct): pct is number => pct !== null);
    return {
      tier,
      customers: members.length,
      revenueMicros: revenue,
      costMicros: cost,
      marginMicros: revenue - cost,
      avgMarginPct:
        pcts.length === 0 ? null : round(pcts.reduce((sum, pct) => sum + pct, 0) / pcts.length, 2),
    };
  });
  const revenue = customers.reduce((sum, entry) => sum + entry.revenueMicros, 0);
  const losers = customers.filter((entry) => entry.status === 'unprofitable');
  const distribution = { high: 0, medium: 0, low: 0, negative: 0 };
  for (const entry of customers) {
    const pct = entry.marginPct ?? (entry.marginMicros < 0 ? -Infinity : 0);
    if (pct < 0) distribution.negative++;
    else if (pct > settings.highMarginPct) distribution.high++;
    else if (pct >= settings.mediumMarginPct) distribution.medium++;
    else distribution.low++;
  }
  const recommendations: Recommendation[] = [];
  const target = settings.targetMarginPct / 100;
  for (const entry of losers.slice(0, settings.worstCount)) {
    const monthlyCost = monthly(context, entry.costMicros);
    const needed = Math.round(monthlyCost / (1 - target));
    const fit = SUBSCRIPTION_TIERS.find(
      (tier) =>
        catalog.tierPriceMicros(tier) >= needed &&
        catalog.tierPriceMicros(tier) > catalog.tierPriceMicros(entry.tier),
    );
    if (fit) {
      recommendations.push(
        recommend(
          'Move {customer} from {tier} to {newTier} ({priceMicros} a month): its AI cost of {monthlyCostMicros} a month needs {neededMicros} for a {targetPct} margin.',
          {
            customer: entry.customer,
            tier: entry.tier,
            newTier: fit,
            priceMicros: catalog.tierPriceMicros(fit),
            monthlyCostMicros: monthlyCost,
            neededMicros: needed,
            targetPct: settings.targetMarginPct,
          },
        ),
      );
    } else {
      const cap = Math.round(catalog.tierPriceMicros(entry.tier) * (1 - target));
      recommendations.push(
        recommend(
          'Cap {customer} at {capMicros} of AI cost a month: it costs {monthlyCostMicros} a month on {tier} ({priceMicros}), loss {lossMicros} in this window.',
          {
            customer: entry.customer,
            capMicros: cap,
            monthlyCostMicros: monthlyCost,
            tier: entry.tier,
            priceMicros: catalog.tierPriceMicros(entry.tier),
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
      customers: customers.length,
      revenueMicros: revenue,
      costMicros: cube.costMicros,
      marginMicros: revenue - cube.costMicros,
      marginPct: revenue === 0 ? null : round(((revenue - cube.costMicros) / revenue) * 100, 2),
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
