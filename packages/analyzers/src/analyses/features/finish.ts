import { allocateMicros, formatUtcDay } from '@finops/schema';
import { type FinishContext, byKey, round } from '../../context';
import { type Recommendation, recommend } from '../../recommend';
import { median } from '../../shared/medians';

/** Investment quadrant of a feature: adoption and margin % against their medians. */
export type Quadrant = 'invest' | 'optimize' | 'maintain' | 'sunset';

/** Economics of one feature. */
export interface FeatureEconomics {
  feature: string;
  calls: number;
  costMicros: number;
  adopters: number;
  /** Adopters / all customers, 0–1. */
  adoption: number;
  costPerAdopterMicros: number;
  callsPerAdopter: number;
  /** Customers' revenue split by their cost share per feature. */
  revenueMicros: number;
  marginMicros: number;
  marginPct: number | null;
  /** Margin / cost (`null` when the cost is 0). */
  roi: number | null;
  quadrant: Quadrant;
  /** First day any customer used it, and customers whose first use falls in the last recent days. */
  firstSeen: string;
  recentAdopters: number;
}

/** Result of analysis 8: feature economics. */
export interface FeaturesResult {
  features: FeatureEconomics[];
  medians: { adoption: number; marginPct: number };
  bundles: {
    features: [string, string];
    customers: number;
    support: number;
    confidence: number;
    lift: number;
  }[];
  recommendations: Recommendation[];
}

/** Finishes analysis 8. */
export function finishFeatures(context: FinishContext): FeaturesResult {
  const { aggregates, config } = context;
  const settings = config.features;
  const featureCount = aggregates.values('feature').length;
  const customers = aggregates.values('customer').length;
  const calls = new Array<number>(featureCount).fill(0);
  const cost = new Array<number>(featureCount).fill(0);
  const adopters = new Array<number>(featureCount).fill(0);
  const revenue = new Array<number>(featureCount).fill(0);
  const firstSeen = new Array<number>(featureCount).fill(Infinity);
  const recent = new Array<number>(featureCount).fill(0);
  const recentFrom = context.lastDay - settings.recentDays + 1;
  const usedBy: number[][] = Array.from({ length: customers }, () => []);
  const table = aggregates.grouping('customerFeature');
  const cellCustomer = table.keys('customer');
  const cellFeature = table.keys('feature');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const cellFirstDay = table.measure('firstDay');
  let cell = 0;
  // Cells are in (customer, feature) order: one customer's features are consecutive.
  while (cell < table.size) {
    const customer = cellCustomer[cell] as number;
    const start = cell;
    while (cell < table.size && cellCustomer[cell] === customer) cell++;
    const weights: number[] = [];
    let anyCost = false;
    for (let index = start; index < cell; index++) if ((cellCost[index] as number) > 0) anyCost = true;
    for (let index = start; index < cell; index++)
      weights.push(anyCost ? (cellCost[index] as number) : (cellCalls[index] as number));
    const shares = allocateMicros(context.customerRevenue[customer] as number, weights);
    for (let index = start; index < cell; index++) {
      const feature = cellFeature[index] as number;
      calls[feature] = (calls[feature] as number) + (cellCalls[index] as number);
      cost[feature] = (cost[feature] as number) + (cellCost[index] as number);
      adopters[feature] = (adopters[feature] as number) + 1;
      revenue[feature] = (revenue[feature] as number) + (shares[index - start] as number);
      const first = cellFirstDay[index] as number;
      if (first < (firstSeen[feature] as number)) firstSeen[feature] = first;
      if (first >= recentFrom) recent[feature] = (recent[feature] as number) + 1;
      (usedBy[customer] as number[]).push(feature);
    }
  }
  const rows = aggregates.values('feature').map((feature, index) => {
    const featureCost = cost[index] as number;
    const featureRevenue = revenue[index] as number;
    const featureAdopters = adopters[index] as number;
    const margin = featureRevenue - featureCost;
    return {
      feature,
      calls: calls[index] as number,
      costMicros: featureCost,
      adopters: featureAdopters,
      adoption: customers === 0 ? 0 : round(featureAdopters / customers, 6),
      costPerAdopterMicros: featureAdopters === 0 ? 0 : Math.round(featureCost / featureAdopters),
      callsPerAdopter: featureAdopters === 0 ? 0 : round((calls[index] as number) / featureAdopters, 2),
      revenueMicros: featureRevenue,
      marginMicros: margin,
      marginPct: featureRevenue === 0 ? null : round((margin / featureRevenue) * 100, 2),
      roi: featureCost === 0 ? null : round(margin / featureCost, 4),
      quadrant: 'maintain' as Quadrant,
      firstSeen: Number.isFinite(firstSeen[index] as number) ? formatUtcDay(firstSeen[index] as number) : '',
      recentAdopters: recent[index] as number,
    };
  });
  const medianAdoption = median(rows.map((row) => row.adoption));
  const medianMargin = median(rows.map((row) => row.marginPct ?? 0));
  for (const row of rows) {
    const high = row.adoption >= medianAdoption;
    const profitable = (row.marginPct ?? 0) >= medianMargin;
    row.quadrant = high ? (profitable ? 'invest' : 'optimize') : profitable ? 'maintain' : 'sunset';
  }
  rows.sort((a, b) => b.costMicros - a.costMicros || byKey(a.feature, b.feature));

  const pairCounts = new Map<number, number>();
  for (const features of usedBy) {
    for (let i = 0; i < features.length; i++) {
      for (let j = i + 1; j < features.length; j++) {
        const a = Math.min(features[i] as number, features[j] as number);
        const b = Math.max(features[i] as number, features[j] as number);
        const key = a * featureCount + b;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
      }
    }
  }
  const bundles: FeaturesResult['bundles'] = [];
  for (const [key, both] of pairCounts) {
    const a = Math.floor(key / featureCount);
    const b = key % featureCount;
    const support = both / customers;
    if (support < settings.bundleMinSupport) continue;
    const supportA = (adopters[a] as number) / customers;
    const supportB = (adopters[b] as number) / customers;
    bundles.push({
      features: [aggregates.values('feature')[a] as string, aggregates.values('feature')[b] as string],
      customers: both,
      support: round(support, 6),
      confidence: round(both / Math.min(adopters[a] as number, adopters[b] as number), 6),
      lift: round(support / (supportA * supportB), 4),
    });
  }
  bundles.sort(
    (a, b) => b.lift - a.lift || b.customers - a.customers || byKey(a.features.join(), b.features.join()),
  );
  bundles.splice(settings.bundleCount);

  const recommendations: Recommendation[] = [];
  for (const row of rows.filter((entry) => entry.quadrant === 'optimize' || entry.quadrant === 'sunset')) {
    recommendations.push(
      recommend(
        row.quadrant === 'optimize'
          ? '{feature} is widely used ({adoptionPct} of customers) but earns a {marginPct} margin: cut its cost of {costMicros}.'
          : '{feature} has low adoption ({adoptionPct} of customers) and a {marginPct} margin on {costMicros} of cost: consider retiring it.',
        {
          feature: row.feature,
          adoptionPct: row.adoption * 100,
          marginPct: row.marginPct ?? 0,
          costMicros: row.costMicros,
        },
      ),
    );
  }
  const top = bundles[0];
  if (top) {
    recommendations.push(
      recommend('Bundle {first} with {second}: {customers} customers use both, lift {lift}.', {
        first: top.features[0],
        second: top.features[1],
        customers: top.customers,
        lift: top.lift,
      }),
    );
  }
  return {
    features: rows,
    medians: { adoption: round(medianAdoption, 6), marginPct: round(medianMargin, 2) },
    bundles,
    recommendations,
  };
}
