import {
  type CallColumns,
  type CallRecord,
  DIMENSION_COUNT,
  DIMENSIONS as COLUMN_DIMENSIONS,
  MS_PER_DAY,
  type PriceCatalog,
  ENVIRONMENTS,
  FinopsError,
} from '@finops/schema';
import { addToHistogramTimes, type HistogramData, mergeHistogram, newHistogram } from './histogram';
import { Interner, codeUnitRuns } from './interner';
import { ColumnBlock } from './columns';
import { CubeReader } from './store/cube-reader';
import type { AggregateReader } from './store/reader';
import { PairTable } from './pair-table';
import { FUSED_GROUPINGS } from './store/builtin-groupings';
import { type GenericCall, GenericGrouping, type GenericGroupingData } from './store/generic';
import { LoopFills, isLoopFilled } from './store/loop-fills';
import type { CellColumns } from './store/cells';
import { DIMENSIONS, type Dimension, type GroupingSpec, minuteOf, needsSessionIds } from './store/grouping';

/** Settings that change what a record adds to the cube (the same for every state that is merged). */
export interface CubeSettings {
  /** Latency under which (inclusive) a call meets the SLA, in ms. */
  slaMs: number;
  /** Width of a latency histogram bin for charts, in ms. */
  latencyBinMs: number;
  /** Number of latency bins (the last one takes everything above). */
  latencyBinCount: number;
  /**
   * The groupings to fill (those the selected analyses declare); all the
   * fused loop's by default. Groupings the fused loop does not know are
   * filled by the generic path.
   */
  groupings?: readonly GroupingSpec[];
  /** Values of the settings that groupings name as parameters (`analysis.setting`). */
  parameters?: Readonly<Record<string, number>>;
}

/** The positions of the trace and session ids in the schema's column batches (`CallColumns.ids`). */
const TRACE_COLUMN = COLUMN_DIMENSIONS.indexOf('trace');
const SESSION_COLUMN = COLUMN_DIMENSIONS.indexOf('session');

/** Default {@link CubeSettings}: SLA 2,000 ms; 40 bins of 250 ms (the last one open-ended). */
export const DEFAULT_CUBE_SETTINGS: Readonly<CubeSettings> = {
  slaMs: 2000,
  latencyBinMs: 250,
  latencyBinCount: 40,
};

/** Another cube's ids of each dimension mapped to this cube's ids (hour, weekday, ratio bin and minute need no map). */
type IdMaps = Record<Exclude<Dimension, 'hour' | 'weekday' | 'ratioBin' | 'minute'>, number[]>;

/** The figures of a call beyond the common ones: prompt cache, reasoning, failure, region. */
interface UsageFigures {
  cached: number;
  cacheWrite: number;
  reasoning: number;
  failed: boolean;
  errorType: string;
  region: string;
}

/** A table of cells keyed by two ids, with its columns, as plain data. */
export interface TableData {
  first: number[];
  second: number[];
  columns: Record<string, number[]>;
}

/**
 * The serialisable state of a {@link Cube}: dictionaries of dimension values
 * and integer aggregates keyed by their ids. Survives JSON and structured
 * clone; {@link Cube.fromData} reads it back.
 */
export interface CubeData {
  version: 2;
  settings: CubeSettings;
  calls: number;
  costMicros: number;
  inputTokens: number;
  outputTokens: number;
  firstMs: number | null;
  lastMs: number | null;
  providers: string[];
  modelProvider: number[];
  modelName: string[];
  customers: string[];
  organizations: string[];
  products: string[];
  features: string[];
  taskTypes: string[];
  plans: string[];
  environments: string[];
  regions: string[];
  errorTypes: string[];
  /** Session and trace ids (empty unless a grouping is keyed by them). */
  sessions?: string[];
  traces?: string[];
  days: number[];
  customerTier: number[];
  customerTierMs: number[];
  customerPlanLow: number[];
  customerPlanHigh: number[];
  modelUsage: number[];
  regionLatency: HistogramData[];
  regionProvider: TableData;
  errorModel: TableData;
  customerError: TableData;
  modelLatency: HistogramData[];
  modelLatencyBins: number[][];
  tierTotals: number[];
  hourTotals: number[];
  weekdayTotals: number[];
  customerDay: TableData;
  customerFeature: TableData;
  modelTask: TableData;
  modelTaskCost: HistogramData[];
  modelTaskDay: TableData;
  orgProduct: TableData;
  orgProductFeatureEnv: TableData;
  /** The groupings of the generic path. */
  generic: GenericGroupingData[];
}

const CUSTOMER_DAY_COLUMNS = ['calls', 'cost', 'input', 'output'] as const;
const CUSTOMER_FEATURE_COLUMNS = ['calls', 'cost', 'firstDay'] as const;
const MODEL_TASK_DAY_COLUMNS = ['calls', 'cost', 'input', 'output', 'latency', 'underSla', 'timed'] as const;
const REGION_COLUMNS = ['calls', 'cost', 'latency', 'timed'] as const;
const FAILURE_COLUMNS = ['calls', 'cost'] as const;
/** The columns of {@link Cube.modelUsage}, per model. */
export const MODEL_USAGE_COLUMNS = [
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'reasoningTokens',
  'failedCalls',
  'failedCost',
  'untimedCalls',
] as const;
/** Width of one model's entry of {@link Cube.modelUsage}. */
export const MODEL_USAGE_WIDTH = MODEL_USAGE_COLUMNS.length;
const TEAM_FEATURE_COLUMNS = ['calls', 'cost', 'input', 'output', 'premiumCost'] as const;

/**
 * Stride of the environment in the second id of an org × product × feature ×
 * environment cell: `feature × ENVIRONMENT_COUNT + environment` (at most
 * 65,536 environments and 32,768 features).
 */
export const ENVIRONMENT_COUNT = 65_536;
/** Width of one entry of {@link CubeData.tierTotals}, {@link CubeData.hourTotals} and {@link CubeData.weekdayTotals}: calls, cost, input, output. */
export const TOTALS_WIDTH = 4;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Order of environments in a canonical cube: the usual three first, then the others by name. */
function byEnvironment(a: string, b: string): number {
  const known = ENVIRONMENTS as readonly string[];
  const rankA = known.includes(a) ? known.indexOf(a) : known.length;
  const rankB = known.includes(b) ? known.indexOf(b) : known.length;
  return rankA - rankB || byName(a, b);
}

/**
 * The shared aggregate every analysis finishes from: one pass of
 * {@link Cube.add} per record keeps integer sums by customer × day,
 * customer × feature, model × task type × day, organization × product ×
 * feature × environment, latency histograms per model and cost histograms
 * per model × task type. Cubes of parts of a log {@link Cube.merge} into the
 * cube of the whole.
 */
export class Cube {
  readonly settings: CubeSettings;
  calls = 0;
  costMicros = 0;
  inputTokens = 0;
  outputTokens = 0;
  firstMs = Infinity;
  lastMs = -Infinity;
  readonly providers = new Interner();
  readonly modelProvider: number[] = [];
  readonly modelName: string[] = [];
  /** 1 for a model of the premium class of the catalog. */
  readonly modelPremium: number[] = [];
  private readonly modelIds: Map<string, number>[] = [];
  readonly customers = new Interner();
  readonly organizations = new Interner();
  readonly products = new Interner();
  readonly features = new Interner();
  readonly taskTypes = new Interner();
  /** Plan names (any name; ranked by monthly price, then name). */
  readonly plans = new Interner();
  readonly environments = new Interner();
  /** Regions; `''` for calls without one. */
  readonly regions = new Interner();
  /** Error types of failed calls; `''` for a failure without a type. */
  readonly errorTypes = new Interner();
  /**
   * Session and trace ids, kept only while a grouping is keyed by them
   * ({@link wantSessionIds}): a dictionary of every id seen, so memory grows
   * with the number of sessions and traces (see docs/analyses.md).
   */
  readonly sessions = new Interner();
  readonly traces = new Interner();
  readonly days: number[] = [];
  private readonly dayIds = new Map<number, number>();
  readonly customerTier: number[] = [];
  readonly customerTierMs: number[] = [];
  /** Lowest and highest plan (by rank) each customer was seen on; -1 before any call. */
  readonly customerPlanLow: number[] = [];
  readonly customerPlanHigh: number[] = [];
  /** {@link MODEL_USAGE_WIDTH} figures per model: cache reads, cache writes, reasoning tokens, failed calls and their cost, calls without latency. */
  readonly modelUsage: number[] = [];
  /** Latency histogram per region. */
  readonly regionLatency: HistogramData[] = [];
  /** Calls, cost, summed latency and timed calls per region × provider. */
  readonly regionProvider = new PairTable();
  readonly regionProviderBlock = new ColumnBlock(REGION_COLUMNS);
  /** Failed calls and their cost per error type × model. */
  readonly errorModel = new PairTable();
  readonly errorModelBlock = new ColumnBlock(FAILURE_COLUMNS);
  /** Failed calls and their cost per customer × error type. */
  readonly customerError = new PairTable();
  readonly customerErrorBlock = new ColumnBlock(FAILURE_COLUMNS);
  readonly modelLatency: HistogramData[] = [];
  readonly modelLatencyBins: number[][] = [];
  /** {@link TOTALS_WIDTH} figures per plan id. */
  readonly tierTotals: number[] = [];
  readonly hourTotals: number[] = new Array<number>(24 * TOTALS_WIDTH).fill(0);
  readonly weekdayTotals: number[] = new Array<number>(7 * TOTALS_WIDTH).fill(0);
  readonly customerDay = new PairTable();
  /** Calls, cost, input and output tokens per customer × day cell. */
  readonly customerDayBlock = new ColumnBlock(CUSTOMER_DAY_COLUMNS);
  readonly customerFeature = new PairTable();
  /** Calls, cost and first day (UTC day number) per customer × feature cell. */
  readonly customerFeatureBlock = new ColumnBlock(CUSTOMER_FEATURE_COLUMNS);
  readonly modelTask = new PairTable();
  readonly modelTaskCost: HistogramData[] = [];
  readonly modelTaskDay = new PairTable();
  /** Calls, cost, tokens, summed latency and calls within the SLA per model × task type × day cell. */
  readonly modelTaskDayBlock = new ColumnBlock(MODEL_TASK_DAY_COLUMNS);
  readonly orgProduct = new PairTable();
  readonly orgProductFeatureEnv = new PairTable();
  /** Calls, cost, tokens and cost on premium models per organization × product × feature × environment cell. */
  readonly orgProductFeatureEnvBlock = new ColumnBlock(TEAM_FEATURE_COLUMNS);
  private lastProvider = '';
  private lastModelName = '';
  private lastModel = -1;
  private lastDayNumber = NaN;
  private lastDay = -1;

  constructor(
    readonly catalog: PriceCatalog,
    settings: Partial<CubeSettings> = {},
  ) {
    this.settings = { ...DEFAULT_CUBE_SETTINGS, ...settings };
    const groupings = this.settings.groupings ?? FUSED_GROUPINGS;
    this.filled = new Set(groupings.map((spec) => spec.name));
    const fused = new Set(FUSED_GROUPINGS.map((spec) => spec.name));
    this.generic = groupings
      .filter((spec) => !fused.has(spec.name))
      .map((spec) => new GenericGrouping(spec, this.settings.parameters ?? {}));
    this.loopFills = new LoopFills(this.generic);
    this.genericPath = this.generic.filter((grouping) => !isLoopFilled(grouping.spec));
    const wants = (...names: string[]): boolean => names.some((name) => this.filled.has(name));
    this.wantCustomerFeature = wants('customerFeature');
    this.wantModelTaskDay = wants('modelTaskDay');
    this.wantModelTaskCost = wants('modelTaskCost');
    this.wantModelLatency = wants('modelLatency');
    this.wantTotals = wants('planTotals', 'hourTotals', 'weekdayTotals');
    this.wantTeamFeature = wants('teamFeature');
    this.wantUsage = wants('modelUsage', 'regionProvider', 'regionLatency', 'errorModel', 'customerError');
    this.wantSessionIds = needsSessionIds(groupings);
  }

  /** Whether a grouping is keyed by session or trace ids (the column batches must then carry them). */
  readonly wantSessionIds: boolean;

  /** Names of the groupings this cube fills. */
  private readonly filled: ReadonlySet<string>;
  /** The groupings kept as generic cells (in the state, merged and read as such). */
  private readonly generic: GenericGrouping[];
  /** The fused loop's fills of some of them. */
  private readonly loopFills: LoopFills;
  /** Those filled by the generic path, call by call. */
  private readonly genericPath: GenericGrouping[];
  // Which parts of the fused loop run: only those of the groupings asked for.
  private readonly wantCustomerFeature: boolean;
  private readonly wantModelTaskDay: boolean;
  private readonly wantModelTaskCost: boolean;
  private readonly wantModelLatency: boolean;
  private readonly wantTotals: boolean;
  private readonly wantTeamFeature: boolean;
  private readonly wantUsage: boolean;

  /** Whether this cube fills the grouping `name`. */
  fills(name: string): boolean {
    return this.filled.has(name);
  }

  /** The cells of a grouping of the generic path, as columns. */
  genericColumns(name: string): CellColumns {
    const grouping = this.generic.find((entry) => entry.spec.name === name);
    if (grouping === undefined) throw new FinopsError('grouping_not_filled', `no generic grouping "${name}"`);
    this.loopFills.flush();
    return grouping.columns();
  }

  /** The read interface over this cube (finish from a {@link canonical} cube). */
  reader(): AggregateReader {
    return new CubeReader(this);
  }

  /** Id of a (provider, model) pair, adding it when new. */
  modelId(provider: string, model: string): number {
    if (provider === this.lastProvider && model === this.lastModelName) return this.lastModel;
    const providerId = this.providers.id(provider);
    let models = this.modelIds[providerId];
    if (models === undefined) {
      models = new Map();
      this.modelIds[providerId] = models;
    }
    let id = models.get(model);
    if (id === undefined) {
      id = this.modelName.length;
      const name = this.providers.values[providerId] as string;
      const modelCopy = Buffer.from(model, 'utf8').toString('utf8');
      this.modelProvider.push(providerId);
      this.modelName.push(modelCopy);
      this.modelPremium.push(this.catalog.get(name, modelCopy)?.class === 'premium' ? 1 : 0);
      this.modelLatency.push(newHistogram());
      this.modelLatencyBins.push(new Array<number>(this.settings.latencyBinCount).fill(0));
      for (let column = 0; column < MODEL_USAGE_WIDTH; column++) this.modelUsage.push(0);
      models.set(modelCopy, id);
    }
    this.lastProvider = provider;
    this.lastModelName = model;
    this.lastModel = id;
    return id;
  }

  /** Id of a UTC day number, adding it when new. */
  dayId(dayNumber: number): number {
    if (dayNumber === this.lastDayNumber) return this.lastDay;
    let id = this.dayIds.get(dayNumber);
    if (id === undefined) {
      id = this.days.length;
      this.days.push(dayNumber);
      this.dayIds.set(dayNumber, id);
    }
    this.lastDayNumber = dayNumber;
    this.lastDay = id;
    return id;
  }

  private customerId(customer: string): number {
    const id = this.customers.id(customer);
    if (id === this.customerTier.length) {
      this.customerTier.push(-1);
      this.customerTierMs.push(-Infinity);
      this.customerPlanLow.push(-1);
      this.customerPlanHigh.push(-1);
    }
    return id;
  }

  /** Id of a plan, adding it (and its totals) when new. */
  planId(plan: string): number {
    const id = this.plans.id(plan);
    while (this.tierTotals.length < (id + 1) * TOTALS_WIDTH) this.tierTotals.push(0);
    return id;
  }

  private readonly planRanks: number[] = [];

  /** Compares two plans by monthly price, then name: the order "higher plan" means. */
  comparePlans(a: number, b: number): number {
    if (a === b) return 0;
    const names = this.plans.values;
    const price = (id: number): number => {
      let rank = this.planRanks[id];
      if (rank === undefined) {
        rank = this.catalog.tierPrices()[names[id] as string] ?? -1;
        this.planRanks[id] = rank;
      }
      return rank;
    };
    return price(a) - price(b) || byName(names[a] as string, names[b] as string);
  }

  private noteTier(customer: number, tier: number, timeMs: number): void {
    const latest = this.customerTierMs[customer] as number;
    const current = this.customerTier[customer] as number;
    // The latest call's plan counts; at the same instant the higher plan, so that merge order does not matter.
    if (timeMs > latest || (timeMs === latest && this.comparePlans(tier, current) > 0)) {
      this.customerTier[customer] = tier;
      this.customerTierMs[customer] = timeMs;
    }
    this.notePlanRange(customer, tier, tier);
  }

  private notePlanRange(customer: number, low: number, high: number): void {
    const currentLow = this.customerPlanLow[customer] as number;
    const currentHigh = this.customerPlanHigh[customer] as number;
    if (currentLow < 0 || this.comparePlans(low, currentLow) < 0) this.customerPlanLow[customer] = low;
    if (currentHigh < 0 || this.comparePlans(high, currentHigh) > 0) this.customerPlanHigh[customer] = high;
  }

  /** Adds one call. */
  add(record: CallRecord): void {
    const model = this.modelId(record.provider, record.model);
    const customer = this.customerId(record.customerId);
    const calls = record.calls ?? 1;
    const latency = record.latencyMs ?? NaN;
    const plan = this.planId(record.subscriptionTier);
    const task = this.taskTypes.id(record.taskType);
    const feature = this.features.id(record.featureId);
    const organization = this.organizations.id(record.organizationId);
    const product = this.products.id(record.productId);
    const environment = this.environments.id(record.environment);
    this.addCall(
      record.timeMs,
      record.costMicros,
      record.inputTokens,
      record.outputTokens,
      latency,
      calls,
      model,
      customer,
      plan,
      task,
      feature,
      organization,
      product,
      environment,
    );
    const failed = record.status === 'error';
    const usage: UsageFigures = {
      cached: record.cachedInputTokens ?? 0,
      cacheWrite: record.cacheWriteInputTokens ?? 0,
      reasoning: record.reasoningTokens ?? 0,
      failed,
      errorType: record.errorType ?? '',
      region: record.region ?? '',
    };
    if (this.wantUsage)
      this.addUsage(model, customer, record.provider, usage, record.costMicros, latency, calls);
    const session = this.wantSessionIds ? this.sessions.id(record.sessionId) : -1;
    const trace = this.wantSessionIds ? this.traces.id(record.traceId) : -1;
    if (this.loopFills.any)
      this.loopFills.add(
        model,
        task,
        customer,
        feature,
        usage.region === '' ? -1 : this.regions.id(usage.region),
        calls,
        record.costMicros,
        record.inputTokens,
        record.outputTokens,
        latency,
        session,
        trace,
        minuteOf(record.timeMs),
      );
    if (this.genericPath.length > 0)
      this.addGeneric(
        record.timeMs,
        record.costMicros,
        record.inputTokens,
        record.outputTokens,
        latency,
        calls,
        model,
        customer,
        organization,
        product,
        feature,
        task,
        plan,
        environment,
        usage.cached,
        usage.cacheWrite,
        usage.reasoning,
        failed,
        usage.errorType,
        usage.region,
        session,
        trace,
      );
  }

  /** The call handed to the generic path, reused so that adding a call allocates nothing. */
  private readonly genericCall: GenericCall = {
    ids: DIMENSIONS.map(() => 0),
    calls: 0,
    cost: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: 0,
    latency: NaN,
    failed: false,
    hasRegion: false,
    premium: false,
    day: 0,
  };

  /** Adds one call to the groupings of the generic path. */
  private addGeneric(
    timeMs: number,
    cost: number,
    input: number,
    output: number,
    latency: number,
    calls: number,
    model: number,
    customer: number,
    organization: number,
    product: number,
    feature: number,
    task: number,
    plan: number,
    environment: number,
    cached: number,
    cacheWrite: number,
    reasoning: number,
    failed: boolean,
    errorType: string,
    region: string,
    session: number,
    trace: number,
  ): void {
    const dayNumber = Math.floor(timeMs / MS_PER_DAY);
    const hasRegion = region !== '';
    const call = this.genericCall;
    const ids = call.ids;
    ids[0] = this.modelProvider[model] as number;
    ids[1] = model;
    ids[2] = customer;
    ids[3] = organization;
    ids[4] = product;
    ids[5] = feature;
    ids[6] = task;
    ids[7] = plan;
    ids[8] = environment;
    ids[9] = hasRegion ? this.regions.id(region) : -1;
    ids[10] = failed ? this.errorTypes.id(errorType) : -1;
    ids[11] = this.dayId(dayNumber);
    ids[12] = Math.floor((timeMs - dayNumber * MS_PER_DAY) / 3_600_000);
    ids[13] = (((dayNumber + 3) % 7) + 7) % 7;
    // ids[14], the ratio bin, is computed from the tokens by the grouping that asks for it.
    ids[15] = minuteOf(timeMs);
    ids[16] = session;
    ids[17] = trace;
    call.calls = calls;
    call.cost = cost;
    call.inputTokens = input;
    call.outputTokens = output;
    call.cachedInputTokens = cached;
    call.cacheWriteInputTokens = cacheWrite;
    call.reasoningTokens = reasoning;
    call.latency = latency;
    call.failed = failed;
    call.hasRegion = hasRegion;
    call.premium = this.modelPremium[model] === 1;
    call.day = dayNumber;
    for (const grouping of this.genericPath) grouping.add(call);
  }

  /**
   * Adds every call of a column batch from the schema's parser. `ids` maps
   * that parser's dimension ids to this cube's (one {@link ColumnIdMap} per
   * parser, kept across its batches).
   */
  addColumns(columns: CallColumns, values: readonly (readonly string[])[], ids: ColumnIdMap): void {
    const dimensionIds = columns.ids;
    for (let index = 0; index < columns.length; index++) {
      const base = index * DIMENSION_COUNT;
      const model = ids.model(this, values, dimensionIds[base] as number, dimensionIds[base + 1] as number);
      const customer = ids.map(this, values, 2, dimensionIds[base + 2] as number);
      const task = ids.map(this, values, 6, dimensionIds[base + 6] as number);
      const feature = ids.map(this, values, 5, dimensionIds[base + 5] as number);
      const organization = ids.map(this, values, 3, dimensionIds[base + 3] as number);
      const product = ids.map(this, values, 4, dimensionIds[base + 4] as number);
      const plan = ids.map(this, values, 7, dimensionIds[base + 7] as number);
      const environment = ids.map(this, values, 8, dimensionIds[base + 8] as number);
      const cost = columns.costMicros[index] as number;
      const latency = columns.latencyMs[index] as number;
      const calls = columns.calls[index] as number;
      this.addCall(
        columns.timeMs[index] as number,
        cost,
        columns.inputTokens[index] as number,
        columns.outputTokens[index] as number,
        latency,
        calls,
        model,
        customer,
        plan,
        task,
        feature,
        organization,
        product,
        environment,
      );
      const cached = columns.cachedInputTokens[index] as number;
      const cacheWrite = columns.cacheWriteInputTokens[index] as number;
      const reasoning = columns.reasoningTokens[index] as number;
      const failed = columns.status[index] === 1;
      const region = dimensionIds[base + 9] as number;
      // Most logs have none of these: skip the lookups for a plain successful call without a region.
      const plain =
        cached === 0 &&
        cacheWrite === 0 &&
        reasoning === 0 &&
        !failed &&
        !Number.isNaN(latency) &&
        !ids.hasRegion(values, region);
      if (this.wantUsage && !plain)
        this.addUsage(
          model,
          customer,
          (values[0] as readonly string[])[dimensionIds[base] as number] as string,
          {
            cached,
            cacheWrite,
            reasoning,
            failed,
            errorType: (values[10] as readonly string[])[dimensionIds[base + 10] as number] as string,
            region: (values[9] as readonly string[])[region] as string,
          },
          cost,
          latency,
          calls,
        );
      const session = this.wantSessionIds
        ? ids.map(this, values, SESSION_COLUMN, dimensionIds[base + SESSION_COLUMN] as number)
        : -1;
      const trace = this.wantSessionIds
        ? ids.map(this, values, TRACE_COLUMN, dimensionIds[base + TRACE_COLUMN] as number)
        : -1;
      if (this.loopFills.any)
        this.loopFills.add(
          model,
          task,
          customer,
          feature,
          plain || !ids.hasRegion(values, region) ? -1 : ids.map(this, values, 9, region),
          calls,
          cost,
          columns.inputTokens[index] as number,
          columns.outputTokens[index] as number,
          latency,
          session,
          trace,
          minuteOf(columns.timeMs[index] as number),
        );
      if (this.genericPath.length > 0)
        this.addGeneric(
          columns.timeMs[index] as number,
          cost,
          columns.inputTokens[index] as number,
          columns.outputTokens[index] as number,
          latency,
          calls,
          model,
          customer,
          organization,
          product,
          feature,
          task,
          plan,
          environment,
          cached,
          cacheWrite,
          reasoning,
          failed,
          plain ? '' : ((values[10] as readonly string[])[dimensionIds[base + 10] as number] as string),
          plain ? '' : ((values[9] as readonly string[])[region] as string),
          session,
          trace,
        );
    }
  }

  /**
   * The cube id of a dimension value (2 customer, 3 organization, 4 product,
   * 5 feature, 6 task type, 7 plan, 8 environment, 9 region, and the trace
   * and session columns). `feeder`, a reader's {@link ColumnIdMap}, asks for
   * each of its distinct values once: the sole feeder of the trace or session
   * dictionary appends them without a lookup.
   */
  dimensionId(dimension: number, value: string, feeder?: object): number {
    switch (dimension) {
      case 2:
        return this.customerId(value);
      case 3:
        return this.organizations.id(value);
      case 4:
        return this.products.id(value);
      case 5:
        return this.features.id(value);
      case 7:
        return this.planId(value);
      case 8:
        return this.environments.id(value);
      case 9:
        return this.regions.id(value);
      // The parser's values are flat copies already, and session and trace ids rarely repeat.
      case TRACE_COLUMN:
        return idFromFeeder(this.traces, value, feeder);
      case SESSION_COLUMN:
        return idFromFeeder(this.sessions, value, feeder);
      default:
        return this.taskTypes.id(value);
    }
  }

  /** Prompt-cache and reasoning tokens, failures, regions and missing latencies of a row. */
  private addUsage(
    model: number,
    customer: number,
    provider: string,
    { cached, cacheWrite, reasoning, failed, errorType, region }: UsageFigures,
    cost: number,
    latency: number,
    calls: number,
  ): void {
    const usage = this.modelUsage;
    const at = model * MODEL_USAGE_WIDTH;
    usage[at] = (usage[at] as number) + cached;
    usage[at + 1] = (usage[at + 1] as number) + cacheWrite;
    usage[at + 2] = (usage[at + 2] as number) + reasoning;
    if (Number.isNaN(latency)) usage[at + 5] = (usage[at + 5] as number) + calls;
    if (failed) {
      usage[at + 3] = (usage[at + 3] as number) + calls;
      usage[at + 4] = (usage[at + 4] as number) + cost;
      const error = this.errorTypes.id(errorType);
      addFigures(this.errorModelBlock, this.errorModel.cell(error, model), calls, cost);
      addFigures(this.customerErrorBlock, this.customerError.cell(customer, error), calls, cost);
    }
    if (region === '') return;
    const regionId = this.regions.id(region);
    if (regionId === this.regionLatency.length) this.regionLatency.push(newHistogram());
    const block = this.regionProviderBlock;
    const cell = this.regionProvider.cell(regionId, this.providers.id(provider));
    const offset = cell === block.size ? block.append() : cell * block.width;
    const data = block.data;
    data[offset] = (data[offset] as number) + calls;
    data[offset + 1] = (data[offset + 1] as number) + cost;
    if (!Number.isNaN(latency)) {
      data[offset + 2] = (data[offset + 2] as number) + latency * calls;
      data[offset + 3] = (data[offset + 3] as number) + calls;
      addToHistogramTimes(this.regionLatency[regionId] as HistogramData, latency, calls);
    }
    block.touch();
  }

  private addCall(
    timeMs: number,
    cost: number,
    input: number,
    output: number,
    latency: number,
    calls: number,
    model: number,
    customer: number,
    tier: number,
    task: number,
    feature: number,
    organization: number,
    product: number,
    environment: number,
  ): void {
    this.calls += calls;
    this.costMicros += cost;
    this.inputTokens += input;
    this.outputTokens += output;
    if (timeMs < this.firstMs) this.firstMs = timeMs;
    if (timeMs > this.lastMs) this.lastMs = timeMs;
    const dayNumber = Math.floor(timeMs / MS_PER_DAY);
    const day = this.dayId(dayNumber);
    this.noteTier(customer, tier, timeMs);

    if (this.wantTotals) {
      addTotals(this.tierTotals, tier, calls, cost, input, output);
      const hour = Math.floor((timeMs - dayNumber * MS_PER_DAY) / 3_600_000);
      addTotals(this.hourTotals, hour, calls, cost, input, output);
      addTotals(this.weekdayTotals, (((dayNumber + 3) % 7) + 7) % 7, calls, cost, input, output);
    }

    const timed = Number.isNaN(latency) ? 0 : calls;
    if (timed !== 0 && this.wantModelLatency) {
      addToHistogramTimes(this.modelLatency[model] as HistogramData, latency, calls);
      const bins = this.modelLatencyBins[model] as number[];
      const bin = Math.min(Math.floor(latency / this.settings.latencyBinMs), bins.length - 1);
      bins[bin] = (bins[bin] as number) + calls;
    }

    const block = this.customerDayBlock;
    const cell = this.customerDay.recentCell(customer, day);
    const at = cell === block.size ? block.append() : cell * 4;
    const data = block.data;
    data[at] = (data[at] as number) + calls;
    data[at + 1] = (data[at + 1] as number) + cost;
    data[at + 2] = (data[at + 2] as number) + input;
    data[at + 3] = (data[at + 3] as number) + output;
    block.touch();

    if (this.wantCustomerFeature) this.addCustomerFeature(customer, feature, dayNumber, calls, cost);
    if (this.wantModelTaskDay || this.wantModelTaskCost)
      this.addModelTask(model, task, day, cost, input, output, latency, calls, timed);
    if (this.wantTeamFeature)
      this.addTeamFeature(model, organization, product, feature, environment, cost, input, output, calls);
  }

  private addCustomerFeature(
    customer: number,
    feature: number,
    dayNumber: number,
    calls: number,
    cost: number,
  ): void {
    const block = this.customerFeatureBlock;
    const cell = this.customerFeature.cell(customer, feature);
    let at: number;
    if (cell === block.size) {
      at = block.append();
      block.data[at + 2] = dayNumber;
    } else {
      at = cell * 3;
      if (dayNumber < (block.data[at + 2] as number)) block.data[at + 2] = dayNumber;
    }
    const data = block.data;
    data[at] = (data[at] as number) + calls;
    data[at + 1] = (data[at + 1] as number) + cost;
    block.touch();
  }

  private addModelTask(
    model: number,
    task: number,
    day: number,
    cost: number,
    input: number,
    output: number,
    latency: number,
    calls: number,
    timed: number,
  ): void {
    const modelTask = this.modelTask.cell(model, task);
    if (this.wantModelTaskCost) {
      if (modelTask === this.modelTaskCost.length) this.modelTaskCost.push(newHistogram(true));
      // The cost histogram holds cost per call: a row of several calls adds its mean cost once per call.
      addToHistogramTimes(
        this.modelTaskCost[modelTask] as HistogramData,
        calls === 1 ? cost : cost / calls,
        calls,
      );
    }
    if (!this.wantModelTaskDay) return;
    const block = this.modelTaskDayBlock;
    const cell = this.modelTaskDay.recentCell(modelTask, day);
    const at = cell === block.size ? block.append() : cell * 7;
    const data = block.data;
    data[at] = (data[at] as number) + calls;
    data[at + 1] = (data[at + 1] as number) + cost;
    data[at + 2] = (data[at + 2] as number) + input;
    data[at + 3] = (data[at + 3] as number) + output;
    if (timed !== 0) {
      data[at + 4] = (data[at + 4] as number) + latency * calls;
      if (latency <= this.settings.slaMs) data[at + 5] = (data[at + 5] as number) + calls;
      data[at + 6] = (data[at + 6] as number) + calls;
    }
    block.touch();
  }

  private addTeamFeature(
    model: number,
    organization: number,
    product: number,
    feature: number,
    environment: number,
    cost: number,
    input: number,
    output: number,
    calls: number,
  ): void {
    const block = this.orgProductFeatureEnvBlock;
    const orgProduct = this.orgProduct.cell(organization, product);
    const cell = this.orgProductFeatureEnv.cell(orgProduct, feature * ENVIRONMENT_COUNT + environment);
    const at = cell === block.size ? block.append() : cell * 5;
    const data = block.data;
    data[at] = (data[at] as number) + calls;
    data[at + 1] = (data[at + 1] as number) + cost;
    data[at + 2] = (data[at + 2] as number) + input;
    data[at + 3] = (data[at + 3] as number) + output;
    if (this.modelPremium[model] === 1) data[at + 4] = (data[at + 4] as number) + cost;
    block.touch();
  }

  /** Adds every record of a batch. */
  addAll(records: readonly CallRecord[]): void {
    for (let index = 0; index < records.length; index++) this.add(records[index] as CallRecord);
  }

  /**
   * Adds another cube (of other records) into this one. With `canonicalOrder`
   * the other cube's cells are visited in the order of their keys, so that a
   * fresh cube built this way has the same layout whatever the order of the
   * records was. With `release`, `other` is read no more: its generic cells
   * and its session and trace ids are let go as they are copied (it is left
   * emptied of them), so that the two never stand whole side by side.
   * `joined`: the session or trace map gives two ids of `other` one (see
   * {@link appendIdsOf}), so that their cells are combined.
   */
  merge(
    other: Cube,
    canonicalOrder = false,
    known: Partial<IdMaps> = {},
    release = false,
    joined = false,
  ): this {
    this.checkMergeable(other);
    // The rows the fills hold come before those merged in; the other's are merged with its others.
    this.loopFills.flush();
    other.loopFills.flush();
    this.mergeTotals(other);
    const maps = this.mapIds(other, known);
    if (release) {
      other.sessions.release();
      other.traces.release();
    }
    this.mergePlans(other, maps);
    this.mergeModels(other, maps);
    this.mergeUsage(other, maps, canonicalOrder);
    this.mergeCustomerCells(other, maps, canonicalOrder);
    this.mergeModelTaskCells(other, maps, canonicalOrder);
    this.mergeTeamFeatureCells(other, maps, canonicalOrder);
    this.generic.forEach((grouping, index) => {
      // Only session and trace ids are ever held twice.
      const keyedById = grouping.spec.dimensions.some((name) => name === 'session' || name === 'trace');
      grouping.merge(
        other.generic[index] as GenericGrouping,
        maps,
        canonicalOrder,
        release,
        joined && keyedById,
      );
    });
    return this;
  }

  /** Refuses a cube built with other settings or other groupings: its cells would mean something else. */
  private checkMergeable(other: Cube): void {
    if (
      other.settings.slaMs !== this.settings.slaMs ||
      other.settings.latencyBinMs !== this.settings.latencyBinMs ||
      other.settings.latencyBinCount !== this.settings.latencyBinCount ||
      groupingsKey(other) !== groupingsKey(this)
    ) {
      throw new FinopsError(
        'incompatible_state',
        'Cube.merge: the two states were built with different settings',
      );
    }
  }

  private mergeTotals(other: Cube): void {
    this.calls += other.calls;
    this.costMicros += other.costMicros;
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    if (other.firstMs < this.firstMs) this.firstMs = other.firstMs;
    if (other.lastMs > this.lastMs) this.lastMs = other.lastMs;
  }

  /** The other cube's ids of every dimension mapped to this cube's, adding the values this one lacks. */
  private mapIds(other: Cube, known: Partial<IdMaps>): IdMaps {
    // The order ids are added in is part of the layout of a non-canonical merge: keep it.
    const model = other.modelName.map((name, index) =>
      this.modelId(other.providers.values[other.modelProvider[index] as number] as string, name),
    );
    const customer = other.customers.values.map((value) => this.customerId(value));
    const organization = other.organizations.values.map((value) => this.organizations.id(value));
    const product = other.products.values.map((value) => this.products.id(value));
    const feature = other.features.values.map((value) => this.features.id(value));
    const taskType = other.taskTypes.values.map((value) => this.taskTypes.id(value));
    const plan = other.plans.values.map((value) => this.planId(value));
    const environment = other.environments.values.map((value) => this.environments.id(value));
    const region = other.regions.values.map((value) => this.regions.id(value));
    const errorType = other.errorTypes.values.map((value) => this.errorTypes.id(value));
    const provider = other.providers.values.map((value) => this.providers.id(value));
    const day = other.days.map((value) => this.dayId(value));
    const session = known.session ?? other.sessions.values.map((value) => this.sessions.idOfFlat(value));
    const trace = known.trace ?? other.traces.values.map((value) => this.traces.idOfFlat(value));
    this.lastProvider = '';
    this.lastModelName = '';
    this.lastDayNumber = NaN;
    return {
      model,
      customer,
      organization,
      product,
      feature,
      taskType,
      plan,
      environment,
      region,
      errorType,
      provider,
      day,
      session,
      trace,
    };
  }

  private mergePlans(other: Cube, maps: IdMaps): void {
    for (let customer = 0; customer < maps.customer.length; customer++) {
      const mapped = maps.customer[customer] as number;
      const tier = other.customerTier[customer] as number;
      if (tier < 0) continue;
      this.noteTier(mapped, maps.plan[tier] as number, other.customerTierMs[customer] as number);
      this.notePlanRange(
        mapped,
        maps.plan[other.customerPlanLow[customer] as number] as number,
        maps.plan[other.customerPlanHigh[customer] as number] as number,
      );
    }
    for (let plan = 0; plan < maps.plan.length; plan++) {
      const from = plan * TOTALS_WIDTH;
      const to = (maps.plan[plan] as number) * TOTALS_WIDTH;
      for (let column = 0; column < TOTALS_WIDTH; column++)
        this.tierTotals[to + column] =
          (this.tierTotals[to + column] as number) + (other.tierTotals[from + column] as number);
    }
    addArray(this.hourTotals, other.hourTotals);
    addArray(this.weekdayTotals, other.weekdayTotals);
  }

  private mergeModels(other: Cube, maps: IdMaps): void {
    for (let model = 0; model < maps.model.length; model++) {
      const mapped = maps.model[model] as number;
      mergeHistogram(this.modelLatency[mapped] as HistogramData, other.modelLatency[model] as HistogramData);
      addArray(this.modelLatencyBins[mapped] as number[], other.modelLatencyBins[model] as number[]);
      for (let column = 0; column < MODEL_USAGE_WIDTH; column++) {
        const at = mapped * MODEL_USAGE_WIDTH + column;
        this.modelUsage[at] =
          (this.modelUsage[at] as number) + (other.modelUsage[model * MODEL_USAGE_WIDTH + column] as number);
      }
    }
  }

  private mergeUsage(other: Cube, maps: IdMaps, canonicalOrder: boolean): void {
    // Regions are known to the generic path too; their histograms exist only when a usage grouping is filled.
    for (let region = 0; this.wantUsage && region < maps.region.length; region++) {
      const mapped = maps.region[region] as number;
      while (this.regionLatency.length <= mapped) this.regionLatency.push(newHistogram());
      mergeHistogram(
        this.regionLatency[mapped] as HistogramData,
        other.regionLatency[region] as HistogramData,
      );
    }
    mergeTable(
      this.regionProvider,
      this.regionProviderBlock,
      other.regionProvider,
      other.regionProviderBlock,
      maps.region,
      maps.provider,
      canonicalOrder,
    );
    mergeTable(
      this.errorModel,
      this.errorModelBlock,
      other.errorModel,
      other.errorModelBlock,
      maps.errorType,
      maps.model,
      canonicalOrder,
    );
    mergeTable(
      this.customerError,
      this.customerErrorBlock,
      other.customerError,
      other.customerErrorBlock,
      maps.customer,
      maps.errorType,
      canonicalOrder,
    );
  }

  private mergeCustomerCells(other: Cube, maps: IdMaps, canonicalOrder: boolean): void {
    for (const cell of order(other.customerDay, maps.customer, maps.day, canonicalOrder)) {
      const target = this.customerDay.cell(
        maps.customer[other.customerDay.first[cell] as number] as number,
        maps.day[other.customerDay.second[cell] as number] as number,
      );
      addCell(this.customerDayBlock, target, other.customerDayBlock, cell);
    }
    for (const cell of order(other.customerFeature, maps.customer, maps.feature, canonicalOrder)) {
      const target = this.customerFeature.cell(
        maps.customer[other.customerFeature.first[cell] as number] as number,
        maps.feature[other.customerFeature.second[cell] as number] as number,
      );
      const source = other.customerFeatureBlock.data;
      const firstDay = source[cell * 3 + 2] as number;
      const block = this.customerFeatureBlock;
      if (target === block.size) {
        // append() may replace block.data, so take the offset before indexing it.
        const offset = block.append();
        block.data[offset + 2] = firstDay;
      } else if (firstDay < (block.data[target * 3 + 2] as number)) block.data[target * 3 + 2] = firstDay;
      block.data[target * 3] = (block.data[target * 3] as number) + (source[cell * 3] as number);
      block.data[target * 3 + 1] = (block.data[target * 3 + 1] as number) + (source[cell * 3 + 1] as number);
      block.touch();
    }
  }

  private mergeModelTaskCells(other: Cube, maps: IdMaps, canonicalOrder: boolean): void {
    const modelTaskMap: number[] = new Array<number>(other.modelTask.size);
    for (const cell of order(other.modelTask, maps.model, maps.taskType, canonicalOrder)) {
      const target = this.modelTask.cell(
        maps.model[other.modelTask.first[cell] as number] as number,
        maps.taskType[other.modelTask.second[cell] as number] as number,
      );
      if (this.wantModelTaskCost) {
        if (target === this.modelTaskCost.length) this.modelTaskCost.push(newHistogram(true));
        mergeHistogram(
          this.modelTaskCost[target] as HistogramData,
          other.modelTaskCost[cell] as HistogramData,
        );
      }
      modelTaskMap[cell] = target;
    }
    for (const cell of order(other.modelTaskDay, modelTaskMap, maps.day, canonicalOrder)) {
      const target = this.modelTaskDay.cell(
        modelTaskMap[other.modelTaskDay.first[cell] as number] as number,
        maps.day[other.modelTaskDay.second[cell] as number] as number,
      );
      addCell(this.modelTaskDayBlock, target, other.modelTaskDayBlock, cell);
    }
  }

  private mergeTeamFeatureCells(other: Cube, maps: IdMaps, canonicalOrder: boolean): void {
    const orgProductMap: number[] = new Array<number>(other.orgProduct.size);
    for (const cell of order(other.orgProduct, maps.organization, maps.product, canonicalOrder)) {
      orgProductMap[cell] = this.orgProduct.cell(
        maps.organization[other.orgProduct.first[cell] as number] as number,
        maps.product[other.orgProduct.second[cell] as number] as number,
      );
    }
    const featureEnvironmentMap = (featureEnvironment: number): number =>
      (maps.feature[Math.floor(featureEnvironment / ENVIRONMENT_COUNT)] as number) * ENVIRONMENT_COUNT +
      (maps.environment[featureEnvironment % ENVIRONMENT_COUNT] as number);
    const secondMap = other.orgProductFeatureEnv.second.map(featureEnvironmentMap);
    const featureEnvironmentIdentity: number[] = [];
    for (let cell = 0; cell < other.orgProductFeatureEnv.size; cell++) {
      featureEnvironmentIdentity[other.orgProductFeatureEnv.second[cell] as number] = secondMap[
        cell
      ] as number;
    }
    for (const cell of order(
      other.orgProductFeatureEnv,
      orgProductMap,
      featureEnvironmentIdentity,
      canonicalOrder,
    )) {
      const target = this.orgProductFeatureEnv.cell(
        orgProductMap[other.orgProductFeatureEnv.first[cell] as number] as number,
        secondMap[cell] as number,
      );
      addCell(this.orgProductFeatureEnvBlock, target, other.orgProductFeatureEnvBlock, cell);
    }
  }

  /**
   * A copy whose dictionaries are sorted (days ascending, names by code
   * point) and whose cells are in key order: the layout depends only on the
   * data, never on the order it was added or merged in. Analyses finish from
   * this form so that their floating-point figures are identical for any
   * split of the data. With `release` this cube is read no more and lets
   * its largest parts go as they are copied (see {@link merge}).
   */
  canonical(release = false): Cube {
    const cube = new Cube(this.catalog, this.settings);
    const models = this.modelName
      .map((name, index) => ({
        provider: this.providers.values[this.modelProvider[index] as number] as string,
        name,
      }))
      .sort((a, b) => byName(a.provider, b.provider) || byName(a.name, b.name));
    for (const provider of this.providers.values.slice().sort(byName)) cube.providers.id(provider);
    for (const model of models) cube.modelId(model.provider, model.name);
    for (const customer of this.customers.values.slice().sort(byName)) cube.customerId(customer);
    for (const value of this.organizations.values.slice().sort(byName)) cube.organizations.id(value);
    for (const value of this.products.values.slice().sort(byName)) cube.products.id(value);
    for (const value of this.features.values.slice().sort(byName)) cube.features.id(value);
    for (const value of this.taskTypes.values.slice().sort(byName)) cube.taskTypes.id(value);
    const planOrder = this.plans.values.map((_, id) => id).sort((a, b) => this.comparePlans(a, b));
    for (const plan of planOrder) cube.planId(this.plans.values[plan] as string);
    for (const value of this.environments.values.slice().sort(byEnvironment)) cube.environments.id(value);
    for (const value of this.regions.values.slice().sort(byName)) cube.regions.id(value);
    for (const value of this.errorTypes.values.slice().sort(byName)) cube.errorTypes.id(value);
    for (const day of this.days.slice().sort((a, b) => a - b)) cube.dayId(day);
    // Session and trace ids, nearly one per call, are ordered by a radix sort and adopted without a lookup;
    // a value held twice (see appendIdsOf) gets one id, and the cells of its two ids are combined.
    const session = adoptSorted(cube.sessions, this.sessions.values);
    const trace = adoptSorted(cube.traces, this.traces.values);
    const joined = session.joined || trace.joined;
    return cube.merge(this, true, { session: session.rank, trace: trace.rank }, release, joined);
  }

  /**
   * Appends the session and trace ids of `other` (a part of the same log
   * read elsewhere, about to be merged with `release`) to this cube's
   * without looking them up, and returns the maps to pass to
   * {@link merge}: an id both parts hold is then held twice (its cells
   * stay apart) until the canonical copy gives it one id and combines them.
   * Hashing a million ids of a part costs more than the whole merge of its cells.
   */
  appendIdsOf(other: Cube): Pick<IdMaps, 'session' | 'trace'> {
    const offsets = (interner: Interner, values: readonly string[]): number[] => {
      const first = interner.appendAll(values);
      const map = new Array<number>(values.length);
      for (let id = 0; id < values.length; id++) map[id] = first + id;
      return map;
    };
    return {
      session: offsets(this.sessions, other.sessions.values),
      trace: offsets(this.traces, other.traces.values),
    };
  }

  /**
   * The state as plain data (for JSON or for another thread). With `take`
   * this cube is read no more: its generic cells come as typed arrays (see
   * {@link GenericGrouping.takeData}) and leave the cube as they are copied.
   */
  toData(take = false): CubeData {
    this.loopFills.flush();
    const table = (pairs: PairTable, columns: Readonly<Record<string, number[]>>): TableData => ({
      first: pairs.first.slice(),
      second: pairs.second.slice(),
      columns: Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values.slice()])),
    });
    return {
      version: 2,
      settings: { ...this.settings },
      calls: this.calls,
      costMicros: this.costMicros,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      firstMs: Number.isFinite(this.firstMs) ? this.firstMs : null,
      lastMs: Number.isFinite(this.lastMs) ? this.lastMs : null,
      providers: this.providers.values.slice(),
      modelProvider: this.modelProvider.slice(),
      modelName: this.modelName.slice(),
      customers: this.customers.values.slice(),
      organizations: this.organizations.values.slice(),
      products: this.products.values.slice(),
      features: this.features.values.slice(),
      taskTypes: this.taskTypes.values.slice(),
      plans: this.plans.values.slice(),
      environments: this.environments.values.slice(),
      regions: this.regions.values.slice(),
      errorTypes: this.errorTypes.values.slice(),
      sessions: this.sessions.values.slice(),
      traces: this.traces.values.slice(),
      days: this.days.slice(),
      customerTier: this.customerTier.slice(),
      customerTierMs: this.customerTierMs.map((ms) => (Number.isFinite(ms) ? ms : -1e300)),
      customerPlanLow: this.customerPlanLow.slice(),
      customerPlanHigh: this.customerPlanHigh.slice(),
      modelUsage: this.modelUsage.slice(),
      regionLatency: this.regionLatency.map((histogram) => structuredClone(histogram)),
      regionProvider: table(this.regionProvider, this.regionProviderBlock.columns()),
      errorModel: table(this.errorModel, this.errorModelBlock.columns()),
      customerError: table(this.customerError, this.customerErrorBlock.columns()),
      modelLatency: this.modelLatency.map((histogram) => structuredClone(histogram)),
      modelLatencyBins: this.modelLatencyBins.map((bins) => bins.slice()),
      tierTotals: this.tierTotals.slice(),
      hourTotals: this.hourTotals.slice(),
      weekdayTotals: this.weekdayTotals.slice(),
      customerDay: table(this.customerDay, this.customerDayBlock.columns()),
      customerFeature: table(this.customerFeature, this.customerFeatureBlock.columns()),
      modelTask: table(this.modelTask, {}),
      modelTaskCost: this.modelTaskCost.map((histogram) => structuredClone(histogram)),
      modelTaskDay: table(this.modelTaskDay, this.modelTaskDayBlock.columns()),
      orgProduct: table(this.orgProduct, {}),
      orgProductFeatureEnv: table(this.orgProductFeatureEnv, this.orgProductFeatureEnvBlock.columns()),
      generic: this.generic.map((grouping) => (take ? grouping.takeData() : grouping.toData())),
    };
  }

  /** Reads a state written by {@link toData}. */
  static fromData(data: CubeData, catalog: PriceCatalog): Cube {
    if (data.version !== 2)
      throw new FinopsError(
        'unsupported_state_version',
        `unsupported analysis state version ${String(data.version)}`,
      );
    const cube = new Cube(catalog, data.settings);
    cube.calls = data.calls;
    cube.costMicros = data.costMicros;
    cube.inputTokens = data.inputTokens;
    cube.outputTokens = data.outputTokens;
    cube.firstMs = data.firstMs ?? Infinity;
    cube.lastMs = data.lastMs ?? -Infinity;
    for (const provider of data.providers) cube.providers.id(provider);
    for (const plan of data.plans) cube.planId(plan);
    for (const value of data.environments) cube.environments.id(value);
    for (const value of data.regions) cube.regions.id(value);
    for (const value of data.errorTypes) cube.errorTypes.id(value);
    // A state's dictionaries hold distinct values, flat since they were copied across.
    cube.sessions.adoptDistinct(data.sessions ?? []);
    cube.traces.adoptDistinct(data.traces ?? []);
    data.modelName.forEach((name, index) =>
      cube.modelId(data.providers[data.modelProvider[index] as number] as string, name),
    );
    data.customers.forEach((customer, index) => {
      cube.customerId(customer);
      cube.customerTier[index] = data.customerTier[index] as number;
      const ms = data.customerTierMs[index] as number;
      cube.customerTierMs[index] = ms <= -1e300 ? -Infinity : ms;
      cube.customerPlanLow[index] = data.customerPlanLow[index] as number;
      cube.customerPlanHigh[index] = data.customerPlanHigh[index] as number;
    });
    for (const value of data.organizations) cube.organizations.id(value);
    for (const value of data.products) cube.products.id(value);
    for (const value of data.features) cube.features.id(value);
    for (const value of data.taskTypes) cube.taskTypes.id(value);
    for (const day of data.days) cube.dayId(day);
    data.modelLatency.forEach((histogram, index) => (cube.modelLatency[index] = structuredClone(histogram)));
    data.modelLatencyBins.forEach((bins, index) => (cube.modelLatencyBins[index] = bins.slice()));
    copyInto(cube.tierTotals, data.tierTotals);
    copyInto(cube.modelUsage, data.modelUsage);
    data.regionLatency.forEach(
      (histogram, index) => (cube.regionLatency[index] = structuredClone(histogram)),
    );
    loadTable(cube.regionProvider, cube.regionProviderBlock, data.regionProvider);
    loadTable(cube.errorModel, cube.errorModelBlock, data.errorModel);
    loadTable(cube.customerError, cube.customerErrorBlock, data.customerError);
    copyInto(cube.hourTotals, data.hourTotals);
    copyInto(cube.weekdayTotals, data.weekdayTotals);
    loadTable(cube.customerDay, cube.customerDayBlock, data.customerDay);
    loadTable(cube.customerFeature, cube.customerFeatureBlock, data.customerFeature);
    loadTable(cube.modelTask, undefined, data.modelTask);
    for (const histogram of data.modelTaskCost) cube.modelTaskCost.push(structuredClone(histogram));
    loadTable(cube.modelTaskDay, cube.modelTaskDayBlock, data.modelTaskDay);
    loadTable(cube.orgProduct, undefined, data.orgProduct);
    loadTable(cube.orgProductFeatureEnv, cube.orgProductFeatureEnvBlock, data.orgProductFeatureEnv);
    (data.generic ?? []).forEach((grouping, index) => cube.generic[index]?.load(grouping));
    cube.lastDayNumber = NaN;
    cube.lastProvider = '';
    cube.lastModelName = '';
    return cube;
  }

  /** The name of a plan id. */
  planName(id: number): string {
    return this.plans.values[id] ?? '';
  }
}

/**
 * Adds `values` to the empty `interner` in code-unit order and returns each
 * value's new id by its old one (`rank`); a value held under two ids (see
 * {@link Cube.appendIdsOf}) gets one, and `joined` says that happened.
 */
function adoptSorted(interner: Interner, values: readonly string[]): { rank: number[]; joined: boolean } {
  const { order, repeated } = codeUnitRuns(values);
  let distinct = order.length;
  for (let at = 0; at < order.length; at++) distinct -= repeated[at] as number;
  const sorted = new Array<string>(distinct);
  const rank = new Array<number>(order.length);
  let next = 0;
  for (let at = 0; at < order.length; at++) {
    const id = order[at] as number;
    // Equal values are next to each other in the order.
    if (repeated[at] === 0) sorted[next++] = values[id] as string;
    rank[id] = next - 1;
  }
  interner.adoptDistinct(sorted);
  return { rank, joined: distinct < order.length };
}

/** The id of a value handed once by `feeder` (see {@link Interner.claim}), or by lookup. */
function idFromFeeder(interner: Interner, value: string, feeder: object | undefined): number {
  return feeder !== undefined && interner.claim(feeder)
    ? interner.appendDistinct(value)
    : interner.idOfFlat(value);
}

/** The groupings and parameters a cube was built with, as one comparable text. */
function groupingsKey(cube: Cube): string {
  const names = (cube.settings.groupings ?? FUSED_GROUPINGS).map((spec) => JSON.stringify(spec)).sort();
  return JSON.stringify([names, cube.settings.parameters ?? {}]);
}

function addFigures(block: ColumnBlock<'calls' | 'cost'>, cell: number, calls: number, cost: number): void {
  const at = cell === block.size ? block.append() : cell * block.width;
  block.data[at] = (block.data[at] as number) + calls;
  block.data[at + 1] = (block.data[at + 1] as number) + cost;
  block.touch();
}

/** Adds the cells of another cube's table into this one's, mapping both ids. */
function mergeTable<Name extends string>(
  target: PairTable,
  targetBlock: ColumnBlock<Name>,
  source: PairTable,
  sourceBlock: ColumnBlock<Name>,
  firstMap: readonly number[],
  secondMap: readonly number[],
  canonicalOrder: boolean,
): void {
  for (const cell of order(source, firstMap, secondMap, canonicalOrder)) {
    const cellInTarget = target.cell(
      firstMap[source.first[cell] as number] as number,
      secondMap[source.second[cell] as number] as number,
    );
    addCell(targetBlock, cellInTarget, sourceBlock, cell);
  }
}

function addTotals(
  totals: number[],
  index: number,
  calls: number,
  cost: number,
  input: number,
  output: number,
): void {
  const base = index * TOTALS_WIDTH;
  totals[base] = (totals[base] as number) + calls;
  totals[base + 1] = (totals[base + 1] as number) + cost;
  totals[base + 2] = (totals[base + 2] as number) + input;
  totals[base + 3] = (totals[base + 3] as number) + output;
}

function addArray(target: number[], other: readonly number[]): void {
  for (let index = 0; index < other.length; index++)
    target[index] = (target[index] ?? 0) + (other[index] as number);
}

function copyInto(target: number[], source: readonly number[]): void {
  for (let index = 0; index < source.length; index++) target[index] = source[index] as number;
}

function addCell<Name extends string>(
  target: ColumnBlock<Name>,
  targetCell: number,
  source: ColumnBlock<Name>,
  sourceCell: number,
): void {
  const width = target.width;
  const at = targetCell === target.size ? target.append() : targetCell * width;
  const from = sourceCell * width;
  const data = target.data;
  for (let column = 0; column < width; column++)
    data[at + column] = (data[at + column] as number) + (source.data[from + column] as number);
  target.touch();
}

function loadTable<Name extends string>(
  pairs: PairTable,
  block: ColumnBlock<Name> | undefined,
  data: TableData,
): void {
  for (let cell = 0; cell < data.first.length; cell++)
    pairs.cell(data.first[cell] as number, data.second[cell] as number);
  if (block === undefined) return;
  for (let cell = 0; cell < data.first.length; cell++) {
    const at = block.append();
    block.names.forEach((name, column) => (block.data[at + column] = (data.columns[name] ?? [])[cell] ?? 0));
  }
}

/** Cells of a table in insertion order, or sorted by their mapped keys. */
function order(
  table: PairTable,
  firstMap: readonly number[],
  secondMap: readonly number[],
  sorted: boolean,
): number[] {
  const cells = Array.from({ length: table.size }, (_, index) => index);
  if (!sorted) return cells;
  const first = table.first.map((id) => firstMap[id] as number);
  const second = table.second.map((id) => secondMap[id] as number);
  return cells.sort(
    (a, b) => (first[a] as number) - (first[b] as number) || (second[a] as number) - (second[b] as number),
  );
}

/**
 * Maps one parser's dimension ids (see the schema's `CallColumns`) to a
 * cube's ids, learning each value once: after that a call's dimensions cost
 * an array read each instead of a string lookup.
 */
export class ColumnIdMap {
  private readonly maps: number[][] = Array.from({ length: DIMENSION_COUNT }, () => []);
  private readonly regionKnown: number[] = [];

  /** Whether a parser's region id names a region (not the empty value). */
  hasRegion(values: readonly (readonly string[])[], local: number): boolean {
    let known = this.regionKnown[local];
    if (known === undefined) {
      known = (values[9] as readonly string[])[local] === '' ? 0 : 1;
      this.regionKnown[local] = known;
    }
    return known === 1;
  }
  private readonly models: number[][] = [];

  /** The cube's id of the model with these parser ids of provider and model. */
  model(cube: Cube, values: readonly (readonly string[])[], provider: number, model: number): number {
    const byProvider = (this.models[provider] ??= []);
    let id = byProvider[model];
    if (id === undefined) {
      id = cube.modelId(
        (values[0] as readonly string[])[provider] as string,
        (values[1] as readonly string[])[model] as string,
      );
      byProvider[model] = id;
    }
    return id;
  }

  /** The cube's id of a dimension value (2 customer … 9 region, see {@link Cube.dimensionId}) from its parser id. */
  map(cube: Cube, values: readonly (readonly string[])[], dimension: number, local: number): number {
    const map = this.maps[dimension] as number[];
    let id = map[local];
    if (id === undefined) {
      id = cube.dimensionId(dimension, (values[dimension] as readonly string[])[local] as string, this);
      map[local] = id;
    }
    return id;
  }
}
