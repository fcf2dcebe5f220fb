import { isSubscriptionTier as isDefaultPlan, type SubscriptionTier } from '@finops/schema';
import { type FinishContext, byKey, round } from '../../context';
import { type Recommendation, recommend } from '../../recommend';

/** The four pricing models replayed. */
export const PRICING_MODELS = ['flat', 'tiered', 'usage', 'hybrid'] as const;
/** A pricing model. */
export type PricingModelName = (typeof PRICING_MODELS)[number];

/** The window's usage replayed under one pricing model. */
export interface PricingReplay {
  model: PricingModelName;
  /** The model's parameters, as used. */
  parameters: Record<string, number>;
  revenueMicros: number;
  costMicros: number;
  marginMicros: number;
  marginPct: number | null;
  /** Customers paying less than today, and by how much in total. */
  winners: { customers: number; changeMicros: number };
  /** Customers paying more than today, and by how much in total. */
  losers: { customers: number; changeMicros: number };
  /** Customers whose bill rises by more than the churn threshold. */
  churnRisk: { customers: number; share: number; revenueMicros: number };
  /** By usage thirds (customers ordered by tokens): revenue today and under this model. */
  segments: {
    segment: 'low' | 'medium' | 'high';
    customers: number;
    todayMicros: number;
    revenueMicros: number;
    changeMicros: number;
  }[];
}

/** Result of analysis 7: pricing strategy. */
export interface PricingResult {
  models: PricingReplay[];
  recommended: PricingModelName | null;
  recommendations: Recommendation[];
}

const prorate = (monthlyUsd: number, days: number): number => Math.round((monthlyUsd * 1e6 * days) / 30);

/** Finishes analysis 7. */
export function finishPricing(context: FinishContext): PricingResult {
  const { aggregates, config } = context;
  const settings = config.pricing;
  const days = context.windowDays;
  const customers = aggregates.values('customer').map((customer, index) => ({
    customer,
    tier: context.customerTier[index] as SubscriptionTier,
    tokens: (context.customerInput[index] as number) + (context.customerOutput[index] as number),
    cost: context.customerCost[index] as number,
    today: context.customerRevenue[index] as number,
  }));
  const bySize = customers.slice().sort((a, b) => a.tokens - b.tokens || byKey(a.customer, b.customer));
  const segmentOf = new Map<string, 'low' | 'medium' | 'high'>();
  bySize.forEach((entry, index) =>
    segmentOf.set(
      entry.customer,
      index * 3 < bySize.length ? 'low' : index * 3 < 2 * bySize.length ? 'medium' : 'high',
    ),
  );
  const perToken = (tokens: number, per1kUsd: number): number => Math.round((tokens * per1kUsd * 1e6) / 1000);

  const bills: Record<PricingModelName, (entry: (typeof customers)[number]) => number> = {
    flat: (entry) => entry.today,
    tiered: (entry) => {
      // A plan the replay has no settings for keeps today's revenue.
      if (!isDefaultPlan(entry.tier)) return entry.today;
      const plan = settings.tiered[entry.tier];
      const included = (plan.includedTokens * days) / 30;
      return (
        prorate(plan.baseFeeUsd, days) +
        perToken(Math.max(0, entry.tokens - included), settings.tiered.overagePer1kUsd)
      );
    },
    usage: (entry) => perToken(entry.tokens, settings.usagePer1kUsd),
    hybrid: (entry) =>
      isDefaultPlan(entry.tier)
        ? prorate(settings.hybrid[entry.tier], days) + Math.round(entry.cost * (1 + settings.hybrid.markup))
        : entry.today,
  };
  const parameters: Record<PricingModelName, Record<string, number>> = {
    flat: {
      starterUsd: (context.catalog.tierPriceMicros('starter') ?? 0) / 1e6,
      proUsd: (context.catalog.tierPriceMicros('pro') ?? 0) / 1e6,
      enterpriseUsd: (context.catalog.tierPriceMicros('enterprise') ?? 0) / 1e6,
    },
    tiered: {
      starterBaseUsd: settings.tiered.starter.baseFeeUsd,
      starterIncludedTokens: settings.tiered.starter.includedTokens,
      proBaseUsd: settings.tiered.pro.baseFeeUsd,
      proIncludedTokens: settings.tiered.pro.includedTokens,
      enterpriseBaseUsd: settings.tiered.enterprise.baseFeeUsd,
      enterpriseIncludedTokens: settings.tiered.enterprise.includedTokens,
      overagePer1kUsd: settings.tiered.overagePer1kUsd,
    },
    usage: { per1kUsd: settings.usagePer1kUsd },
    hybrid: {
      starterBaseUsd: settings.hybrid.starter,
      proBaseUsd: settings.hybrid.pro,
      enterpriseBaseUsd: settings.hybrid.enterprise,
      markup: settings.hybrid.markup,
    },
  };
  const models: PricingReplay[] = PRICING_MODELS.map((model) => {
    let revenue = 0;
    const winners = { customers: 0, changeMicros: 0 };
    const losers = { customers: 0, changeMicros: 0 };
    const churn = { customers: 0, share: 0, revenueMicros: 0 };
    const segments = (['low', 'medium', 'high'] as const).map((segment) => ({
      segment,
      customers: 0,
      todayMicros: 0,
      revenueMicros: 0,
      changeMicros: 0,
    }));
    for (const entry of customers) {
      const bill = bills[model](entry);
      revenue += bill;
      const change = bill - entry.today;
      if (change < 0) {
        winners.customers++;
        winners.changeMicros += change;
      } else if (change > 0) {
        losers.customers++;
        losers.changeMicros += change;
      }
      if (change > entry.today * settings.churnIncreaseShare) {
        churn.customers++;
        churn.revenueMicros += entry.today;
      }
      const segment = segments.find((row) => row.segment === segmentOf.get(entry.customer));
      if (segment) {
        segment.customers++;
        segment.todayMicros += entry.today;
        segment.revenueMicros += bill;
        segment.changeMicros += change;
      }
    }
    churn.share = customers.length === 0 ? 0 : round(churn.customers / customers.length, 6);
    const margin = revenue - aggregates.costMicros;
    return {
      model,
      parameters: parameters[model],
      revenueMicros: revenue,
      costMicros: aggregates.costMicros,
      marginMicros: margin,
      marginPct: revenue === 0 ? null : round((margin / revenue) * 100, 2),
      winners,
      losers,
      churnRisk: churn,
      segments,
    };
  });
  const eligible = models.filter((entry) => entry.churnRisk.share <= settings.churnRiskLimit);
  let best: PricingReplay | undefined;
  for (const entry of eligible) if (!best || entry.marginMicros > best.marginMicros) best = entry;
  const recommendations: Recommendation[] = [];
  const flat = models[0] as PricingReplay;
  if (best) {
    recommendations.push(
      recommend(
        best.model === 'flat'
          ? 'Keep flat pricing: margin {marginMicros} ({marginPct}); no other model earns more with at most {limitPct} of customers at churn risk.'
          : 'Move to {model} pricing: margin {marginMicros} ({marginPct}) against {flatMarginMicros} today, with {churnCustomers} customers ({churnPct}) at churn risk, within the {limitPct} limit.',
        {
          model: best.model,
          marginMicros: best.marginMicros,
          marginPct: best.marginPct ?? 0,
          flatMarginMicros: flat.marginMicros,
          churnCustomers: best.churnRisk.customers,
          churnPct: best.churnRisk.share * 100,
          limitPct: settings.churnRiskLimit * 100,
        },
      ),
    );
  }
  return { models, recommended: best?.model ?? null, recommendations };
}
