import { UNATTRIBUTED, formatTimestamp } from '@finops/schema';
import { type FinishContext, byKey, round, shareOf } from '../../context';
import { type HistogramData, mergeHistogram, newHistogram, percentile } from '../../histogram';
import { type Recommendation, recommend } from '../../recommend';
import type { GroupingReader } from '../../store/reader';
import type { OverviewConfig } from './settings';

/** One key's part of the calls and of the cost. */
export interface ShareRow {
  /** The key; `''` for calls that do not give it (no region, no feature…). */
  key: string;
  calls: number;
  costMicros: number;
  /** Calls / all calls, 0–1. */
  callShare: number;
  /** Cost / all cost, 0–1. */
  costShare: number;
}

/** One concentration figure: a share of cost against the setting that makes it a finding. */
export interface ConcentrationFigure {
  /** Who holds the share: a provider, an organization, or the top customers' names joined by `, `. */
  name: string;
  costMicros: number;
  /** Share of all cost, 0–1. */
  share: number;
  /** The setting: above this share it is a finding. */
  limit: number;
  finding: boolean;
}

/** Result of the overview analysis. */
export interface OverviewResult {
  totals: {
    calls: number;
    costMicros: number;
    inputTokens: number;
    outputTokens: number;
    totalTokens: number;
    /** First and last call (UTC timestamps), null for an empty log. */
    firstCall: string | null;
    lastCall: string | null;
    windowDays: number;
  };
  /** Distinct non-empty values seen. */
  unique: {
    customers: number;
    organizations: number;
    products: number;
    features: number;
    providers: number;
    models: number;
    regions: number;
  };
  /** Shares of calls and cost by key, by cost descending (ties by key); each list adds up to the totals exactly. */
  shares: {
    provider: ShareRow[];
    /** Keyed `provider/model`. */
    model: ShareRow[];
    feature: ShareRow[];
    plan: ShareRow[];
    region: ShareRow[];
  };
  /** Latency quantiles of the calls with a latency (0 when none has one). */
  latency: { p50Ms: number; p95Ms: number; p99Ms: number; timedCalls: number; untimedCalls: number };
  /** Calls that failed and their cost. */
  failures: { calls: number; costMicros: number; share: number };
  concentration: {
    largestProvider: ConcentrationFigure | null;
    topCustomers: ConcentrationFigure & { customers: number };
    largestOrganization: ConcentrationFigure | null;
  };
  recommendations: Recommendation[];
}

/** Sums of calls and cost per id of one dimension of a grouping's cells. */
function sumsBy(
  table: GroupingReader,
  keys: readonly number[],
  size: number,
): { calls: number[]; cost: number[] } {
  const calls = new Array<number>(size).fill(0);
  const cost = new Array<number>(size).fill(0);
  const cellCalls = table.measure('calls');
  const cellCost = table.measure('cost');
  for (let cell = 0; cell < table.size; cell++) {
    const id = keys[cell] as number;
    calls[id] = (calls[id] as number) + (cellCalls[cell] as number);
    cost[id] = (cost[id] as number) + (cellCost[cell] as number);
  }
  return { calls, cost };
}

/** Share rows of named sums, by cost descending, without keys of no call. */
function shareRows(
  names: readonly string[],
  sums: { calls: readonly number[]; cost: readonly number[] },
  totalCalls: number,
  totalCost: number,
): ShareRow[] {
  const rows: ShareRow[] = [];
  names.forEach((key, id) => {
    const calls = sums.calls[id] ?? 0;
    if (calls === 0) return;
    const costMicros = sums.cost[id] ?? 0;
    rows.push({
      key,
      calls,
      costMicros,
      callShare: round(shareOf(calls, totalCalls), 6),
      costShare: round(shareOf(costMicros, totalCost), 6),
    });
  });
  return rows.sort((a, b) => b.costMicros - a.costMicros || byKey(a.key, b.key));
}

/** The largest of share rows (the first, as they come by cost) as a concentration figure. */
function largest(rows: readonly ShareRow[], limit: number): ConcentrationFigure | null {
  const first = rows.find((row) => isNamed(row.key));
  if (first === undefined) return null;
  return {
    name: first.key,
    costMicros: first.costMicros,
    share: first.costShare,
    limit,
    finding: first.costShare > limit,
  };
}

/** Whether a key names someone or something (not a call that leaves it out). */
function isNamed(name: string): boolean {
  return name !== '' && name !== UNATTRIBUTED;
}

function countNamed(names: readonly string[]): number {
  return names.filter(isNamed).length;
}

function latencyFigures(context: FinishContext): OverviewResult['latency'] {
  const histograms = context.aggregates.grouping('modelLatency').histograms('latency');
  const merged: HistogramData = newHistogram();
  for (const histogram of histograms) mergeHistogram(merged, histogram);
  const untimedByModel = context.aggregates.grouping('modelUsage').measure('untimedCalls');
  let untimed = 0;
  for (const calls of untimedByModel) untimed += calls;
  return {
    p50Ms: round(percentile(merged, 0.5), 1),
    p95Ms: round(percentile(merged, 0.95), 1),
    p99Ms: round(percentile(merged, 0.99), 1),
    timedCalls: merged.n,
    untimedCalls: untimed,
  };
}

function failureFigures(context: FinishContext): OverviewResult['failures'] {
  const usage = context.aggregates.grouping('modelUsage');
  let calls = 0;
  let cost = 0;
  usage.measure('failedCalls').forEach((value) => (calls += value));
  usage.measure('failedCost').forEach((value) => (cost += value));
  return { calls, costMicros: cost, share: round(shareOf(calls, context.aggregates.calls), 6) };
}

function allShares(context: FinishContext): OverviewResult['shares'] {
  const { aggregates } = context;
  const calls = aggregates.calls;
  const cost = aggregates.costMicros;
  const modelTable = aggregates.grouping('modelTaskDay');
  const modelNames = aggregates.values('model');
  const providerNames = aggregates.values('provider');
  const modelSums = sumsBy(modelTable, modelTable.keys('model'), modelNames.length);
  const providerSums = { calls: providerNames.map(() => 0), cost: providerNames.map(() => 0) };
  aggregates.modelProviders().forEach((provider, model) => {
    providerSums.calls[provider] =
      (providerSums.calls[provider] as number) + (modelSums.calls[model] as number);
    providerSums.cost[provider] = (providerSums.cost[provider] as number) + (modelSums.cost[model] as number);
  });
  const modelLabels = modelNames.map(
    (model, id) => `${providerNames[aggregates.modelProviders()[id] as number] as string}/${model}`,
  );
  const team = aggregates.grouping('teamFeature');
  const featureNames = aggregates.values('feature');
  const planTable = aggregates.grouping('planTotals');
  const planNames = aggregates.values('plan');
  const regionTable = aggregates.grouping('regionProvider');
  const regionNames = aggregates.values('region');
  const regionSums = sumsBy(regionTable, regionTable.keys('region'), regionNames.length);
  // Calls without a region are a row of their own, so that the list adds up to the totals.
  const withRegion = {
    calls: regionSums.calls.reduce((a, b) => a + b, 0),
    cost: regionSums.cost.reduce((a, b) => a + b, 0),
  };
  const regionRows = shareRows(regionNames, regionSums, calls, cost);
  if (calls - withRegion.calls > 0)
    regionRows.push(
      ...shareRows([''], { calls: [calls - withRegion.calls], cost: [cost - withRegion.cost] }, calls, cost),
    );
  return {
    provider: shareRows(providerNames, providerSums, calls, cost),
    model: shareRows(modelLabels, modelSums, calls, cost),
    feature: shareRows(featureNames, sumsBy(team, team.keys('feature'), featureNames.length), calls, cost),
    plan: shareRows(planNames, sumsBy(planTable, planTable.keys('plan'), planNames.length), calls, cost),
    region: regionRows,
  };
}

function topCustomersFigure(
  context: FinishContext,
  settings: OverviewConfig,
): OverviewResult['concentration']['topCustomers'] {
  const names = context.aggregates.values('customer');
  const ranked = context.customerCost
    .map((cost, id) => ({ name: names[id] as string, cost, calls: context.customerCalls[id] ?? 0 }))
    .filter((entry) => isNamed(entry.name) && entry.calls > 0)
    .sort((a, b) => b.cost - a.cost || byKey(a.name, b.name))
    .slice(0, settings.topCustomers);
  const cost = ranked.reduce((total, entry) => total + entry.cost, 0);
  const share = round(shareOf(cost, context.aggregates.costMicros), 6);
  return {
    name: ranked.map((entry) => entry.name).join(', '),
    customers: ranked.length,
    costMicros: cost,
    share,
    limit: settings.topCustomersShareLimit,
    // With no more customers than the top counts, the share is 100 % by construction: not a finding.
    finding: ranked.length < countNamed(names) && share > settings.topCustomersShareLimit,
  };
}

function organizationRows(context: FinishContext): ShareRow[] {
  const { aggregates } = context;
  const team = aggregates.grouping('teamFeature');
  const names = aggregates.values('organization');
  return shareRows(
    names,
    sumsBy(team, team.keys('organization'), names.length),
    aggregates.calls,
    aggregates.costMicros,
  );
}

function concentrationFindings(concentration: OverviewResult['concentration']): Recommendation[] {
  const findings: { money: number; recommendation: Recommendation }[] = [];
  const { largestProvider, topCustomers, largestOrganization } = concentration;
  if (largestProvider?.finding)
    findings.push({
      money: largestProvider.costMicros,
      recommendation: recommend(
        '{provider} carries {sharePct} of all cost ({costMicros}), above the {limitPct} limit: an outage or a price change there hits most of the spend; route a share of the traffic to a second provider.',
        {
          provider: largestProvider.name,
          sharePct: largestProvider.share * 100,
          costMicros: largestProvider.costMicros,
          limitPct: largestProvider.limit * 100,
        },
      ),
    });
  if (topCustomers.finding)
    findings.push({
      money: topCustomers.costMicros,
      recommendation: recommend(
        'The top {customers} customers carry {sharePct} of all cost ({costMicros}), above the {limitPct} limit: the cost base depends on few accounts.',
        {
          customers: topCustomers.customers,
          sharePct: topCustomers.share * 100,
          costMicros: topCustomers.costMicros,
          limitPct: topCustomers.limit * 100,
        },
      ),
    });
  if (largestOrganization?.finding)
    findings.push({
      money: largestOrganization.costMicros,
      recommendation: recommend(
        'Organization {organization} carries {sharePct} of all cost ({costMicros}), above the {limitPct} limit.',
        {
          organization: largestOrganization.name,
          sharePct: largestOrganization.share * 100,
          costMicros: largestOrganization.costMicros,
          limitPct: largestOrganization.limit * 100,
        },
      ),
    });
  return findings.sort((a, b) => b.money - a.money).map((entry) => entry.recommendation);
}

/** Finishes the overview analysis. */
export function finishOverview(context: FinishContext, settings: OverviewConfig): OverviewResult {
  const { aggregates } = context;
  const empty = aggregates.calls === 0;
  const shares = allShares(context);
  const concentration: OverviewResult['concentration'] = {
    largestProvider: largest(shares.provider, settings.providerShareLimit),
    topCustomers: topCustomersFigure(context, settings),
    largestOrganization: largest(organizationRows(context), settings.organizationShareLimit),
  };
  return {
    totals: {
      calls: aggregates.calls,
      costMicros: aggregates.costMicros,
      inputTokens: aggregates.inputTokens,
      outputTokens: aggregates.outputTokens,
      totalTokens: aggregates.inputTokens + aggregates.outputTokens,
      firstCall: empty ? null : formatTimestamp(aggregates.firstMs),
      lastCall: empty ? null : formatTimestamp(aggregates.lastMs),
      windowDays: context.windowDays,
    },
    unique: {
      customers: countNamed(aggregates.values('customer')),
      organizations: countNamed(aggregates.values('organization')),
      products: countNamed(aggregates.values('product')),
      features: countNamed(aggregates.values('feature')),
      providers: countNamed(aggregates.values('provider')),
      models: shares.model.length,
      regions: countNamed(aggregates.values('region')),
    },
    shares,
    latency: latencyFigures(context),
    failures: failureFigures(context),
    concentration,
    recommendations: concentrationFindings(concentration),
  };
}
