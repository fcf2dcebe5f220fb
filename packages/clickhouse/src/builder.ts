import { type HistogramData, addToHistogramTimes, newHistogram } from '@finops/analyzers';
import {
  type CubeData,
  type CubeSettings,
  MODEL_USAGE_WIDTH,
  type TableData,
  TOTALS_WIDTH,
} from '@finops/analyzers/internal';
import type { PriceCatalog } from '@finops/schema';

/** A dictionary of names: each new name gets the next id. */
class Names {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

/** Cells keyed by two ids with named integer columns. */
class Cells {
  readonly first: number[] = [];
  readonly second: number[] = [];
  readonly columns: Record<string, number[]>;
  private readonly ids = new Map<string, number>();

  constructor(readonly names: readonly string[]) {
    this.columns = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  }

  cell(first: number, second: number): number {
    const key = `${first},${second}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.first.length;
      this.first.push(first);
      this.second.push(second);
      for (const name of this.names) (this.columns[name] as number[]).push(0);
      this.ids.set(key, id);
    }
    return id;
  }

  add(cell: number, name: string, value: number): void {
    const column = this.columns[name] as number[];
    column[cell] = (column[cell] as number) + value;
  }

  data(): TableData {
    return { first: this.first, second: this.second, columns: this.columns };
  }
}

/**
 * Builds the analyses' shared state ({@link CubeData}) from the rows of the
 * aggregate queries: the same dictionaries, cells and histograms that adding
 * each call to a `Cube` gives, filled from grouped sums instead. The
 * analyses finish from the canonical form of the cube, so the order in which
 * names and cells arrive here does not matter.
 */
export class CubeBuilder {
  calls = 0;
  costMicros = 0;
  inputTokens = 0;
  outputTokens = 0;
  firstMs: number | null = null;
  lastMs: number | null = null;
  readonly providers = new Names();
  readonly customers = new Names();
  readonly organizations = new Names();
  readonly products = new Names();
  readonly features = new Names();
  readonly taskTypes = new Names();
  readonly plans = new Names();
  readonly environments = new Names();
  readonly regions = new Names();
  readonly errorTypes = new Names();
  /** Session and trace ids, named only by the groupings keyed by them. */
  readonly sessions = new Names();
  readonly traces = new Names();
  private readonly models = new Names();
  private readonly modelProvider: number[] = [];
  private readonly modelName: string[] = [];
  private readonly dayNames = new Names();
  readonly customerTier: number[] = [];
  readonly customerTierMs: number[] = [];
  readonly customerPlanLow: number[] = [];
  readonly customerPlanHigh: number[] = [];
  readonly modelUsage: number[] = [];
  readonly regionLatency: HistogramData[] = [];
  readonly modelLatency: HistogramData[] = [];
  readonly modelLatencyBins: number[][] = [];
  readonly tierTotals: number[] = [];
  readonly hourTotals = new Array<number>(24 * TOTALS_WIDTH).fill(0);
  readonly weekdayTotals = new Array<number>(7 * TOTALS_WIDTH).fill(0);
  readonly regionProvider = new Cells(['calls', 'cost', 'latency', 'timed']);
  readonly errorModel = new Cells(['calls', 'cost']);
  readonly customerError = new Cells(['calls', 'cost']);
  readonly customerDay = new Cells(['calls', 'cost', 'input', 'output']);
  readonly customerFeature = new Cells(['calls', 'cost', 'firstDay']);
  readonly modelTask = new Cells([]);
  readonly modelTaskCost: HistogramData[] = [];
  readonly modelTaskDay = new Cells(['calls', 'cost', 'input', 'output', 'latency', 'underSla', 'timed']);
  readonly orgProduct = new Cells([]);
  readonly orgProductFeatureEnv = new Cells(['calls', 'cost', 'input', 'output', 'premiumCost']);
  private readonly planRanks = new Map<string, number>();

  constructor(
    readonly catalog: PriceCatalog,
    readonly settings: CubeSettings,
  ) {}

  /** Id of a (provider, model) pair, with its per-model figures. */
  model(provider: string, model: string): number {
    const before = this.modelName.length;
    const id = this.models.id(`${provider}\u0000${model}`);
    if (id === before) {
      this.modelProvider.push(this.providers.id(provider));
      this.modelName.push(model);
      this.modelLatency.push(newHistogram());
      this.modelLatencyBins.push(new Array<number>(this.settings.latencyBinCount).fill(0));
      for (let column = 0; column < MODEL_USAGE_WIDTH; column++) this.modelUsage.push(0);
    }
    return id;
  }

  private readonly premium = new Map<string, boolean>();

  /** The provider and name of a model id. */
  modelKey(id: number): [string, string] {
    return [this.providers.values[this.modelProvider[id] as number] as string, this.modelName[id] as string];
  }

  /** Whether the catalog classes a model as premium (what the organization breakdown sums apart). */
  isPremium(provider: string, model: string): boolean {
    const key = `${provider}\u0000${model}`;
    let premium = this.premium.get(key);
    if (premium === undefined) {
      premium = this.catalog.get(provider, model)?.class === 'premium';
      this.premium.set(key, premium);
    }
    return premium;
  }

  /** Id of a customer, with its plan figures. */
  customer(customer: string): number {
    const id = this.customers.id(customer);
    if (id === this.customerTier.length) {
      this.customerTier.push(-1);
      this.customerTierMs.push(-Infinity);
      this.customerPlanLow.push(-1);
      this.customerPlanHigh.push(-1);
    }
    return id;
  }

  /** Id of a plan, with its totals. */
  plan(plan: string): number {
    const id = this.plans.id(plan);
    while (this.tierTotals.length < (id + 1) * TOTALS_WIDTH) this.tierTotals.push(0);
    return id;
  }

  /** Id of a UTC day number. */
  day(dayNumber: number): number {
    return this.dayNames.id(String(dayNumber));
  }

  /** Id of a region, with its latency histogram. */
  region(region: string): number {
    const id = this.regions.id(region);
    if (id === this.regionLatency.length) this.regionLatency.push(newHistogram());
    return id;
  }

  /** Id of a (model, task type) cell, with its cost histogram. */
  modelTaskCell(model: number, task: number): number {
    const cell = this.modelTask.cell(model, task);
    if (cell === this.modelTaskCost.length) this.modelTaskCost.push(newHistogram(true));
    return cell;
  }

  /** Compares two plans as the analyses do: by monthly price, then name. */
  comparePlans(a: number, b: number): number {
    if (a === b) return 0;
    const nameA = this.plans.values[a] as string;
    const nameB = this.plans.values[b] as string;
    return this.rank(nameA) - this.rank(nameB) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0);
  }

  private rank(name: string): number {
    let rank = this.planRanks.get(name);
    if (rank === undefined) {
      rank = this.catalog.tierPrices()[name] ?? -1;
      this.planRanks.set(name, rank);
    }
    return rank;
  }

  /** Notes that a customer was on a plan, the last time at `lastMs`: the latest plan counts, at a tie the higher. */
  notePlan(customer: number, plan: number, lastMs: number): void {
    const latest = this.customerTierMs[customer] as number;
    if (
      lastMs > latest ||
      (lastMs === latest && this.comparePlans(plan, this.customerTier[customer] as number) > 0)
    ) {
      this.customerTier[customer] = plan;
      this.customerTierMs[customer] = lastMs;
    }
    const low = this.customerPlanLow[customer] as number;
    const high = this.customerPlanHigh[customer] as number;
    if (low < 0 || this.comparePlans(plan, low) < 0) this.customerPlanLow[customer] = plan;
    if (high < 0 || this.comparePlans(plan, high) > 0) this.customerPlanHigh[customer] = plan;
  }

  /** The state, as the in-process cube would write it. */
  toData(): CubeData {
    return {
      version: 2,
      settings: { ...this.settings },
      calls: this.calls,
      costMicros: this.costMicros,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      providers: this.providers.values,
      modelProvider: this.modelProvider,
      modelName: this.modelName,
      customers: this.customers.values,
      organizations: this.organizations.values,
      products: this.products.values,
      features: this.features.values,
      taskTypes: this.taskTypes.values,
      plans: this.plans.values,
      environments: this.environments.values,
      regions: this.regions.values,
      errorTypes: this.errorTypes.values,
      sessions: this.sessions.values,
      traces: this.traces.values,
      days: this.dayNames.values.map(Number),
      customerTier: this.customerTier,
      customerTierMs: this.customerTierMs.map((ms) => (Number.isFinite(ms) ? ms : -1e300)),
      customerPlanLow: this.customerPlanLow,
      customerPlanHigh: this.customerPlanHigh,
      modelUsage: this.modelUsage,
      regionLatency: this.regionLatency,
      regionProvider: this.regionProvider.data(),
      errorModel: this.errorModel.data(),
      customerError: this.customerError.data(),
      modelLatency: this.modelLatency,
      modelLatencyBins: this.modelLatencyBins,
      tierTotals: this.tierTotals,
      hourTotals: this.hourTotals,
      weekdayTotals: this.weekdayTotals,
      customerDay: this.customerDay.data(),
      customerFeature: this.customerFeature.data(),
      modelTask: this.modelTask.data(),
      modelTaskCost: this.modelTaskCost,
      modelTaskDay: this.modelTaskDay.data(),
      orgProduct: this.orgProduct.data(),
      orgProductFeatureEnv: this.orgProductFeatureEnv.data(),
      generic: [],
    };
  }
}

/**
 * Adds a histogram's pushed-down bucket: `count` values in `bucket` (and
 * their sum, for histograms that keep sums).
 */
export function addBucket(histogram: HistogramData, bucket: number, count: number, sum: number): void {
  const counts = histogram.counts;
  const sums = histogram.sums;
  while (counts.length <= bucket) {
    counts.push(0);
    if (sums !== null) sums.push(0);
  }
  counts[bucket] = (counts[bucket] as number) + count;
  if (sums !== null) sums[bucket] = (sums[bucket] as number) + sum;
  histogram.n += count;
  // Raw values arrive apart (for small groups only): until then the histogram stands without them.
  histogram.raw = null;
}

/**
 * Gives a histogram of at most `HISTOGRAM_RAW_LIMIT` values its raw values
 * (each `(value, times)` pair `times` times), as the in-process histogram
 * keeps them for exact percentiles of small groups.
 */
export function setRawValues(histogram: HistogramData, pairs: readonly (readonly [number, number])[]): void {
  const raw: number[] = [];
  for (const [value, times] of pairs) for (let index = 0; index < times; index++) raw.push(value);
  histogram.raw = raw;
}

/** Adds values one `(value, times)` group at a time, bucketed here (rows whose value is not an integer). */
export function addValues(histogram: HistogramData, value: number, times: number): void {
  addToHistogramTimes(histogram, value, times);
  histogram.raw = null;
}
