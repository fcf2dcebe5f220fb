import { allocateMicros, microsToUsd } from '@finops/schema';
import { type FinishContext, byKey, round, shareOf } from '../../context';
import { type Recommendation, recommend } from '../../recommend';

/** One line of an invoice: a product × feature of the organization. */
export interface InvoiceLine {
  product: string;
  feature: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** The line in cents; lines add up to the invoice's cents. */
  amountCents: number;
}

/** The chargeback invoice of one organization. */
export interface Invoice {
  organization: string;
  calls: number;
  totalMicros: number;
  /** The invoice in cents; invoices add up to the grand total in cents. */
  totalCents: number;
  lines: InvoiceLine[];
}

/** Showback figures of one organization. */
export interface Showback {
  organization: string;
  calls: number;
  costMicros: number;
  share: number;
  costPerCallUsd: number;
  costPer1kTokensUsd: number;
  /** Share of its cost on premium-class models. */
  premiumShare: number;
  /** Share of its cost outside production. */
  nonProductionShare: number;
}

/** Result of analysis 5: organizational alignment. */
export interface AlignmentResult {
  organizations: {
    organization: string;
    calls: number;
    costMicros: number;
    share: number;
    byProduct: { product: string; calls: number; costMicros: number }[];
    byFeature: { feature: string; calls: number; costMicros: number }[];
    byEnvironment: { environment: string; calls: number; costMicros: number }[];
  }[];
  invoices: Invoice[];
  grandTotalMicros: number;
  grandTotalCents: number;
  showback: Showback[];
  crossTeam: {
    best: string | null;
    worst: string | null;
    bestCostPer1kTokensUsd: number;
    worstCostPer1kTokensUsd: number;
    /** What the worst organization would save at the best one's cost per 1K tokens. */
    gapMicros: number;
  };
  recommendations: Recommendation[];
}

/** Calls, cost, tokens and premium-model cost of one organization, product, feature or environment. */
interface Totals {
  calls: number;
  cost: number;
  input: number;
  output: number;
  premium: number;
}

const emptyTotals = (): Totals => ({ calls: 0, cost: 0, input: 0, output: 0, premium: 0 });

function centsOf(parts: number[], totalMicros: number): number[] {
  // Round the total to cents, then share the cents by largest remainder so that the parts add up to it.
  return allocateMicros(Math.round(totalMicros / 10_000), parts);
}

/**
 * The organizations with the lowest and the highest cost per 1K tokens among
 * those with at least `minCalls` calls, and what the worst would save at the
 * best one's rate.
 */
function crossTeamOf(
  showback: readonly Showback[],
  orgTotals: readonly Totals[],
  organizations: readonly string[],
  minCalls: number,
): { best: Showback | undefined; worst: Showback | undefined; gap: number } {
  const compared = showback.filter((row) => row.calls >= minCalls && row.costPer1kTokensUsd > 0);
  let best: Showback | undefined;
  let worst: Showback | undefined;
  for (const row of compared) {
    if (
      !best ||
      row.costPer1kTokensUsd < best.costPer1kTokensUsd ||
      (row.costPer1kTokensUsd === best.costPer1kTokensUsd && byKey(row.organization, best.organization) < 0)
    )
      best = row;
    if (
      !worst ||
      row.costPer1kTokensUsd > worst.costPer1kTokensUsd ||
      (row.costPer1kTokensUsd === worst.costPer1kTokensUsd && byKey(row.organization, worst.organization) < 0)
    )
      worst = row;
  }
  let gap = 0;
  if (best && worst && best !== worst) {
    const worstIndex = organizations.indexOf(worst.organization);
    const worstTotals = orgTotals[worstIndex] as Totals;
    const bestTotals = orgTotals[organizations.indexOf(best.organization)] as Totals;
    const atBest = Math.round(
      (bestTotals.cost * (worstTotals.input + worstTotals.output)) / (bestTotals.input + bestTotals.output),
    );
    gap = worstTotals.cost - atBest;
  }
  return { best, worst, gap };
}

/** The cross-team gap and the organizations spending most outside production. */
function recommendationsOf(
  showback: readonly Showback[],
  best: Showback | undefined,
  worst: Showback | undefined,
  gap: number,
): Recommendation[] {
  const recommendations: Recommendation[] = [];
  if (best && worst && gap > 0) {
    recommendations.push(
      recommend(
        '{worst} pays {worstPer1kMicros} per thousand tokens against {bestPer1kMicros} at {best}: {gapMicros} in this window at the best rate.',
        {
          worst: worst.organization,
          best: best.organization,
          worstPer1kMicros: Math.round(worst.costPer1kTokensUsd * 1e6),
          bestPer1kMicros: Math.round(best.costPer1kTokensUsd * 1e6),
          gapMicros: gap,
        },
      ),
    );
  }
  for (const row of showback.filter((entry) => entry.nonProductionShare > 0.5 && entry.costMicros > 0)) {
    recommendations.push(
      recommend(
        '{organization} spends {sharePct} of its {costMicros} outside production: review test and staging traffic.',
        {
          organization: row.organization,
          sharePct: row.nonProductionShare * 100,
          costMicros: row.costMicros,
        },
      ),
    );
  }
  return recommendations;
}

/** Finishes analysis 5. */
export function finishAlignment(context: FinishContext): AlignmentResult {
  const { aggregates, config } = context;
  const organizations = aggregates.values('organization');
  const orgTotals = organizations.map(emptyTotals);
  const productMaps = organizations.map(() => new Map<string, Totals>());
  const featureMaps = organizations.map(() => new Map<string, Totals>());
  const environments = aggregates.values('environment');
  const environmentTotals = organizations.map(() => environments.map(emptyTotals));
  const lineMaps = organizations.map(() => new Map<string, Totals & { product: string; feature: string }>());
  const table = aggregates.grouping('teamFeature');
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  const cellInput = table.measure('inputTokens');
  const cellOutput = table.measure('outputTokens');
  const cellPremium = table.measure('premiumCost');
  const cellOrganization = table.keys('organization');
  const cellProduct = table.keys('product');
  const cellFeature = table.keys('feature');
  const cellEnvironment = table.keys('environment');
  const productNames = aggregates.values('product');
  const featureNames = aggregates.values('feature');
  const add = (totals: Totals, cell: number): void => {
    totals.calls += cellCalls[cell] as number;
    totals.cost += cellCost[cell] as number;
    totals.input += cellInput[cell] as number;
    totals.output += cellOutput[cell] as number;
    totals.premium += cellPremium[cell] as number;
  };
  for (let cell = 0; cell < table.size; cell++) {
    const organization = cellOrganization[cell] as number;
    const product = productNames[cellProduct[cell] as number] as string;
    const feature = featureNames[cellFeature[cell] as number] as string;
    add(orgTotals[organization] as Totals, cell);
    const products = productMaps[organization] as Map<string, Totals>;
    if (!products.has(product)) products.set(product, emptyTotals());
    add(products.get(product) as Totals, cell);
    const features = featureMaps[organization] as Map<string, Totals>;
    if (!features.has(feature)) features.set(feature, emptyTotals());
    add(features.get(feature) as Totals, cell);
    add((environmentTotals[organization] as Totals[])[cellEnvironment[cell] as number] as Totals, cell);
    const lines = lineMaps[organization] as Map<string, Totals & { product: string; feature: string }>;
    const key = `${product}\u0000${feature}`;
    if (!lines.has(key)) lines.set(key, { ...emptyTotals(), product, feature });
    add(lines.get(key) as Totals, cell);
  }
  const total = aggregates.costMicros;
  const order = organizations
    .map((_, index) => index)
    .sort(
      (a, b) =>
        (orgTotals[b] as Totals).cost - (orgTotals[a] as Totals).cost ||
        byKey(organizations[a] as string, organizations[b] as string),
    );
  const sortByCost = <T extends { calls: number; costMicros: number }>(
    rows: T[],
    key: (row: T) => string,
  ): T[] => rows.sort((a, b) => b.costMicros - a.costMicros || byKey(key(a), key(b)));

  const invoiceCents = centsOf(
    order.map((index) => (orgTotals[index] as Totals).cost),
    total,
  );
  const invoices: Invoice[] = order.map((index, position) => {
    const org = orgTotals[index] as Totals;
    const lines = [
      ...(lineMaps[index] as Map<string, Totals & { product: string; feature: string }>).values(),
    ]
      .map((line) => ({
        product: line.product,
        feature: line.feature,
        calls: line.calls,
        inputTokens: line.input,
        outputTokens: line.output,
        costMicros: line.cost,
        amountCents: 0,
      }))
      .sort(
        (a, b) => b.costMicros - a.costMicros || byKey(a.product, b.product) || byKey(a.feature, b.feature),
      );
    const totalCents = invoiceCents[position] as number;
    const cents = allocateMicros(
      totalCents,
      lines.map((line) => line.costMicros),
    );
    lines.forEach((line, lineIndex) => (line.amountCents = cents[lineIndex] as number));
    return {
      organization: organizations[index] as string,
      calls: org.calls,
      totalMicros: org.cost,
      totalCents,
      lines,
    };
  });

  const organizationRows = order.map((index) => {
    const org = orgTotals[index] as Totals;
    return {
      organization: organizations[index] as string,
      calls: org.calls,
      costMicros: org.cost,
      share: round(shareOf(org.cost, total), 6),
      byProduct: sortByCost(
        [...(productMaps[index] as Map<string, Totals>).entries()].map(([product, totals]) => ({
          product,
          calls: totals.calls,
          costMicros: totals.cost,
        })),
        (row) => row.product,
      ),
      byFeature: sortByCost(
        [...(featureMaps[index] as Map<string, Totals>).entries()].map(([feature, totals]) => ({
          feature,
          calls: totals.calls,
          costMicros: totals.cost,
        })),
        (row) => row.feature,
      ),
      byEnvironment: environments
        .map((environment, environmentId) => {
          const totals = (environmentTotals[index] as Totals[])[environmentId] as Totals;
          return { environment, calls: totals.calls, costMicros: totals.cost };
        })
        .filter((row) => row.calls > 0),
    };
  });

  const showback: Showback[] = order.map((index) => {
    const org = orgTotals[index] as Totals;
    const productionId = environments.indexOf('production');
    const production =
      productionId < 0 ? 0 : ((environmentTotals[index] as Totals[])[productionId] as Totals).cost;
    const tokens = org.input + org.output;
    return {
      organization: organizations[index] as string,
      calls: org.calls,
      costMicros: org.cost,
      share: round(shareOf(org.cost, total), 6),
      costPerCallUsd: org.calls === 0 ? 0 : round(microsToUsd(org.cost) / org.calls, 6),
      costPer1kTokensUsd: tokens === 0 ? 0 : round((microsToUsd(org.cost) / tokens) * 1000, 6),
      premiumShare: round(shareOf(org.premium, org.cost), 6),
      nonProductionShare: round(shareOf(org.cost - production, org.cost), 6),
    };
  });
  const { best, worst, gap } = crossTeamOf(showback, orgTotals, organizations, config.alignment.minCalls);
  const recommendations = recommendationsOf(showback, best, worst, gap);
  return {
    organizations: organizationRows,
    invoices,
    grandTotalMicros: total,
    grandTotalCents: invoiceCents.reduce((sum, cents) => sum + cents, 0),
    showback,
    crossTeam: {
      best: best?.organization ?? null,
      worst: worst?.organization ?? null,
      bestCostPer1kTokensUsd: best?.costPer1kTokensUsd ?? 0,
      worstCostPer1kTokensUsd: worst?.costPer1kTokensUsd ?? 0,
      gapMicros: gap,
    },
    recommendations,
  };
}
