import { type FinishContext, byKey, round, shareOf } from '../../context';
import { type HistogramData, mergeHistogram, newHistogram, percentile } from '../../histogram';
import { type Recommendation, recommend } from '../../recommend';
import { REGION_MODEL } from '../../store/builtin-groupings';
import type { GeographyConfig } from './settings';

export { REGION_MODEL } from '../../store/builtin-groupings';

/** Calls, cost and latency of a set of calls with a region. */
export interface PlaceFigures {
  calls: number;
  costMicros: number;
  /** Calls with a latency (the quantiles and compliance are over these). */
  timedCalls: number;
  /** Latency quantiles in ms; `null` when no call has a latency. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  /** Share of the timed calls at or under `slaMs`, 0–1 (`null` without timed calls). */
  slaCompliance: number | null;
  /** Timed calls over `slaMs`. */
  slaBreaches: number;
  /** Compliance below `slaTarget`. */
  breaksSla: boolean;
  /** Input plus output tokens. */
  tokens: number;
  /** Cost per thousand tokens (input + output), in micro-dollars. */
  costPer1kTokensMicros: number;
}

/** One region. */
export interface RegionEntry extends PlaceFigures {
  region: string;
}

/** One route: a provider serving from a region. */
export interface RouteEntry extends PlaceFigures {
  provider: string;
  region: string;
}

/** One model in one region. */
export interface ModelRouteEntry extends PlaceFigures {
  provider: string;
  model: string;
  region: string;
  /** Its input and output tokens at the catalog's list price; `null` when the catalog does not price the model. */
  listCostMicros: number | null;
  /** Cost / list cost: what this region charges against the list, whatever the mix of input and output (`null` unpriced). */
  priceIndex: number | null;
}

/** The fastest and the cheapest region of a model, among its routes with at least `minCalls` calls. */
export interface BestRoute {
  provider: string;
  model: string;
  /** Regions the model was called in. */
  regions: number;
  /** Lowest p50 latency (ties: lower p95, then region name). */
  fastest: { region: string; calls: number; p50Ms: number; p95Ms: number } | null;
  /** Lowest price index, cost / list cost (ties: region name); `null` when the catalog does not price the model. */
  cheapest: { region: string; calls: number; costPer1kTokensMicros: number; priceIndex: number } | null;
}

/** Result of the geography analysis. */
export interface GeographyResult {
  /** Whether any call gives a region (without, every list is empty and the page says what to log). */
  hasRegion: boolean;
  callsWithRegion: number;
  callsWithoutRegion: number;
  costWithoutRegionMicros: number;
  slaMs: number;
  slaTarget: number;
  /** By cost descending. */
  regions: RegionEntry[];
  /** Provider × region, by cost descending. */
  routes: RouteEntry[];
  /** Model × region, by cost descending. */
  modelRoutes: ModelRouteEntry[];
  /** Per model called in a region, by its calls descending. */
  bestRoutes: BestRoute[];
  recommendations: Recommendation[];
}

/** Sums of a group of cells. */
interface PlaceSums {
  calls: number;
  cost: number;
  input: number;
  output: number;
  tokens: number;
  latency: number;
  timed: number;
  within: number;
  histogram: HistogramData;
}

function emptySums(): PlaceSums {
  return {
    calls: 0,
    cost: 0,
    input: 0,
    output: 0,
    tokens: 0,
    latency: 0,
    timed: 0,
    within: 0,
    histogram: newHistogram(),
  };
}

function addSums(target: PlaceSums, other: PlaceSums): void {
  target.calls += other.calls;
  target.cost += other.cost;
  target.input += other.input;
  target.output += other.output;
  target.tokens += other.tokens;
  target.latency += other.latency;
  target.timed += other.timed;
  target.within += other.within;
  mergeHistogram(target.histogram, other.histogram);
}

function figuresOf(sums: PlaceSums, settings: GeographyConfig): PlaceFigures {
  const timed = sums.timed > 0;
  const quantile = (q: number): number | null => (timed ? round(percentile(sums.histogram, q), 1) : null);
  const compliance = timed ? round(shareOf(sums.within, sums.timed), 6) : null;
  return {
    calls: sums.calls,
    costMicros: sums.cost,
    timedCalls: sums.timed,
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
    meanMs: timed ? round(sums.latency / sums.timed, 2) : null,
    slaCompliance: compliance,
    slaBreaches: sums.timed - sums.within,
    breaksSla: compliance !== null && compliance < settings.slaTarget,
    tokens: sums.tokens,
    costPer1kTokensMicros: sums.tokens === 0 ? 0 : round((sums.cost * 1000) / sums.tokens, 4),
  };
}

function byCost<T extends PlaceFigures>(rows: T[], label: (row: T) => string): T[] {
  return rows.sort((a, b) => b.costMicros - a.costMicros || byKey(label(a), label(b)));
}

/** The cells of `regionModel`, one {@link PlaceSums} per region × model. */
function cellSums(context: FinishContext): { region: number; model: number; sums: PlaceSums }[] {
  const table = context.aggregates.grouping(REGION_MODEL.name);
  const regions = table.keys('region');
  const models = table.keys('model');
  const calls = table.measure('calls');
  const cost = table.measure('cost');
  const input = table.measure('inputTokens');
  const output = table.measure('outputTokens');
  const latency = table.measure('latencySum');
  const timed = table.measure('timedCalls');
  const within = table.measure('withinGeographySla');
  const histograms = table.histograms('latency');
  const cells: { region: number; model: number; sums: PlaceSums }[] = [];
  for (let cell = 0; cell < table.size; cell++) {
    cells.push({
      region: regions[cell] as number,
      model: models[cell] as number,
      sums: {
        calls: calls[cell] as number,
        cost: cost[cell] as number,
        input: input[cell] as number,
        output: output[cell] as number,
        tokens: (input[cell] as number) + (output[cell] as number),
        latency: latency[cell] as number,
        timed: timed[cell] as number,
        within: within[cell] as number,
        histogram: histograms[cell] as HistogramData,
      },
    });
  }
  return cells;
}

function bestRoute(
  provider: string,
  model: string,
  routes: readonly ModelRouteEntry[],
  settings: GeographyConfig,
): BestRoute {
  const timed = routes.filter((route) => route.timedCalls >= settings.minCalls);
  const priced = routes.filter((route) => route.calls >= settings.minCalls && route.priceIndex !== null);
  const fastest = timed
    .slice()
    .sort(
      (a, b) =>
        (a.p50Ms as number) - (b.p50Ms as number) ||
        (a.p95Ms as number) - (b.p95Ms as number) ||
        byKey(a.region, b.region),
    )[0];
  const cheapest = priced
    .slice()
    .sort((a, b) => (a.priceIndex as number) - (b.priceIndex as number) || byKey(a.region, b.region))[0];
  return {
    provider,
    model,
    regions: routes.length,
    fastest: fastest
      ? {
          region: fastest.region,
          calls: fastest.calls,
          p50Ms: fastest.p50Ms as number,
          p95Ms: fastest.p95Ms as number,
        }
      : null,
    cheapest: cheapest
      ? {
          region: cheapest.region,
          calls: cheapest.calls,
          costPer1kTokensMicros: cheapest.costPer1kTokensMicros,
          priceIndex: cheapest.priceIndex as number,
        }
      : null,
  };
}

/**
 * What serving a model's calls at its cheapest region's price index would
 * save, for each region whose index is above the cheapest's by more than
 * `minPriceGap`: its list cost × the cheapest index, against its cost. The
 * index compares regions whatever their mix of input and output tokens, so
 * a difference of mix alone is never a saving.
 */
function cheaperRouteFindings(
  best: BestRoute,
  routes: readonly ModelRouteEntry[],
  settings: GeographyConfig,
): { money: number; recommendation: Recommendation }[] {
  const cheapest = best.cheapest;
  const cheapestRoute = routes.find((route) => route.region === cheapest?.region);
  const listCost = cheapestRoute?.listCostMicros ?? null;
  if (cheapest === null || cheapestRoute === undefined || listCost === null) return [];
  // The unrounded index, so that the saving is exact.
  const index = cheapestRoute.costMicros / listCost;
  return routes
    .filter(
      (route) =>
        route.region !== cheapest.region &&
        route.calls >= settings.minCalls &&
        route.priceIndex !== null &&
        route.priceIndex > cheapest.priceIndex * (1 + settings.minPriceGap),
    )
    .map((route) => ({
      route,
      saving: Math.round(route.costMicros - (route.listCostMicros as number) * index),
    }))
    .filter((entry) => entry.saving > 0)
    .map(({ route, saving }) => ({
      money: saving,
      recommendation: recommend(
        '{provider}/{model} is billed at {regionIndexPct} of its list price in {region} against {cheapestIndexPct} in {cheapestRegion}: those {calls} calls at the {cheapestRegion} rate would have cost {savingMicros} less.',
        {
          provider: best.provider,
          model: best.model,
          region: route.region,
          regionIndexPct: (route.priceIndex as number) * 100,
          cheapestRegion: cheapest.region,
          cheapestIndexPct: cheapest.priceIndex * 100,
          calls: route.calls,
          savingMicros: saving,
        },
      ),
    }));
}

function slaFindings(
  regions: readonly RegionEntry[],
  routes: readonly RouteEntry[],
  settings: GeographyConfig,
): { money: number; recommendation: Recommendation }[] {
  const findings: { money: number; recommendation: Recommendation }[] = [];
  for (const region of regions.filter((entry) => entry.breaksSla))
    findings.push({
      money: region.costMicros,
      recommendation: recommend(
        'Region {region} meets the {slaMs} ms SLA on {compliancePct} of its timed calls ({breaches} over), below the {targetPct} target.',
        {
          region: region.region,
          slaMs: settings.slaMs,
          compliancePct: (region.slaCompliance as number) * 100,
          breaches: region.slaBreaches,
          targetPct: settings.slaTarget * 100,
        },
      ),
    });
  // A route that breaks the SLA in a region that, as a whole, keeps it: the provider is the cause.
  const brokenRegions = new Set(regions.filter((entry) => entry.breaksSla).map((entry) => entry.region));
  for (const route of routes.filter((entry) => entry.breaksSla && !brokenRegions.has(entry.region)))
    findings.push({
      money: route.costMicros,
      recommendation: recommend(
        '{provider} in {region} meets the {slaMs} ms SLA on {compliancePct} of its timed calls ({breaches} over), below the {targetPct} target, while the region as a whole keeps it.',
        {
          provider: route.provider,
          region: route.region,
          slaMs: settings.slaMs,
          compliancePct: (route.slaCompliance as number) * 100,
          breaches: route.slaBreaches,
          targetPct: settings.slaTarget * 100,
        },
      ),
    });
  return findings;
}

/** Finishes the geography analysis. */
export function finishGeography(context: FinishContext, settings: GeographyConfig): GeographyResult {
  const { aggregates } = context;
  const regionNames = aggregates.values('region');
  const modelNames = aggregates.values('model');
  const providerNames = aggregates.values('provider');
  const modelProviders = aggregates.modelProviders();
  const regionSums = regionNames.map(() => emptySums());
  const routeSums = new Map<string, { provider: number; region: number; sums: PlaceSums }>();
  const modelRoutes: ModelRouteEntry[] = [];
  for (const cell of cellSums(context)) {
    const provider = modelProviders[cell.model] as number;
    addSums(regionSums[cell.region] as PlaceSums, cell.sums);
    const key = `${provider},${cell.region}`;
    let route = routeSums.get(key);
    if (route === undefined) {
      route = { provider, region: cell.region, sums: emptySums() };
      routeSums.set(key, route);
    }
    addSums(route.sums, cell.sums);
    const providerName = providerNames[provider] as string;
    const modelName = modelNames[cell.model] as string;
    const listCost = context.catalog.costOf(providerName, modelName, cell.sums.input, cell.sums.output);
    modelRoutes.push({
      provider: providerName,
      model: modelName,
      region: regionNames[cell.region] as string,
      ...figuresOf(cell.sums, settings),
      listCostMicros: listCost ?? null,
      priceIndex: listCost === undefined || listCost === 0 ? null : round(cell.sums.cost / listCost, 6),
    });
  }
  const regions = byCost(
    regionNames
      .map((region, id) => ({ region, ...figuresOf(regionSums[id] as PlaceSums, settings) }))
      .filter((entry) => entry.calls > 0),
    (row) => row.region,
  );
  const routes = byCost(
    [...routeSums.values()].map((route) => ({
      provider: providerNames[route.provider] as string,
      region: regionNames[route.region] as string,
      ...figuresOf(route.sums, settings),
    })),
    (row) => `${row.provider}/${row.region}`,
  );
  byCost(modelRoutes, (row) => `${row.provider}/${row.model}/${row.region}`);
  const byModel = new Map<string, ModelRouteEntry[]>();
  for (const route of modelRoutes) {
    const key = `${route.provider}/${route.model}`;
    byModel.set(key, [...(byModel.get(key) ?? []), route]);
  }
  const bestRoutes = [...byModel.values()]
    .map((routesOfModel) => ({
      best: bestRoute(
        (routesOfModel[0] as ModelRouteEntry).provider,
        (routesOfModel[0] as ModelRouteEntry).model,
        routesOfModel,
        settings,
      ),
      routesOfModel,
      calls: routesOfModel.reduce((total, route) => total + route.calls, 0),
    }))
    .sort(
      (a, b) =>
        b.calls - a.calls ||
        byKey(`${a.best.provider}/${a.best.model}`, `${b.best.provider}/${b.best.model}`),
    );
  const callsWithRegion = regions.reduce((total, region) => total + region.calls, 0);
  const costWithRegion = regions.reduce((total, region) => total + region.costMicros, 0);
  const findings = [
    ...slaFindings(regions, routes, settings),
    ...bestRoutes.flatMap((entry) => cheaperRouteFindings(entry.best, entry.routesOfModel, settings)),
  ].sort((a, b) => b.money - a.money);
  return {
    hasRegion: callsWithRegion > 0,
    callsWithRegion,
    callsWithoutRegion: aggregates.calls - callsWithRegion,
    costWithoutRegionMicros: aggregates.costMicros - costWithRegion,
    slaMs: settings.slaMs,
    slaTarget: settings.slaTarget,
    regions,
    routes,
    modelRoutes,
    bestRoutes: bestRoutes.map((entry) => entry.best),
    recommendations: findings.map((entry) => entry.recommendation),
  };
}
