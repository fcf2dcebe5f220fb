import {
  type CallColumns,
  type CallRecord,
  DIMENSION_COUNT,
  MS_PER_DAY,
  type PriceCatalog,
  SUBSCRIPTION_TIERS,
  ENVIRONMENTS,
} from '@finops/schema';
import { addToHistogram, type HistogramData, mergeHistogram, newHistogram } from './histogram';
import { Interner } from './interner';
import { ColumnBlock } from './columns';
import { PairTable } from './pair-table';

/** Settings that change what a record adds to the cube (the same for every state that is merged). */
export interface CubeSettings {
  /** Latency under which (inclusive) a call meets the SLA, in ms. */
  slaMs: number;
  /** Width of a latency histogram bin for charts, in ms. */
  latencyBinMs: number;
  /** Number of latency bins (the last one takes everything above). */
  latencyBinCount: number;
}

/** Default {@link CubeSettings}: SLA 2,000 ms; 40 bins of 250 ms (the last one open-ended). */
export const DEFAULT_CUBE_SETTINGS: Readonly<CubeSettings> = {
  slaMs: 2000,
  latencyBinMs: 250,
  latencyBinCount: 40,
};

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
  version: 1;
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
  days: number[];
  customerTier: number[];
  customerTierMs: number[];
  customerTierMask: number[];
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
}

const CD_COLUMNS = ['calls', 'cost', 'input', 'output'] as const;
const CF_COLUMNS = ['calls', 'cost', 'firstDay'] as const;
const MTD_COLUMNS = ['calls', 'cost', 'input', 'output', 'latency', 'underSla'] as const;
const OPFE_COLUMNS = ['calls', 'cost', 'input', 'output', 'premiumCost'] as const;

/** Number of environments (the second id of an org×product×feature×environment cell is `feature × 3 + environment`). */
export const ENVIRONMENT_COUNT = ENVIRONMENTS.length;
/** Width of one entry of {@link CubeData.tierTotals}, {@link CubeData.hourTotals} and {@link CubeData.weekdayTotals}: calls, cost, input, output. */
export const TOTALS_WIDTH = 4;

function tierIndex(tier: string): number {
  return tier === 'starter' ? 0 : tier === 'pro' ? 1 : 2;
}

function environmentIndex(environment: string): number {
  return environment === 'production' ? 0 : environment === 'staging' ? 1 : 2;
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
  readonly days: number[] = [];
  private readonly dayIds = new Map<number, number>();
  readonly customerTier: number[] = [];
  readonly customerTierMs: number[] = [];
  readonly customerTierMask: number[] = [];
  readonly modelLatency: HistogramData[] = [];
  readonly modelLatencyBins: number[][] = [];
  readonly tierTotals: number[] = new Array<number>(3 * TOTALS_WIDTH).fill(0);
  readonly hourTotals: number[] = new Array<number>(24 * TOTALS_WIDTH).fill(0);
  readonly weekdayTotals: number[] = new Array<number>(7 * TOTALS_WIDTH).fill(0);
  readonly customerDay = new PairTable();
  /** Calls, cost, input and output tokens per customer × day cell. */
  readonly customerDayBlock = new ColumnBlock(CD_COLUMNS);
  readonly customerFeature = new PairTable();
  /** Calls, cost and first day (UTC day number) per customer × feature cell. */
  readonly customerFeatureBlock = new ColumnBlock(CF_COLUMNS);
  readonly modelTask = new PairTable();
  readonly modelTaskCost: HistogramData[] = [];
  readonly modelTaskDay = new PairTable();
  /** Calls, cost, tokens, summed latency and calls within the SLA per model × task type × day cell. */
  readonly modelTaskDayBlock = new ColumnBlock(MTD_COLUMNS);
  readonly orgProduct = new PairTable();
  readonly orgProductFeatureEnv = new PairTable();
  /** Calls, cost, tokens and cost on premium models per organization × product × feature × environment cell. */
  readonly orgProductFeatureEnvBlock = new ColumnBlock(OPFE_COLUMNS);
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
  }

  /** Customer × day figures as arrays by cell. */
  get cd(): Readonly<Record<(typeof CD_COLUMNS)[number], number[]>> {
    return this.customerDayBlock.columns();
  }

  /** Customer × feature figures as arrays by cell. */
  get cf(): Readonly<Record<(typeof CF_COLUMNS)[number], number[]>> {
    return this.customerFeatureBlock.columns();
  }

  /** Model × task type × day figures as arrays by cell. */
  get mtd(): Readonly<Record<(typeof MTD_COLUMNS)[number], number[]>> {
    return this.modelTaskDayBlock.columns();
  }

  /** Organization × product × feature × environment figures as arrays by cell. */
  get opfe(): Readonly<Record<(typeof OPFE_COLUMNS)[number], number[]>> {
    return this.orgProductFeatureEnvBlock.columns();
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
      this.customerTier.push(0);
      this.customerTierMs.push(-Infinity);
      this.customerTierMask.push(0);
    }
    return id;
  }

  private noteTier(customer: number, tier: number, timeMs: number): void {
    const latest = this.customerTierMs[customer] as number;
    // The latest call's tier counts; at the same instant the higher tier, so that merge order does not matter.
    if (timeMs > latest || (timeMs === latest && tier > (this.customerTier[customer] as number))) {
      this.customerTier[customer] = tier;
      this.customerTierMs[customer] = timeMs;
    }
    this.customerTierMask[customer] = (this.customerTierMask[customer] as number) | (1 << tier);
  }

  /** Adds one call. */
  add(record: CallRecord): void {
    const model = this.modelId(record.provider, record.model);
    const customer = this.customerId(record.customerId);
    this.addCall(
      record.timeMs,
      record.costMicros,
      record.inputTokens,
      record.outputTokens,
      record.latencyMs,
      model,
      customer,
      tierIndex(record.subscriptionTier),
      this.taskTypes.id(record.taskType),
      this.features.id(record.featureId),
      this.organizations.id(record.organizationId),
      this.products.id(record.productId),
      environmentIndex(record.environment),
    );
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
      this.addCall(
        columns.timeMs[index] as number,
        columns.costMicros[index] as number,
        columns.inputTokens[index] as number,
        columns.outputTokens[index] as number,
        columns.latencyMs[index] as number,
        model,
        customer,
        columns.tier[index] as number,
        task,
        feature,
        organization,
        product,
        columns.environment[index] as number,
      );
    }
  }

  /** The cube id of a dimension value (2 customer, 3 organization, 4 product, 5 feature, 6 task type). */
  dimensionId(dimension: number, value: string): number {
    switch (dimension) {
      case 2:
        return this.customerId(value);
      case 3:
        return this.organizations.id(value);
      case 4:
        return this.products.id(value);
      case 5:
        return this.features.id(value);
      default:
        return this.taskTypes.id(value);
    }
  }

  private addCall(
    timeMs: number,
    cost: number,
    input: number,
    output: number,
    latency: number,
    model: number,
    customer: number,
    tier: number,
    task: number,
    feature: number,
    organization: number,
    product: number,
    environment: number,
  ): void {
    this.calls++;
    this.costMicros += cost;
    this.inputTokens += input;
    this.outputTokens += output;
    if (timeMs < this.firstMs) this.firstMs = timeMs;
    if (timeMs > this.lastMs) this.lastMs = timeMs;
    const dayNumber = Math.floor(timeMs / MS_PER_DAY);
    const day = this.dayId(dayNumber);
    this.noteTier(customer, tier, timeMs);

    addTotals(this.tierTotals, tier, cost, input, output);
    const hour = Math.floor((timeMs - dayNumber * MS_PER_DAY) / 3_600_000);
    addTotals(this.hourTotals, hour, cost, input, output);
    addTotals(this.weekdayTotals, (((dayNumber + 3) % 7) + 7) % 7, cost, input, output);

    addToHistogram(this.modelLatency[model] as HistogramData, latency);
    const bins = this.modelLatencyBins[model] as number[];
    const bin = Math.min(Math.floor(latency / this.settings.latencyBinMs), bins.length - 1);
    bins[bin] = (bins[bin] as number) + 1;

    let block: ColumnBlock<string> = this.customerDayBlock;
    let cell = this.customerDay.cell(customer, day);
    let at = cell === block.size ? block.append() : cell * 4;
    let data = block.data;
    data[at] = (data[at] as number) + 1;
    data[at + 1] = (data[at + 1] as number) + cost;
    data[at + 2] = (data[at + 2] as number) + input;
    data[at + 3] = (data[at + 3] as number) + output;
    block.touch();

    const cfBlock = this.customerFeatureBlock;
    cell = this.customerFeature.cell(customer, feature);
    if (cell === cfBlock.size) {
      at = cfBlock.append();
      cfBlock.data[at + 2] = dayNumber;
    } else {
      at = cell * 3;
      if (dayNumber < (cfBlock.data[at + 2] as number)) cfBlock.data[at + 2] = dayNumber;
    }
    data = cfBlock.data;
    data[at] = (data[at] as number) + 1;
    data[at + 1] = (data[at + 1] as number) + cost;
    cfBlock.touch();

    const modelTask = this.modelTask.cell(model, task);
    if (modelTask === this.modelTaskCost.length) this.modelTaskCost.push(newHistogram(true));
    addToHistogram(this.modelTaskCost[modelTask] as HistogramData, cost);
    block = this.modelTaskDayBlock;
    cell = this.modelTaskDay.cell(modelTask, day);
    at = cell === block.size ? block.append() : cell * 6;
    data = block.data;
    data[at] = (data[at] as number) + 1;
    data[at + 1] = (data[at + 1] as number) + cost;
    data[at + 2] = (data[at + 2] as number) + input;
    data[at + 3] = (data[at + 3] as number) + output;
    data[at + 4] = (data[at + 4] as number) + latency;
    if (latency <= this.settings.slaMs) data[at + 5] = (data[at + 5] as number) + 1;
    block.touch();

    block = this.orgProductFeatureEnvBlock;
    const orgProduct = this.orgProduct.cell(organization, product);
    cell = this.orgProductFeatureEnv.cell(orgProduct, feature * ENVIRONMENT_COUNT + environment);
    at = cell === block.size ? block.append() : cell * 5;
    data = block.data;
    data[at] = (data[at] as number) + 1;
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
   * records was.
   */
  merge(other: Cube, canonicalOrder = false): this {
    if (
      other.settings.slaMs !== this.settings.slaMs ||
      other.settings.latencyBinMs !== this.settings.latencyBinMs ||
      other.settings.latencyBinCount !== this.settings.latencyBinCount
    ) {
      throw new Error('Cube.merge: the two states were built with different settings');
    }
    this.calls += other.calls;
    this.costMicros += other.costMicros;
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    if (other.firstMs < this.firstMs) this.firstMs = other.firstMs;
    if (other.lastMs > this.lastMs) this.lastMs = other.lastMs;
    const modelMap = other.modelName.map((name, index) =>
      this.modelId(other.providers.values[other.modelProvider[index] as number] as string, name),
    );
    const customerMap = other.customers.values.map((customer) => this.customerId(customer));
    const organizationMap = other.organizations.values.map((value) => this.organizations.id(value));
    const productMap = other.products.values.map((value) => this.products.id(value));
    const featureMap = other.features.values.map((value) => this.features.id(value));
    const taskMap = other.taskTypes.values.map((value) => this.taskTypes.id(value));
    const dayMap = other.days.map((day) => this.dayId(day));
    this.lastProvider = '';
    this.lastModelName = '';
    this.lastDayNumber = NaN;

    for (let customer = 0; customer < customerMap.length; customer++) {
      const mapped = customerMap[customer] as number;
      const mask = other.customerTierMask[customer] as number;
      if (mask === 0) continue;
      this.noteTier(mapped, other.customerTier[customer] as number, other.customerTierMs[customer] as number);
      this.customerTierMask[mapped] = (this.customerTierMask[mapped] as number) | mask;
    }
    addArray(this.tierTotals, other.tierTotals);
    addArray(this.hourTotals, other.hourTotals);
    addArray(this.weekdayTotals, other.weekdayTotals);
    for (let model = 0; model < modelMap.length; model++) {
      const mapped = modelMap[model] as number;
      mergeHistogram(this.modelLatency[mapped] as HistogramData, other.modelLatency[model] as HistogramData);
      addArray(this.modelLatencyBins[mapped] as number[], other.modelLatencyBins[model] as number[]);
    }

    for (const cell of order(other.customerDay, customerMap, dayMap, canonicalOrder)) {
      const target = this.customerDay.cell(
        customerMap[other.customerDay.first[cell] as number] as number,
        dayMap[other.customerDay.second[cell] as number] as number,
      );
      addCell(this.customerDayBlock, target, other.customerDayBlock, cell);
    }
    for (const cell of order(other.customerFeature, customerMap, featureMap, canonicalOrder)) {
      const target = this.customerFeature.cell(
        customerMap[other.customerFeature.first[cell] as number] as number,
        featureMap[other.customerFeature.second[cell] as number] as number,
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
    const modelTaskMap: number[] = new Array<number>(other.modelTask.size);
    for (const cell of order(other.modelTask, modelMap, taskMap, canonicalOrder)) {
      const target = this.modelTask.cell(
        modelMap[other.modelTask.first[cell] as number] as number,
        taskMap[other.modelTask.second[cell] as number] as number,
      );
      if (target === this.modelTaskCost.length) this.modelTaskCost.push(newHistogram(true));
      mergeHistogram(this.modelTaskCost[target] as HistogramData, other.modelTaskCost[cell] as HistogramData);
      modelTaskMap[cell] = target;
    }
    for (const cell of order(other.modelTaskDay, modelTaskMap, dayMap, canonicalOrder)) {
      const target = this.modelTaskDay.cell(
        modelTaskMap[other.modelTaskDay.first[cell] as number] as number,
        dayMap[other.modelTaskDay.second[cell] as number] as number,
      );
      addCell(this.modelTaskDayBlock, target, other.modelTaskDayBlock, cell);
    }
    const orgProductMap: number[] = new Array<number>(other.orgProduct.size);
    for (const cell of order(other.orgProduct, organizationMap, productMap, canonicalOrder)) {
      orgProductMap[cell] = this.orgProduct.cell(
        organizationMap[other.orgProduct.first[cell] as number] as number,
        productMap[other.orgProduct.second[cell] as number] as number,
      );
    }
    const featureEnvMap = (featureEnv: number): number =>
      (featureMap[Math.floor(featureEnv / ENVIRONMENT_COUNT)] as number) * ENVIRONMENT_COUNT +
      (featureEnv % ENVIRONMENT_COUNT);
    const secondMap = other.orgProductFeatureEnv.second.map(featureEnvMap);
    const featureEnvIdentity: number[] = [];
    for (let cell = 0; cell < other.orgProductFeatureEnv.size; cell++) {
      featureEnvIdentity[other.orgProductFeatureEnv.second[cell] as number] = secondMap[cell] as number;
    }
    for (const cell of order(other.orgProductFeatureEnv, orgProductMap, featureEnvIdentity, canonicalOrder)) {
      const target = this.orgProductFeatureEnv.cell(
        orgProductMap[other.orgProductFeatureEnv.first[cell] as number] as number,
        secondMap[cell] as number,
      );
      addCell(this.orgProductFeatureEnvBlock, target, other.orgProductFeatureEnvBlock, cell);
    }
    return this;
  }

  /**
   * A copy whose dictionaries are sorted (days ascending, names by code
   * point) and whose cells are in key order: the layout depends only on the
   * data, never on the order it was added or merged in. Analyses finish from
   * this form so that their floating-point figures are identical for any
   * split of the data.
   */
  canonical(): Cube {
    const cube = new Cube(this.catalog, this.settings);
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
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
    for (const day of this.days.slice().sort((a, b) => a - b)) cube.dayId(day);
    return cube.merge(this, true);
  }

  /** The state as plain data (for JSON or for another thread). */
  toData(): CubeData {
    const table = (pairs: PairTable, columns: Readonly<Record<string, number[]>>): TableData => ({
      first: pairs.first.slice(),
      second: pairs.second.slice(),
      columns: Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values.slice()])),
    });
    return {
      version: 1,
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
      days: this.days.slice(),
      customerTier: this.customerTier.slice(),
      customerTierMs: this.customerTierMs.map((ms) => (Number.isFinite(ms) ? ms : -1e300)),
      customerTierMask: this.customerTierMask.slice(),
      modelLatency: this.modelLatency.map((histogram) => structuredClone(histogram)),
      modelLatencyBins: this.modelLatencyBins.map((bins) => bins.slice()),
      tierTotals: this.tierTotals.slice(),
      hourTotals: this.hourTotals.slice(),
      weekdayTotals: this.weekdayTotals.slice(),
      customerDay: table(this.customerDay, this.cd),
      customerFeature: table(this.customerFeature, this.cf),
      modelTask: table(this.modelTask, {}),
      modelTaskCost: this.modelTaskCost.map((histogram) => structuredClone(histogram)),
      modelTaskDay: table(this.modelTaskDay, this.mtd),
      orgProduct: table(this.orgProduct, {}),
      orgProductFeatureEnv: table(this.orgProductFeatureEnv, this.opfe),
    };
  }

  /** Reads a state written by {@link toData}. */
  static fromData(data: CubeData, catalog: PriceCatalog): Cube {
    if (data.version !== 1) throw new Error(`unsupported analysis state version ${String(data.version)}`);
    const cube = new Cube(catalog, data.settings);
    cube.calls = data.calls;
    cube.costMicros = data.costMicros;
    cube.inputTokens = data.inputTokens;
    cube.outputTokens = data.outputTokens;
    cube.firstMs = data.firstMs ?? Infinity;
    cube.lastMs = data.lastMs ?? -Infinity;
    for (const provider of data.providers) cube.providers.id(provider);
    data.modelName.forEach((name, index) =>
      cube.modelId(data.providers[data.modelProvider[index] as number] as string, name),
    );
    data.customers.forEach((customer, index) => {
      cube.customerId(customer);
      cube.customerTier[index] = data.customerTier[index] as number;
      const ms = data.customerTierMs[index] as number;
      cube.customerTierMs[index] = ms <= -1e300 ? -Infinity : ms;
      cube.customerTierMask[index] = data.customerTierMask[index] as number;
    });
    for (const value of data.organizations) cube.organizations.id(value);
    for (const value of data.products) cube.products.id(value);
    for (const value of data.features) cube.features.id(value);
    for (const value of data.taskTypes) cube.taskTypes.id(value);
    for (const day of data.days) cube.dayId(day);
    data.modelLatency.forEach((histogram, index) => (cube.modelLatency[index] = structuredClone(histogram)));
    data.modelLatencyBins.forEach((bins, index) => (cube.modelLatencyBins[index] = bins.slice()));
    copyInto(cube.tierTotals, data.tierTotals);
    copyInto(cube.hourTotals, data.hourTotals);
    copyInto(cube.weekdayTotals, data.weekdayTotals);
    loadTable(cube.customerDay, cube.customerDayBlock, data.customerDay);
    loadTable(cube.customerFeature, cube.customerFeatureBlock, data.customerFeature);
    loadTable(cube.modelTask, undefined, data.modelTask);
    for (const histogram of data.modelTaskCost) cube.modelTaskCost.push(structuredClone(histogram));
    loadTable(cube.modelTaskDay, cube.modelTaskDayBlock, data.modelTaskDay);
    loadTable(cube.orgProduct, undefined, data.orgProduct);
    loadTable(cube.orgProductFeatureEnv, cube.orgProductFeatureEnvBlock, data.orgProductFeatureEnv);
    cube.lastDayNumber = NaN;
    cube.lastProvider = '';
    cube.lastModelName = '';
    return cube;
  }

  /** Tier index (0 starter, 1 pro, 2 enterprise) → name. */
  static tierName(index: number): (typeof SUBSCRIPTION_TIERS)[number] {
    return SUBSCRIPTION_TIERS[index] ?? 'enterprise';
  }
}

function addTotals(totals: number[], index: number, cost: number, input: number, output: number): void {
  const base = index * TOTALS_WIDTH;
  totals[base] = (totals[base] as number) + 1;
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
  private readonly maps: number[][] = [[], [], [], [], [], [], []];
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

  /** The cube's id of a dimension value (2 customer … 6 task type) from its parser id. */
  map(cube: Cube, values: readonly (readonly string[])[], dimension: number, local: number): number {
    const map = this.maps[dimension] as number[];
    let id = map[local];
    if (id === undefined) {
      id = cube.dimensionId(dimension, (values[dimension] as readonly string[])[local] as string);
      map[local] = id;
    }
    return id;
  }
}
