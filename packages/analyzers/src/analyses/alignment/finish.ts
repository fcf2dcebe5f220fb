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
  organizationTotals: readonly Totals[],
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
    const worstTotals = organizationTotals[worstIndex] as Totals;
    const bestTotals = organizationTotals[organizations.indexOf(best.organization)] as Totals;
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

/** An invoice line's totals: one product and feature of one organization. */
type LineTotals = Totals & { product: string; feature: string };

/** The log's spend summed per organization (by organization index), whole and split every way a page shows it. */
interface OrganizationSums {
  readonly organizations: readonly string[];
  /** The environment names, in the order of each organization's environment totals. */
  readonly environmentNames: readonly string[];
  readonly totals: Totals[];
  readonly products: Map<string, Totals>[];
  readonly features: Map<string, Totals>[];
  readonly environments: Totals[][];
  /** Invoice lines keyed by product and feature. */
  readonly lines: Map<string, LineTotals>[];
}

/** Sums the team × feature grouping per organization, and per product, feature, environment and invoice line of each. */
function organizationSumsOf(context: FinishContext): OrganizationSums {
  const { aggregates } = context;
  const organizations = aggregates.values('organization');
  const environments = aggregates.values('environment');
  const sums: OrganizationSums = {
    organizations,
    environmentNames: environments,
    totals: organizations.map(emptyTotals),
    products: organizations.map(() => new Map<string, Totals>()),
    features: organizations.map(() => new Map<string, Totals>()),
    environments: organizations.map(() => environments.map(emptyTotals)),
    lines: organizations.map(() => new Map<string, LineTotals>()),
  };
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
    add(sums.totals[organization] as Totals, cell);
    const products = sums.products[organization] as Map<string, Totals>;
    if (!products.has(product)) products.set(product, emptyTotals());
    add(products.get(product) as Totals, cell);
    const features = sums.features[organization] as Map<string, Totals>;
    if (!features.has(feature)) features.set(feature, emptyTotals());
    add(features.get(feature) as Totals, cell);
    add((sums.environments[organization] as Totals[])[cellEnvironment[cell] as number] as Totals, cell);
    const lines = sums.lines[organization] as Map<string, LineTotals>;
    const key = `${product}\u0000${feature}`;
    if (!lines.has(key)) lines.set(key, { ...emptyTotals(), product, feature });
    add(lines.get(key) as Totals, cell);
  }
  return sums;
}

/** Organization indexes, costliest first. */
function costOrderOf(sums: OrganizationSums): number[] {
  return sums.organizations
    .map((_, index) => index)
    .sort(
      (a, b) =>
        (sums.totals[b] as Totals).cost - (sums.totals[a] as Totals).cost ||
        byKey(sums.organizations[a] as string, sums.organizations[b] as string),
    );
}

/** Rows sorted costliest first, then by their key. */
function sortByCost<T extends { calls: number; costMicros: number }>(
  rows: T[],
  key: (row: T) => string,
): T[] {
  return rows.sort((a, b) => b.costMicros - a.costMicros || byKey(key(a), key(b)));
}

/** One invoice per organization, its lines adding up to its amount to the cent. */
function invoicesOf(
  sums: OrganizationSums,
  order: readonly number[],
  invoiceCents: readonly number[],
): Invoice[] {
  return order.map((index, position) => {
    const spend = sums.totals[index] as Totals;
    const lines = [...(sums.lines[index] as Map<string, LineTotals>).values()]
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
      organization: sums.organizations[index] as string,
      calls: spend.calls,
      totalMicros: spend.cost,
      totalCents,
      lines,
    };
  });
}

/** Each organization's calls, cost and share, by product, feature and environment. */
function organizationRowsOf(
  sums: OrganizationSums,
  order: readonly number[],
  total: number,
): AlignmentResult['organizations'] {
  const environments = sums.environmentNames;
  return order.map((index) => {
    const spend = sums.totals[index] as Totals;
    return {
      organization: sums.organizations[index] as string,
      calls: spend.calls,
      costMicros: spend.cost,
      share: round(shareOf(spend.cost, total), 6),
      byProduct: sortByCost(
        [...(sums.products[index] as Map<string, Totals>).entries()].map(([product, totals]) => ({
          product,
          calls: totals.calls,
          costMicros: totals.cost,
        })),
        (row) => row.product,
      ),
      byFeature: sortByCost(
        [...(sums.features[index] as Map<string, Totals>).entries()].map(([feature, totals]) => ({
          feature,
          calls: totals.calls,
          costMicros: totals.cost,
        })),
        (row) => row.feature,
      ),
      byEnvironment: environments
        .map((environment, environmentId) => {
          const totals = (sums.environments[index] as Totals[])[environmentId] as Totals;
          return { environment, calls: totals.calls, costMicros: totals.cost };
        })
        .filter((row) => row.calls > 0),
    };
  });
}

/** Each organization's share of cost, cost per call and per thousand tokens, premium and non-production shares. */
function showbackOf(sums: OrganizationSums, order: readonly number[], total: number): Showback[] {
  const environments = sums.environmentNames;
  return order.map((index) => {
    const spend = sums.totals[index] as Totals;
    const productionId = environments.indexOf('production');
    const production =
      productionId < 0 ? 0 : ((sums.environments[index] as Totals[])[productionId] as Totals).cost;
    const tokens = spend.input + spend.output;
    return {
      organization: sums.organizations[index] as string,
      calls: spend.calls,
      costMicros: spend.cost,
      share: round(shareOf(spend.cost, total), 6),
      costPerCallUsd: spend.calls === 0 ? 0 : round(microsToUsd(spend.cost) / spend.calls, 6),
      costPer1kTokensUsd: tokens === 0 ? 0 : round((microsToUsd(spend.cost) / tokens) * 1000, 6),
      premiumShare: round(shareOf(spend.premium, spend.cost), 6),
      nonProductionShare: round(shareOf(spend.cost - production, spend.cost), 6),
    };
  });
}

/** Finishes analysis 5. */
export function finishAlignment(context: FinishContext): AlignmentResult {
  const { aggregates, config } = context;
  const sums = organizationSumsOf(context);
  const total = aggregates.costMicros;
  const order = costOrderOf(sums);
  const invoiceCents = centsOf(
    order.map((index) => (sums.totals[index] as Totals).cost),
    total,
  );
  const invoices = invoicesOf(sums, order, invoiceCents);
  const organizationRows = organizationRowsOf(sums, order, total);
  const showback = showbackOf(sums, order, total);
  const { best, worst, gap } = crossTeamOf(
    showback,
    sums.totals,
    sums.organizations,
    config.alignment.minCalls,
  );
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
