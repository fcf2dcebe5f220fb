import {
  type CallRecord,
  type CsvColumn,
  DEFAULT_WARNING_THRESHOLDS,
  type Environment,
  escapeCsvField,
  KNOWN_FEATURES,
  type ModelPrice,
  MS_PER_DAY,
  priceCallMicros,
  V1_COLUMNS,
} from '@finops/schema';
import {
  type PackedText,
  packText,
  putNumber,
  putPacked,
  putSixDigits,
  putTwoDigits,
  SPILL_BYTES,
  viewOf,
} from './bytes';
import { civilFromDays, THREE_DIGITS, TWO_DIGITS, weekdayOf } from './calendar';
import { exactExp, integerPower, logistic, sinTurns } from './exact-math';
import { type ResolvedSimulationOptions, SIMULATED_REGIONS } from './options';
import { ARCHETYPES, buildPopulation, type Customer, providerShares, USER_AGENTS } from './population';
import { cumulativeWeights, SeededRandom } from './random';

const MS_PER_HOUR = 3_600_000;

/** Share of calls that fail; a failed call is billed its input and returns no output. */
const FAILURE_SHARE = 0.02;
/** Kinds of failure with their shares among failed calls. */
const ERROR_TYPES = ['rate_limit', 'timeout', 'server_error', 'invalid_request'] as const;
const ERROR_CUMULATIVE = cumulativeWeights([0.4, 0.25, 0.2, 0.15]);
/** Share of calls of each task (TASKS order) that read part of their prompt from the provider's cache, on a model with a cache price. */
const CACHE_HIT_SHARE = [0.45, 0.35, 0.15, 0.1, 0.2, 0.4];
/** Share of a cache hit's input read from the cache: uniform in this range. */
const CACHED_INPUT_RANGE: readonly [number, number] = [0.3, 0.9];
/** Share of a reasoning model's output spent reasoning: uniform in this range. */
const REASONING_RANGE: readonly [number, number] = [0.3, 0.7];
/** The columns the simulator writes: the 19 of version 1, then cache reads, reasoning, status, error type and region. */
export const SIMULATED_COLUMNS: readonly CsvColumn[] = [
  ...V1_COLUMNS,
  'cached_input_tokens',
  'reasoning_tokens',
  'status',
  'error_type',
  'region',
];

/** What each of {@link SIMULATED_REGIONS} adds to latency. */
const REGION_LATENCY_FACTOR = [1, 1.05, 1.15, 1.35];
/**
 * The end of a line from the comma before its status: status, error type,
 * region and line feed, for each outcome (success, then each error type) and
 * region, at `outcome × regions + region`.
 */
const LINE_ENDS = [',success,,', ...ERROR_TYPES.map((type) => `,error,${type},`)].flatMap((outcome) =>
  SIMULATED_REGIONS.map((region) => packText(`${outcome}${region}\n`)),
);

/** Share of a customer's calls served from its home region (the rest from any). */
const HOME_REGION_SHARE = 0.85;

/** Models that think before they answer: their output includes reasoning tokens. */
function isReasoningModel(model: string): boolean {
  return (
    /^(o\d|gpt-5|deepseek-r|.*-thinking|.*reasoning)/.test(model) || /^claude-(opus|sonnet)-4/.test(model)
  );
}

/** A customer's home region, from its time zone: the Americas, Europe and Africa, Asia and Oceania. */
function homeRegionOf(utcOffsetHours: number): number {
  if (utcOffsetHours <= -7) return 1;
  if (utcOffsetHours < -2) return 0;
  if (utcOffsetHours <= 4) return 2;
  return 3;
}
/** Sort keys pack the millisecond of the day above the call's slot: 2²⁶ slots a day, keys below 2⁵³. */
const SLOT_SCALE = 67_108_864;
const BUSINESS_START_HOUR = 8;
const BUSINESS_END_HOUR = 20;
const BUSINESS_SHARE = 0.85;
const BASE_PEAK_START_HOUR = 9;
const BASE_PEAK_END_HOUR = 17;
/** Hours of the core of the working day weigh this much more than the other business hours. */
const PEAK_WEIGHT = 2;
const BASE_WEEKEND_SHARE = 0.7;
/** Day-to-day variation of a customer's volume: × uniform(1 − x, 1 + x). */
const DAILY_NOISE = 0.15;
const TASK_MATCHES_FEATURE = 0.8;
const CUSTOMER_PREFERENCE = 0.6;
const PRIMARY_AGENT_SHARE = 0.85;
const PRODUCTION_SHARE = 0.95;
const STAGING_SHARE = 0.04;
/** Production, staging, the rest development: a draw below a running share picks its environment. */
const ENVIRONMENT_CUMULATIVE = Float64Array.of(PRODUCTION_SHARE, PRODUCTION_SHARE + STAGING_SHARE, 1);
const MAX_SESSIONS_A_DAY = 50;
const CALLS_PER_SESSION = 20;
const LAUNCH_TRIAL_CHANCE = 0.5;
const MIN_LATENCY_MS = 50;
/** ln 99: the S-curve of a migration runs from 1 % to 99 % over its duration. */
const LN_99 = 4.59511985013459;
const MAX_LATENCY_MS = 30_000;

const KIND_REGULAR = 0;
const KIND_LAUNCH = 1;
/** A call of a model-hopping window: its slot's extra value is the model's index in the hopping pool. */
const KIND_HOP = 2;
/** A call of an oversized batch: a huge prompt, a tiny answer. */
const KIND_BATCH = 3;
/** A call of a costly session: its slot's extra value is the session's (and trace's) number. */
const KIND_SESSION = 4;
const MINUTES_A_DAY = 1440;
const SECONDS_A_DAY = 86_400;
/** Largest prompt a planted call gets: the most tokens the data format deems plausible. */
const MAX_PLANTED_TOKENS = DEFAULT_WARNING_THRESHOLDS.maxTokens;
const MS_PER_MINUTE = 60_000;

/** Task types in {@link KNOWN_FEATURES} order: chat, code_generation, summarization, translation, analysis, qa. */
const TASKS: readonly string[] = KNOWN_FEATURES;
const TASK_INDEX = new Map(TASKS.map((task, index) => [task, index]));
const ENVIRONMENTS: readonly Environment[] = ['production', 'staging', 'development'];
/** Task type, environment and the request id's prefix, packed, at `task × environments + environment`. */
const TASK_ENVIRONMENT_TEXTS = TASKS.flatMap((task) =>
  ENVIRONMENTS.map((environment) => packText(`${task},${environment},req_`)),
);
/** Each user agent between its commas. */
const USER_AGENT_TEXTS = USER_AGENTS.map((agent) => packText(`,${agent},`));
/** The fixed text between fields of a line, packed. */
const TRACE_PREFIX = packText(',trace_');
const SESSION_PREFIX = packText(',sess_');
const COMMA = 44;
const COLON = 58;
const DOT = 46;
const UNDERSCORE = 95;
/** Bytes of a line besides its text fields: digits, separators, fixed words (generously). */
const LINE_FIXED_BYTES = 256;
/** Tasks a call of a feature may run instead of the feature's own, by task index. */
const RELATED_TASKS: readonly (readonly number[])[] = [
  [5, 2], // chat → qa, summarization
  [4, 5], // code_generation → analysis, qa
  [4, 3], // summarization → analysis, translation
  [0, 2], // translation → chat, summarization
  [2, 1], // analysis → summarization, code_generation
  [0, 4], // qa → chat, analysis
];
/** Tasks a call of a launched feature runs. */
const LAUNCH_TASKS: readonly number[] = [0, 0, 0, 0, 0, 5, 5, 5, 4, 4];
/** Input and output size level (0 low, 1 medium, 2 high) of each task. */
const TOKEN_LEVELS: readonly (readonly [number, number])[] = [
  [1, 1], // chat
  [0, 2], // code_generation
  [2, 0], // summarization
  [1, 1], // translation
  [2, 1], // analysis
  [0, 0], // qa
];
const INPUT_RANGE = [100, 2000] as const;
const OUTPUT_RANGE = [50, 1500] as const;
/** Task complexity: 0 simple, 1 medium, 2 complex; decides how often premium models serve it. */
const TASK_COMPLEXITY: readonly number[] = [0, 2, 1, 0, 2, 0];
/** Weight of each model class (premium, standard, budget) by task complexity. */
const CLASS_WEIGHTS: readonly Readonly<Record<ModelPrice['class'], number>>[] = [
  { premium: 0.1, standard: 0.35, budget: 0.55 },
  { premium: 0.15, standard: 0.45, budget: 0.4 },
  { premium: 0.3, standard: 0.5, budget: 0.2 },
];

/** The low bound and width of a token size level within a range split in thirds. */
function levelBounds(range: readonly [number, number], level: number): [number, number] {
  const width = (range[1] - range[0]) / 3;
  return [range[0] + level * width, width];
}

/** A model as the generator uses it: its price and its `provider,model` CSV text. */
interface ModelEntry {
  price: ModelPrice;
  providerIndex: number;
  /** `provider,model`, escaped for CSV. */
  csv: string;
  /** {@link csv} between commas, packed. */
  packed: PackedText;
  /** Whether the model's output includes reasoning tokens. */
  reasoning: boolean;
  /** Whether the model prices cache reads below uncached input. */
  caches: boolean;
  /** The price period last used: calls are priced at the period in force on their day. */
  period: ModelPrice;
}

/** A customer with everything the hot loop needs precomputed. */
class CustomerState {
  readonly customer: Customer;
  /** `customer_id,subscription_tier,organization_id,product_id`, escaped for CSV. */
  readonly csv: string;
  readonly featureIds: readonly string[];
  /**
   * {@link csv} between commas then each of {@link featureIds} and its
   * comma, then the launched feature and its comma (at `featureIds.length`),
   * packed: the run of fields a call writes before its task.
   */
  readonly featureTexts: readonly PackedText[];
  /** The customer's own user agent between commas, packed. */
  readonly userAgentText: PackedText;
  readonly featureTasks: Int8Array;
  readonly featureCumulative: Float64Array;
  readonly tokenScale: number;
  readonly preferredProvider: number;
  readonly organizationProvider: number;
  /** Share of the day's calls in each UTC hour (sums to 1). */
  readonly hourShape: Float64Array;
  readonly sessions = new Int32Array(MAX_SESSIONS_A_DAY);
  sessionCount = 0;
  /** Index in {@link SIMULATED_REGIONS} of the region most of its calls are served from. */
  readonly homeRegion: number;

  constructor(
    customer: Customer,
    providerIndex: ReadonlyMap<string, number>,
    peak: readonly [number, number],
    launchFeatureCsv: string,
  ) {
    this.customer = customer;
    this.csv = [customer.id, customer.tier, customer.organizationId, customer.productId]
      .map((value) => escapeCsvField(value))
      .join(',');
    this.featureIds = customer.features.map((entry) => entry.feature);
    this.featureTexts = [...this.featureIds.map((feature) => escapeCsvField(feature)), launchFeatureCsv].map(
      (feature) => packText(`,${this.csv},${feature},`),
    );
    this.userAgentText = packText(`,${customer.userAgent},`);
    this.featureTasks = Int8Array.from(customer.features, (entry) => TASK_INDEX.get(entry.feature) ?? 0);
    this.featureCumulative = cumulativeWeights(customer.features.map((entry) => entry.weight));
    this.tokenScale = ARCHETYPES.find((profile) => profile.name === customer.archetype)?.tokenScale ?? 1;
    this.preferredProvider =
      customer.preferredProvider === undefined ? -1 : (providerIndex.get(customer.preferredProvider) ?? -1);
    this.organizationProvider =
      customer.organizationProvider === undefined
        ? -1
        : (providerIndex.get(customer.organizationProvider) ?? -1);
    this.hourShape = hourShape(customer.timeZone?.utcOffsetHours ?? 0, peak);
    this.homeRegion = homeRegionOf(customer.timeZone?.utcOffsetHours ?? 0);
  }
}

/**
 * Share of a day's calls in each UTC hour for someone living at `offsetHours`
 * from UTC: 85 % within local business hours (08:00–20:00, plus the peak),
 * the peak hours weighing double, 15 % spread over the rest of the day.
 */
export function hourShape(offsetHours: number, peak: readonly [number, number]): Float64Array {
  const local = new Float64Array(24);
  let business = 0;
  let outside = 0;
  for (let hour = 0; hour < 24; hour++) {
    const inPeak = hour >= peak[0] && hour < peak[1];
    if (inPeak || (hour >= BUSINESS_START_HOUR && hour < BUSINESS_END_HOUR)) {
      local[hour] = inPeak ? PEAK_WEIGHT : 1;
      business += local[hour] ?? 0;
    } else {
      local[hour] = -1;
      outside++;
    }
  }
  const shape = new Float64Array(24);
  for (let hour = 0; hour < 24; hour++) {
    const weight = local[hour] ?? 0;
    const share = weight < 0 ? (1 - BUSINESS_SHARE) / outside : (BUSINESS_SHARE * weight) / business;
    // UTC hour h is local hour h + offset.
    shape[(((hour - offsetHours) % 24) + 24) % 24] = share;
  }
  return shape;
}

/** Keys of one second of the day: the key packs the millisecond above the slot. */
const KEYS_A_SECOND = 1000 * SLOT_SCALE;

/**
 * Copies `count` keys into `sorted` grouped by spans of the day, in
 * ascending spans (a counting sort); `starts` is scratch space of a day's
 * seconds plus one. A span is as many whole seconds as make about one key a
 * span: a day of a few thousand calls runs the sums over a few thousand
 * spans, not all 86,400 seconds. Each loop is its own function's so that
 * each is optimised on its own, and none is thrown out when the next first runs.
 */
function placeBySpan(keys: Float64Array, count: number, sorted: Float64Array, starts: Int32Array): void {
  const seconds = Math.max(1, Math.floor(SECONDS_A_DAY / Math.max(1, count)));
  const keysASpan = seconds * KEYS_A_SECOND;
  const spans = Math.ceil(SECONDS_A_DAY / seconds);
  starts.fill(0, 0, spans + 1);
  countBySpan(keys, count, starts, keysASpan);
  accumulateStarts(starts, spans);
  placeKeys(keys, count, sorted, starts, keysASpan);
}

/** Counts the keys of each span into `starts`, one place after the span's. */
function countBySpan(keys: Float64Array, count: number, starts: Int32Array, keysASpan: number): void {
  for (let index = 0; index < count; index++) {
    const next = (((keys[index] as number) / keysASpan) | 0) + 1;
    starts[next] = (starts[next] as number) + 1;
  }
}

/** Turns the counts of `spans` spans into where each span's keys start: running sums. */
function accumulateStarts(starts: Int32Array, spans: number): void {
  for (let span = 1; span <= spans; span++)
    starts[span] = (starts[span] as number) + (starts[span - 1] as number);
}

/** Copies each key to the next free place of its span. */
function placeKeys(
  keys: Float64Array,
  count: number,
  sorted: Float64Array,
  starts: Int32Array,
  keysASpan: number,
): void {
  for (let index = 0; index < count; index++) {
    const key = keys[index] as number;
    const span = (key / keysASpan) | 0;
    const place = starts[span] as number;
    sorted[place] = key;
    starts[span] = place + 1;
  }
}

/** Sorts the first `count` keys in place; fast when each is near its place, as after {@link placeBySpan}. */
function insertionSort(keys: Float64Array, count: number): void {
  for (let index = 1; index < count; index++) {
    const key = keys[index] as number;
    let position = index - 1;
    while (position >= 0 && (keys[position] as number) > key) {
      keys[position + 1] = keys[position] as number;
      position--;
    }
    keys[position + 1] = key;
  }
}

/**
 * The traffic generator: builds the population from the seed, then, day by
 * day, plans the day's calls (how many per customer and when, sorted by time)
 * and fills each call in time order. Every draw comes from one seeded stream
 * in a fixed order, so the output depends on the options alone.
 */
export class TrafficGenerator {
  readonly options: ResolvedSimulationOptions;
  readonly customers: readonly Customer[];
  private readonly random: SeededRandom;
  private readonly states: CustomerState[];
  private readonly providerCumulative: Float64Array;
  /** Cumulative model weights by task complexity, then provider. */
  private readonly modelCumulative: Float64Array[][];
  private readonly providerModels: ModelEntry[][];
  private readonly premiumOf: ModelEntry[];
  private readonly cheapestOf: ModelEntry[];
  private readonly migrationFrom: ModelEntry;
  private readonly migrationTo: ModelEntry;
  private readonly simpleTask: Uint8Array;
  private readonly optimizationCeiling: number;
  private readonly launchFeatureCsv: string;
  /** Scenario parameters read for every call, looked up once. */
  private readonly launchFeature: string;
  private readonly tenantProviderPreference: number;
  private readonly migrationBaselineShare: number;
  private readonly optimizationPremiumShare: number;
  private readonly sessionPremiumShare: number;
  /** The longest a line can be, in bytes: a chunk keeps this much room free for the next line. */
  readonly maxLineBytes: number;
  private readonly launchSpike: number;
  private readonly hourWave: Float64Array;

  // The day being generated.
  private dayIndex = -1;
  private dayNumber = 0;
  private dayPrefix = '';
  private dayCompact = '';
  private dayPrefixText: PackedText = packText('');
  /** `,call_` and the day's `YYYYMMDD`: the start of a call id. */
  private callIdPrefixText: PackedText = packText('');
  /** The buffer {@link writeLine} last wrote into, and a view of it. */
  private viewTarget: Uint8Array | undefined;
  private view = viewOf(new Uint8Array(0));
  private keys = new Float64Array(1 << 16);
  /** Where {@link sortKeys} places the keys by second; then the two arrays swap. */
  private sortedKeys = new Float64Array(1 << 16);
  /** Keys per span of the day, then where each span's keys start: room for spans of one second. */
  private readonly spanStarts = new Int32Array(SECONDS_A_DAY + 1);
  private slotCustomer = new Int32Array(1 << 16);
  private slotKind = new Uint8Array(1 << 16);
  private slotExtra = new Int32Array(1 << 16);
  /** Models a hopping window cycles through: every model of a provider with a share of calls. */
  private readonly hoppingPool: ModelEntry[];
  /** Indices of {@link hoppingPool}, partly shuffled for each window. */
  private readonly hoppingOrder: Int32Array;
  /** regional-latency: the slow route's provider and region, and the fast region (indices). */
  private readonly slowProvider: number;
  private readonly slowRegion: number;
  private readonly fastRegion: number;
  /*
   * The day's shares below are fractions, set by every planDay before use.
   * They start as a fraction, not 0: a field that first holds a whole number
   * and later a fraction changes the object's shape, and every optimised
   * method of the generator is thrown out and compiled again.
   */
  /** cache-adoption: the day's share of calls with cache reads. */
  private cacheAdoptionShare = Number.NaN;
  private count = 0;
  /** The day's volume share for the weekend cohort, the seasonal wave, the decline and the launch levels. */
  private weekendShare = Number.NaN;
  private seasonalDay = Number.NaN;
  private declineLevel = Number.NaN;
  private launchLevel = Number.NaN;
  /** ISO weekday of the day, 0 = Monday. */
  private weekday = 0;
  private migrationShare = Number.NaN;
  private optimizationSwitch = Number.NaN;
  private readonly weights = new Float64Array(24);
  private readonly hourCumulative = new Float64Array(24);

  // The call being filled.
  private previousMs = -1;
  private previousMicro = 0;
  private sequence = 0;
  private callMs = 0;
  private callMicro = 0;
  private state!: CustomerState;
  private featureId = '';
  private featureCsv = '';
  /** Index of the call's feature in its customer's features, `featureIds.length` for the launched one. */
  private featureSlot = 0;
  private task = 0;
  private model!: ModelEntry;
  private inputTokens = 0;
  private outputTokens = 0;
  private costMicros = 0;
  private latencyMs = 0;
  private environment: Environment = 'production';
  private environmentIndex = 0;
  private requestNumber = 0;
  private traceNumber = 0;
  private sessionNumber = 0;
  private userAgent = '';
  private userAgentText: PackedText = packText('');
  private cachedInputTokens = 0;
  private reasoningTokens = 0;
  /** Index in ERROR_TYPES of a failed call, -1 for a call that succeeded. */
  private errorType = -1;
  private region = 0;
  private readonly tokens = {
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  };

  constructor(options: ResolvedSimulationOptions) {
    this.options = options;
    this.random = new SeededRandom(options.seed);
    this.customers = buildPopulation(options, this.random);
    const { catalog, parameters } = options;

    const providers = providerShares(catalog);
    this.providerCumulative = providers.cumulative;
    const providerIndex = new Map(providers.names.map((name, index) => [name, index]));
    this.providerModels = providers.names.map((name, index) =>
      (catalog.providers.find((provider) => provider.name === name)?.models ?? []).map((price) => ({
        price,
        providerIndex: index,
        csv: `${escapeCsvField(price.provider)},${escapeCsvField(price.model)}`,
        packed: packText(`,${escapeCsvField(price.provider)},${escapeCsvField(price.model)},`),
        reasoning: isReasoningModel(price.model),
        caches: price.cacheReadPicosPerToken < price.inputPicosPerToken,
        period: price,
      })),
    );
    this.modelCumulative = CLASS_WEIGHTS.map((classWeights) =>
      this.providerModels.map((models) => {
        const perClass = new Map<string, number>();
        for (const entry of models)
          perClass.set(entry.price.class, (perClass.get(entry.price.class) ?? 0) + 1);
        return cumulativeWeights(
          models.map((entry) => classWeights[entry.price.class] / (perClass.get(entry.price.class) ?? 1)),
        );
      }),
    );
    const perCallPicos = (entry: ModelEntry): number =>
      entry.price.inputPicosPerToken + entry.price.outputPicosPerToken;
    this.premiumOf = this.providerModels.map((models) => {
      const premium = models.filter((entry) => entry.price.class === 'premium');
      const pool = premium.length > 0 ? premium : models;
      return pool.reduce((best, entry) => (perCallPicos(entry) > perCallPicos(best) ? entry : best));
    });
    this.cheapestOf = this.providerModels.map((models) =>
      models.reduce((best, entry) => (perCallPicos(entry) < perCallPicos(best) ? entry : best)),
    );

    const sharedProviders = new Set(providers.preferable);
    this.hoppingPool = this.providerModels
      .flat()
      .filter((entry) => sharedProviders.has(entry.price.provider));
    this.hoppingOrder = Int32Array.from(this.hoppingPool, (_, index) => index);
    const regional = parameters['regional-latency'];
    this.slowProvider = providerIndex.get(regional.slowProvider) ?? -1;
    this.slowRegion = SIMULATED_REGIONS.indexOf(regional.slowRegion as (typeof SIMULATED_REGIONS)[number]);
    this.fastRegion = SIMULATED_REGIONS.indexOf(regional.fastRegion as (typeof SIMULATED_REGIONS)[number]);

    const migration = parameters['model-migration'];
    this.migrationFrom = this.entryOf(migration.fromProvider, migration.fromModel);
    this.migrationTo = this.entryOf(migration.toProvider, migration.toModel);

    const optimization = parameters['cost-optimization'];
    this.simpleTask = Uint8Array.from(TASKS, (task) => (optimization.simpleTasks.includes(task) ? 1 : 0));
    this.optimizationCeiling = this.optimizationCeilingOf(optimization.reduction, optimization.premiumShare);

    const launch = parameters['feature-launch'];
    this.launchFeatureCsv = escapeCsvField(launch.feature);
    this.launchFeature = launch.feature;
    this.tenantProviderPreference = parameters['multi-tenant'].providerPreference;
    this.migrationBaselineShare = migration.baselineShare;
    this.optimizationPremiumShare = optimization.premiumShare;
    this.sessionPremiumShare = parameters['costly-sessions'].premiumShare;
    this.launchSpike = 0;
    const timezonePeak: readonly [number, number] = [
      parameters.timezones.peakStartHour,
      parameters.timezones.peakEndHour,
    ];
    this.states = this.customers.map(
      (customer) =>
        new CustomerState(
          customer,
          providerIndex,
          customer.cohort === 'timezones' ? timezonePeak : [BASE_PEAK_START_HOUR, BASE_PEAK_END_HOUR],
          this.launchFeatureCsv,
        ),
    );
    this.hourWave = Float64Array.from(
      { length: 24 },
      (_, hour) => parameters.seasonal.hourAmplitude * sinTurns(hour / 24),
    );
    const longest = (lengths: readonly number[]): number => lengths.reduce((a, b) => Math.max(a, b), 0);
    this.maxLineBytes =
      LINE_FIXED_BYTES +
      longest(this.providerModels.flat().map((entry) => entry.packed.length)) +
      longest(this.states.flatMap((state) => state.featureTexts.map((text) => text.length))) +
      longest(TASK_ENVIRONMENT_TEXTS.map((text) => text.length)) +
      longest(USER_AGENT_TEXTS.map((text) => text.length)) +
      SPILL_BYTES;
    if (this.customers.some((customer) => customer.cohort === 'feature-launch')) {
      this.launchSpike = this.random.uniform(launch.minSpike, launch.maxSpike);
    }
  }

  private entryOf(provider: string, model: string): ModelEntry {
    for (const models of this.providerModels) {
      for (const entry of models)
        if (entry.price.provider === provider && entry.price.model === model) return entry;
    }
    throw new RangeError(`${provider}/${model} is not in the price catalog`);
  }

  /**
   * The share of simple-task calls to move to each provider's cheapest model
   * so that their average cost falls by `reduction`, from the expected cost
   * per call before (premium share on the premium model, the rest as usual)
   * and after a full move.
   */
  private optimizationCeilingOf(reduction: number, premiumShare: number): number {
    let before = 0;
    let after = 0;
    let tasks = 0;
    const total = this.providerCumulative[this.providerCumulative.length - 1] ?? 1;
    for (let task = 0; task < TASKS.length; task++) {
      if (this.simpleTask[task] !== 1) continue;
      tasks++;
      const [inputLevel, outputLevel] = TOKEN_LEVELS[task] ?? [1, 1];
      const [inputLow, inputWidth] = levelBounds(INPUT_RANGE, inputLevel);
      const [outputLow, outputWidth] = levelBounds(OUTPUT_RANGE, outputLevel);
      const input = inputLow + inputWidth / 2;
      const output = outputLow + outputWidth / 2;
      const cost = (entry: ModelEntry): number =>
        input * entry.price.inputPicosPerToken + output * entry.price.outputPicosPerToken;
      const cumulative = this.modelCumulative[TASK_COMPLEXITY[task] ?? 0] ?? [];
      this.providerModels.forEach((models, provider) => {
        const share =
          ((this.providerCumulative[provider] ?? 0) - (this.providerCumulative[provider - 1] ?? 0)) / total;
        const weights = cumulative[provider] ?? new Float64Array(0);
        const weightTotal = weights[weights.length - 1] ?? 1;
        let usual = 0;
        models.forEach((entry, index) => {
          usual += (((weights[index] ?? 0) - (weights[index - 1] ?? 0)) / weightTotal) * cost(entry);
        });
        before +=
          share * (premiumShare * cost(this.premiumOf[provider] as ModelEntry) + (1 - premiumShare) * usual);
        after += share * cost(this.cheapestOf[provider] as ModelEntry);
      });
    }
    if (tasks === 0 || before <= after) return 0;
    return Math.min(1, (reduction * before) / (before - after));
  }

  /** UTC day number of the day being generated. */
  get currentDayNumber(): number {
    return this.dayNumber;
  }

  /** Calls filled so far over the whole run. */
  get callsFilled(): number {
    return this.sequence;
  }

  private addCall(customer: number, msInDay: number, kind: number, extra = 0): void {
    if (this.count === this.keys.length) {
      if (this.count >= SLOT_SCALE)
        throw new RangeError(`more than ${SLOT_SCALE} calls in one day: lower the volume`);
      const grow = this.count * 2;
      const keys = new Float64Array(grow);
      keys.set(this.keys);
      this.keys = keys;
      this.sortedKeys = new Float64Array(grow);
      const customers = new Int32Array(grow);
      customers.set(this.slotCustomer);
      this.slotCustomer = customers;
      const kinds = new Uint8Array(grow);
      kinds.set(this.slotKind);
      this.slotKind = kinds;
      const extras = new Int32Array(grow);
      extras.set(this.slotExtra);
      this.slotExtra = extras;
    }
    const slot = this.count++;
    this.keys[slot] = msInDay * SLOT_SCALE + slot;
    this.slotCustomer[slot] = customer;
    this.slotKind[slot] = kind;
    this.slotExtra[slot] = extra;
  }

  /** The first millisecond of a minute drawn within business hours, leaving `minutes` before their end. */
  private businessMinute(minutes: number): number {
    const last = Math.max(BUSINESS_START_HOUR * 60, BUSINESS_END_HOUR * 60 - Math.ceil(minutes));
    return this.random.integer(BUSINESS_START_HOUR * 60, last) * MS_PER_MINUTE;
  }

  /**
   * The calls the abuse, token and session scenarios add to a customer's
   * day on top of its ordinary traffic: floods, nightly runs, hopping
   * windows, batches and costly sessions. Draws happen only for the
   * cohorts that have them, so the other cohorts' streams are unchanged.
   */
  private planMarks(index: number, customer: Customer): void {
    const random = this.random;
    const { parameters } = this.options;
    switch (customer.cohort) {
      case 'minute-flood': {
        const flood = parameters['minute-flood'];
        if (!random.chance(flood.dayShare)) return;
        const calls = random.integer(flood.minCalls, flood.maxCalls);
        const start = this.businessMinute(flood.seconds / 60);
        for (let call = 0; call < calls; call++)
          this.addCall(index, start + Math.floor(random.next() * flood.seconds * 1000), KIND_REGULAR);
        return;
      }
      case 'off-hours': {
        const night = parameters['off-hours'];
        const calls = random.integer(night.minCalls, night.maxCalls);
        const offset = customer.timeZone?.utcOffsetHours ?? 0;
        const startMinute =
          ((((night.localHour - offset) * 60) % MINUTES_A_DAY) + MINUTES_A_DAY) % MINUTES_A_DAY;
        const spacing = (night.minutes * MS_PER_MINUTE) / calls;
        // Evenly spaced, as a scheduled job runs; a run past midnight wraps to the start of the same day.
        for (let call = 0; call < calls; call++)
          this.addCall(
            index,
            (startMinute * MS_PER_MINUTE + Math.floor(call * spacing)) % MS_PER_DAY,
            KIND_REGULAR,
          );
        return;
      }
      case 'model-hopping': {
        const hopping = parameters['model-hopping'];
        if (!random.chance(hopping.dayShare) || this.hoppingPool.length === 0) return;
        const calls = random.integer(hopping.minCalls, hopping.maxCalls);
        const start = this.businessMinute(hopping.windowMinutes);
        const models = Math.min(hopping.models, this.hoppingPool.length);
        const order = this.hoppingOrder;
        for (let pick = 0; pick < models; pick++) {
          const other = pick + random.below(order.length - pick);
          const chosen = order[other] as number;
          order[other] = order[pick] as number;
          order[pick] = chosen;
        }
        const spacing = (hopping.windowMinutes * MS_PER_MINUTE) / calls;
        for (let call = 0; call < calls; call++)
          this.addCall(index, start + Math.floor(call * spacing), KIND_HOP, order[call % models] as number);
        return;
      }
      case 'oversized-batch': {
        const batch = parameters['oversized-batch'];
        if (!random.chance(batch.dayShare)) return;
        const calls = random.integer(batch.minCalls, batch.maxCalls);
        const second = this.businessMinute(1) + random.below(60) * 1000;
        for (let call = 0; call < calls; call++) this.addCall(index, second + random.below(1000), KIND_BATCH);
        return;
      }
      case 'costly-sessions': {
        const sessions = parameters['costly-sessions'];
        if (!random.chance(sessions.dayShare)) return;
        const calls = random.integer(sessions.minCalls, sessions.maxCalls);
        const start = this.businessMinute(sessions.minutes);
        // Six digits: never one of the ordinary five-digit session numbers.
        const session = random.integer(100_000, 999_999);
        const windowMs = sessions.minutes * MS_PER_MINUTE;
        for (let call = 0; call < calls; call++)
          this.addCall(index, start + random.below(windowMs), KIND_SESSION, session);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Sorts the day's keys: placed by their span of the day (a counting sort),
   * then an insertion sort puts each span's few keys in order. The keys are
   * distinct, so the order is the one any sort gives; this one costs a pass
   * over the spans of the day instead of a comparison sort.
   */
  private sortKeys(): void {
    const sorted = this.sortedKeys;
    placeBySpan(this.keys, this.count, sorted, this.spanStarts);
    insertionSort(sorted, this.count);
    this.sortedKeys = this.keys;
    this.keys = sorted;
  }

  /** A millisecond of the day in an hour drawn from the prepared hour weights. */
  private drawTime(): number {
    const hour = this.random.pickCumulative(this.hourCumulative);
    return hour * MS_PER_HOUR + this.random.below(MS_PER_HOUR);
  }

  /** Volume multiplier of a customer's day from its cohort's scenario (0 = no calls). */
  private dayFactor(customer: Customer, weekday: number, weekendShare: number, declineLevel: number): number {
    const day = this.dayIndex;
    const { parameters } = this.options;
    let factor = customer.cohort === 'weekend' ? weekendShare : weekday >= 5 ? BASE_WEEKEND_SHARE : 1;
    switch (customer.cohort) {
      case 'decline':
        if (customer.churnDay !== undefined && day >= customer.churnDay) return 0;
        factor *= declineLevel;
        break;
      case 'steady-growth':
        factor *= 1 + (customer.dailyGrowth ?? 0) * day;
        break;
      case 'viral-spike': {
        const viral = parameters['viral-spike'];
        const growthDays = Math.min(Math.max(day - viral.startDay, 0), viral.growthDays);
        factor *= integerPower(1 + (customer.dailyGrowth ?? 0), growthDays);
        break;
      }
      case 'multi-tenant':
        factor *= customer.organizationVolume ?? 1;
        break;
      case 'churn-risk': {
        const churn = parameters['churn-risk'];
        const through = Math.min(1, Math.max(0, (day - churn.changeDay + 1) / churn.slideDays));
        factor *= 1 - through * (1 - churn.level);
        break;
      }
      case 'expansion': {
        const expansion = parameters.expansion;
        const through = Math.min(1, Math.max(0, (day - expansion.changeDay + 1) / expansion.rampDays));
        factor *= 1 + through * (expansion.level - 1);
        break;
      }
      default:
        break;
    }
    return factor;
  }

  /**
   * Plans day `dayIndex` (0 = the first day): draws every customer's calls of
   * the day and their times, and sorts them. Returns the number of calls;
   * fill them in order with {@link fill}. Each step is a method of its own:
   * a method this long compiles slowly, and compiles again whenever a
   * branch first taken on a later day (the first Saturday, a burst) throws
   * its optimised code out.
   */
  planDay(dayIndex: number): number {
    this.dayIndex = dayIndex;
    this.dayNumber = this.options.startDay + dayIndex;
    const date = civilFromDays(this.dayNumber);
    const month = TWO_DIGITS[date.month] as string;
    const dayOfMonth = TWO_DIGITS[date.day] as string;
    const year = String(date.year).padStart(4, '0');
    this.dayPrefix = `${year}-${month}-${dayOfMonth}T`;
    this.dayCompact = `${year}${month}${dayOfMonth}`;
    this.dayPrefixText = packText(this.dayPrefix);
    this.callIdPrefixText = packText(`,call_${this.dayCompact}`);
    this.count = 0;
    this.previousMs = -1;
    this.weekday = weekdayOf(this.dayNumber);
    this.drawWeekendShare(dayIndex);
    this.dayLevels(dayIndex, date.day);
    for (let index = 0; index < this.states.length; index++) this.planCustomer(index);
    this.sortKeys();
    return this.count;
  }

  /** The day's volume for the weekend cohort: a holiday's, a Saturday's or a Sunday's share, drawn. */
  private drawWeekendShare(dayIndex: number): void {
    const random = this.random;
    const weekend = this.options.parameters.weekend;
    let weekendShare = 1;
    if (weekend.holidays.includes(dayIndex)) {
      weekendShare = random.uniform(weekend.holidayShare[0], weekend.holidayShare[1]);
    } else if (this.weekday === 5) {
      weekendShare = random.uniform(weekend.saturdayShare[0], weekend.saturdayShare[1]);
    } else if (this.weekday === 6) {
      weekendShare = random.uniform(weekend.sundayShare[0], weekend.sundayShare[1]);
    }
    this.weekendShare = weekendShare;
  }

  /** The scenarios' levels on the day: seasonal wave, decline, migration, optimisation, launch, cache adoption. */
  private dayLevels(dayIndex: number, dayOfMonth: number): void {
    const { parameters } = this.options;
    const seasonal = parameters.seasonal;
    this.seasonalDay =
      1 +
      seasonal.weekdayAmplitude * sinTurns(this.weekday / 7) +
      seasonal.monthAmplitude * sinTurns(dayOfMonth / 30);
    const decline = parameters.decline;
    this.declineLevel = Math.max(decline.floor, integerPower(1 - decline.dailyDecline, dayIndex));
    const migration = parameters['model-migration'];
    const migrationEnd = migration.startDay + migration.durationDays;
    this.migrationShare =
      dayIndex < migration.startDay
        ? 0
        : dayIndex >= migrationEnd
          ? 1
          : logistic(
              ((2 * LN_99) / migration.durationDays) *
                (dayIndex - migration.startDay - migration.durationDays / 2),
            );
    const optimization = parameters['cost-optimization'];
    const progress = (dayIndex - optimization.startDay) / (optimization.endDay - optimization.startDay);
    this.optimizationSwitch = this.optimizationCeiling * Math.min(1, Math.max(0, progress));
    const launch = parameters['feature-launch'];
    this.launchLevel =
      dayIndex < launch.launchDay
        ? 0
        : 1 + (this.launchSpike - 1) * exactExp(-(dayIndex - launch.launchDay) / launch.spikeFadeDays);
    const cache = parameters['cache-adoption'];
    const adoption = Math.min(1, Math.max(0, (dayIndex - cache.startDay) / (cache.endDay - cache.startDay)));
    this.cacheAdoptionShare = cache.fromShare + adoption * (cache.toShare - cache.fromShare);
  }

  /** Draws customer `index`'s calls of the day: its ordinary traffic, then its scenario's, then its sessions. */
  private planCustomer(index: number): void {
    const random = this.random;
    const state = this.states[index] as CustomerState;
    const customer = state.customer;
    state.sessionCount = 0;
    const factor = this.dayFactor(customer, this.weekday, this.weekendShare, this.declineLevel);
    if (factor <= 0) return;
    const total = this.hourWeights(state);
    if (total <= 0) return;
    const expected = customer.callsPerDay * factor * total;
    const noisy = expected * random.uniform(1 - DAILY_NOISE, 1 + DAILY_NOISE);
    const calls = Math.floor(noisy + random.next());
    const first = this.count;
    this.planCalls(index, calls, KIND_REGULAR);
    const cohort = customer.cohort;
    if (cohort === 'burst' && random.chance(this.options.parameters.burst.dayShare))
      this.planBurst(index, expected, total);
    if (cohort === 'feature-launch' && this.launchLevel > 0) this.planLaunch(index, customer, noisy);
    this.planMarks(index, customer);
    const dayCalls = this.count - first;
    if (dayCalls > 0) {
      state.sessionCount = Math.min(MAX_SESSIONS_A_DAY, 1 + Math.floor(dayCalls / CALLS_PER_SESSION));
      for (let session = 0; session < state.sessionCount; session++)
        state.sessions[session] = random.integer(10_000, 99_999);
    }
  }

  /**
   * The customer's weight of each UTC hour on the day, into {@link weights}
   * and their running sums into {@link hourCumulative}; returns the total.
   */
  private hourWeights(state: CustomerState): number {
    const weekend = this.options.parameters.weekend;
    const cohort = state.customer.cohort;
    const weights = this.weights;
    const cumulative = this.hourCumulative;
    let total = 0;
    for (let hour = 0; hour < 24; hour++) {
      let weight = state.hourShape[hour] ?? 0;
      if (cohort === 'seasonal') weight *= Math.max(0, this.seasonalDay + (this.hourWave[hour] ?? 0));
      else if (cohort === 'weekend' && this.weekday === 4 && hour >= weekend.fridayTaperHour) {
        const span = Math.max(1, BUSINESS_END_HOUR - weekend.fridayTaperHour);
        const through = Math.min(1, (hour - weekend.fridayTaperHour) / span);
        weight *= 1 - through * (1 - weekend.fridayEveningShare);
      }
      weights[hour] = weight;
      total += weight;
      cumulative[hour] = total;
    }
    return total;
  }

  /** Adds `calls` calls of `kind` for customer `index`, each at a time drawn from the hour weights. */
  private planCalls(index: number, calls: number, kind: number): void {
    for (let call = 0; call < calls; call++) this.addCall(index, this.drawTime(), kind);
  }

  /** burst: a window of business hours with a multiple of the calls the customer would make in it. */
  private planBurst(index: number, expected: number, total: number): void {
    const random = this.random;
    const burst = this.options.parameters.burst;
    const hours = random.integer(burst.minHours, burst.maxHours);
    const startHour = random.integer(
      BUSINESS_START_HOUR,
      Math.max(BUSINESS_START_HOUR, BUSINESS_END_HOUR - hours),
    );
    const multiplier = random.uniform(burst.minMultiplier, burst.maxMultiplier);
    let windowWeight = 0;
    for (let hour = startHour; hour < Math.min(24, startHour + hours); hour++)
      windowWeight += this.weights[hour] ?? 0;
    const extra = Math.round(((expected * windowWeight) / total) * (multiplier - 1));
    const windowMs = (Math.min(24, startHour + hours) - startHour) * MS_PER_HOUR;
    for (let call = 0; call < extra; call++) {
      this.addCall(index, startHour * MS_PER_HOUR + random.below(windowMs), KIND_REGULAR);
    }
  }

  /** feature-launch: the launched feature's calls, steady for adopters, a trial or two on launch day for the rest. */
  private planLaunch(index: number, customer: Customer, noisy: number): void {
    const random = this.random;
    const launch = this.options.parameters['feature-launch'];
    let launchCalls = 0;
    if (customer.launchAdopter) {
      launchCalls = Math.floor(noisy * launch.steadyShare * this.launchLevel + random.next());
    } else if (this.dayIndex === launch.launchDay && random.chance(LAUNCH_TRIAL_CHANCE)) {
      launchCalls = random.integer(1, 2);
    }
    this.planCalls(index, launchCalls, KIND_LAUNCH);
  }

  /**
   * Fills the `position`-th call of the planned day (positions in increasing
   * order). Each step is a method of its own: the steps together are too
   * large for the compiler to inline every draw into one function, and a
   * draw that is not inlined returns its number boxed.
   */
  fill(position: number): void {
    const key = this.keys[position] ?? 0;
    const ms = Math.floor(key / SLOT_SCALE);
    const slot = key - ms * SLOT_SCALE;
    const state = this.states[this.slotCustomer[slot] ?? 0] as CustomerState;
    this.state = state;
    this.placeCall(ms);
    const kind = this.slotKind[slot] ?? KIND_REGULAR;
    const task = this.drawTask(state, kind);
    this.drawTokens(state.tokenScale, task);
    if (kind >= KIND_HOP) this.plantTokens(kind);
    const model = this.drawModel(state, task, kind, slot);
    this.model = model;
    this.drawLatency(model);
    this.drawIdentifiers(state, kind, slot);
    this.fillVersion2(state, task, model);
    this.sequence++;
  }

  /** The call's microsecond: calls within one millisecond keep their order down to the microsecond. */
  private placeCall(ms: number): void {
    let micro = this.random.below(1000);
    if (ms === this.previousMs && micro < this.previousMicro) micro = this.previousMicro;
    this.previousMs = ms;
    this.previousMicro = micro;
    this.callMs = ms;
    this.callMicro = micro;
  }

  /** The call's feature (the launched one for a launch call) and its task; returns the task. */
  private drawTask(state: CustomerState, kind: number): number {
    const random = this.random;
    let task: number;
    if (kind === KIND_LAUNCH) {
      this.featureId = this.launchFeature;
      this.featureCsv = this.launchFeatureCsv;
      this.featureSlot = state.featureIds.length;
      task = LAUNCH_TASKS[random.below(LAUNCH_TASKS.length)] ?? 0;
    } else {
      const feature = random.pickCumulative(state.featureCumulative);
      this.featureId = state.featureIds[feature] as string;
      this.featureCsv = this.featureId;
      this.featureSlot = feature;
      task = state.featureTasks[feature] ?? 0;
      if (!random.chance(TASK_MATCHES_FEATURE)) {
        const related = RELATED_TASKS[task] as readonly number[];
        task = related[random.below(related.length)] ?? task;
      }
    }
    this.task = task;
    return task;
  }

  /** The call's input and output tokens, from its task's size levels. */
  private drawTokens(tokenScale: number, task: number): void {
    const random = this.random;
    const levels = TOKEN_LEVELS[task] as readonly [number, number];
    const inputWidth = (INPUT_RANGE[1] - INPUT_RANGE[0]) / 3;
    const outputWidth = (OUTPUT_RANGE[1] - OUTPUT_RANGE[0]) / 3;
    const inputSpread = (random.next() + random.next()) / 2;
    const outputSpread = (random.next() + random.next()) / 2;
    this.inputTokens = Math.max(
      1,
      Math.round(tokenScale * (INPUT_RANGE[0] + (levels[0] + inputSpread) * inputWidth)),
    );
    this.outputTokens = Math.max(
      1,
      Math.round(tokenScale * (OUTPUT_RANGE[0] + (levels[1] + outputSpread) * outputWidth)),
    );
  }

  /** The call's provider, then its model: the scenarios' choices first, else by the task's complexity. */
  private drawModel(state: CustomerState, task: number, kind: number, slot: number): ModelEntry {
    const random = this.random;
    const provider = this.drawProvider(state);
    const cohort = state.customer.cohort;
    let model: ModelEntry | undefined;
    if (cohort === 'model-migration' && random.chance(this.migrationBaselineShare)) {
      model = random.chance(this.migrationShare) ? this.migrationTo : this.migrationFrom;
    } else if (cohort === 'cost-optimization' && this.simpleTask[task] === 1) {
      if (random.chance(this.optimizationSwitch)) model = this.cheapestOf[provider];
      else if (random.chance(this.optimizationPremiumShare)) model = this.premiumOf[provider];
    }
    if (kind === KIND_HOP) model = this.hoppingPool[this.slotExtra[slot] ?? 0];
    else if (kind === KIND_SESSION && random.chance(this.sessionPremiumShare))
      model = this.premiumOf[provider];
    if (model === undefined) {
      const byProvider = this.modelCumulative[TASK_COMPLEXITY[task] ?? 0] as Float64Array[];
      model = (this.providerModels[provider] as ModelEntry[])[
        random.pickCumulative(byProvider[provider] as Float64Array)
      ] as ModelEntry;
    }
    return model;
  }

  /** The call's provider: its organization's or its own preference, else by the providers' shares. */
  private drawProvider(state: CustomerState): number {
    const random = this.random;
    if (state.organizationProvider >= 0 && random.chance(this.tenantProviderPreference))
      return state.organizationProvider;
    if (state.preferredProvider >= 0 && random.chance(CUSTOMER_PREFERENCE)) return state.preferredProvider;
    return random.pickCumulative(this.providerCumulative);
  }

  /** The call's latency before its region and outcome: its tokens at the model's speed, give or take 30 %. */
  private drawLatency(model: ModelEntry): void {
    const latency = Math.round(
      (this.inputTokens + this.outputTokens) * 2 * model.price.latencyFactor * this.random.uniform(0.7, 1.3),
    );
    this.latencyMs =
      latency < MIN_LATENCY_MS ? MIN_LATENCY_MS : latency > MAX_LATENCY_MS ? MAX_LATENCY_MS : latency;
  }

  /** The call's environment, request, trace and session numbers and user agent. */
  private drawIdentifiers(state: CustomerState, kind: number, slot: number): void {
    const random = this.random;
    this.environmentIndex = random.pickCumulative(ENVIRONMENT_CUMULATIVE);
    this.environment = ENVIRONMENTS[this.environmentIndex] as Environment;
    this.requestNumber = 100_000 + random.below(900_000);
    this.traceNumber = 100_000 + random.below(900_000);
    this.sessionNumber = state.sessions[random.below(state.sessionCount)] ?? 10_000;
    if (random.chance(PRIMARY_AGENT_SHARE)) {
      this.userAgent = state.customer.userAgent;
      this.userAgentText = state.userAgentText;
    } else {
      const agent = random.below(USER_AGENTS.length);
      this.userAgent = USER_AGENTS[agent] as string;
      this.userAgentText = USER_AGENT_TEXTS[agent] as PackedText;
    }
    if (kind === KIND_SESSION) {
      // One costly session is one trace.
      this.sessionNumber = this.slotExtra[slot] ?? 0;
      this.traceNumber = this.sessionNumber;
    }
  }

  /**
   * Failures, prompt-cache reads, reasoning tokens and the region, drawn after
   * everything else so that the draws before them stay as they were; then the
   * cost, every kind of token at its own price.
   */
  private fillVersion2(state: CustomerState, task: number, model: ModelEntry): void {
    const random = this.random;
    this.errorType = random.chance(FAILURE_SHARE) ? random.pickCumulative(ERROR_CUMULATIVE) : -1;
    const cohort = state.customer.cohort;
    let latencyFactor: number;
    if (cohort === 'regional-latency') {
      latencyFactor = this.regionalRoute(task, model);
    } else {
      const hitShare = cohort === 'cache-adoption' ? this.cacheAdoptionShare : (CACHE_HIT_SHARE[task] ?? 0);
      this.cachedInputTokens = model.caches && random.chance(hitShare) ? this.cachedPart() : 0;
      this.region = random.chance(HOME_REGION_SHARE)
        ? state.homeRegion
        : random.below(SIMULATED_REGIONS.length);
      latencyFactor = REGION_LATENCY_FACTOR[this.region] as number;
    }
    let latency = Math.round(this.latencyMs * latencyFactor);
    if (this.errorType >= 0) {
      this.outputTokens = 0;
      // A timeout waits out the limit; the other failures answer at once.
      latency =
        ERROR_TYPES[this.errorType] === 'timeout' ? MAX_LATENCY_MS : MIN_LATENCY_MS + random.below(400);
    }
    this.latencyMs = latency > MAX_LATENCY_MS ? MAX_LATENCY_MS : latency;
    this.reasoningTokens =
      model.reasoning && this.outputTokens > 0
        ? random.portion(this.outputTokens, REASONING_RANGE[0], REASONING_RANGE[1])
        : 0;
    const tokens = this.tokens;
    tokens.inputTokens = this.inputTokens;
    tokens.cachedInputTokens = this.cachedInputTokens;
    tokens.outputTokens = this.outputTokens;
    tokens.reasoningTokens = this.reasoningTokens;
    this.costMicros = priceCallMicros(this.periodOf(model), tokens);
  }

  /** Cache reads of a call that hits the cache: a share of its input. */
  private cachedPart(): number {
    return this.random.portion(this.inputTokens, CACHED_INPUT_RANGE[0], CACHED_INPUT_RANGE[1]);
  }

  /**
   * regional-latency: the region drawn evenly (every route gets traffic),
   * cache reads (more of them in the fast region), and the latency factor
   * of the route: the slow provider's route through the slow region and the
   * fast region stand out from the regions' usual factors.
   */
  private regionalRoute(task: number, model: ModelEntry): number {
    const random = this.random;
    const regional = this.options.parameters['regional-latency'];
    this.region = random.below(SIMULATED_REGIONS.length);
    const fast = this.region === this.fastRegion;
    const hitShare = fast ? regional.fastCacheShare : (CACHE_HIT_SHARE[task] ?? 0);
    this.cachedInputTokens = model.caches && random.chance(hitShare) ? this.cachedPart() : 0;
    let factor = REGION_LATENCY_FACTOR[this.region] as number;
    if (fast) factor *= regional.fastFactor;
    if (this.region === this.slowRegion && model.providerIndex === this.slowProvider)
      factor *= regional.slowFactor;
    return factor;
  }

  /**
   * Oversized batches and costly sessions: bigger prompts (and, for a batch,
   * a tiny answer), kept within the data format's plausible token count so
   * that the reader takes them without a warning.
   */
  private plantTokens(kind: number): void {
    const { parameters } = this.options;
    if (kind === KIND_BATCH) {
      const batch = parameters['oversized-batch'];
      this.inputTokens = Math.min(MAX_PLANTED_TOKENS, Math.round(this.inputTokens * batch.inputMultiplier));
      this.outputTokens = this.random.integer(1, batch.maxOutputTokens);
    } else if (kind === KIND_SESSION) {
      const multiplier = parameters['costly-sessions'].inputMultiplier;
      this.inputTokens = Math.min(MAX_PLANTED_TOKENS, Math.round(this.inputTokens * multiplier));
    }
  }

  /** The model's price at the call's time (the catalog's price history), the latest when none was in force yet. */
  private periodOf(model: ModelEntry): ModelPrice {
    const timeMs = this.dayNumber * MS_PER_DAY + this.callMs;
    const period = model.period;
    if (
      (period.effectiveFromMs === undefined || period.effectiveFromMs <= timeMs) &&
      (period.effectiveUntilMs === undefined || timeMs < period.effectiveUntilMs)
    ) {
      return period;
    }
    model.period =
      this.options.catalog.resolve(model.price.provider, model.price.model, timeMs) ?? model.price;
    return model.period;
  }

  private timeOfDay(): { hour: number; minute: number; second: number; milli: number } {
    const ms = this.callMs;
    const hour = Math.floor(ms / MS_PER_HOUR);
    const inHour = ms - hour * MS_PER_HOUR;
    const minute = Math.floor(inHour / 60_000);
    const inMinute = inHour - minute * 60_000;
    const second = Math.floor(inMinute / 1000);
    return { hour, minute, second, milli: inMinute - second * 1000 };
  }

  private sequenceText(): string {
    const sequence = this.sequence;
    if (sequence >= 1_000_000) return String(sequence);
    const thousands = Math.floor(sequence / 1000);
    return (THREE_DIGITS[thousands] as string) + (THREE_DIGITS[sequence - thousands * 1000] as string);
  }

  /** The filled call as a CSV line with its line feed (the schema writer's format). */
  line(): string {
    const ms = this.callMs;
    const hour = Math.floor(ms / MS_PER_HOUR);
    const inHour = ms - hour * MS_PER_HOUR;
    const minute = Math.floor(inHour / 60_000);
    const inMinute = inHour - minute * 60_000;
    const second = Math.floor(inMinute / 1000);
    const milli = inMinute - second * 1000;
    const hh = TWO_DIGITS[hour] as string;
    const mm = TWO_DIGITS[minute] as string;
    const ss = TWO_DIGITS[second] as string;
    const cost = this.costMicros;
    const dollars = Math.floor(cost / 1_000_000);
    const fraction = cost - dollars * 1_000_000;
    const fractionHigh = Math.floor(fraction / 1000);
    return (
      this.dayPrefix +
      hh +
      ':' +
      mm +
      ':' +
      ss +
      '.' +
      THREE_DIGITS[milli] +
      THREE_DIGITS[this.callMicro] +
      ',call_' +
      this.dayCompact +
      hh +
      mm +
      ss +
      '_' +
      this.sequenceText() +
      ',' +
      this.model.csv +
      ',' +
      this.inputTokens +
      ',' +
      this.outputTokens +
      ',' +
      dollars +
      '.' +
      THREE_DIGITS[fractionHigh] +
      THREE_DIGITS[fraction - fractionHigh * 1000] +
      ',' +
      this.latencyMs +
      ',' +
      this.state.csv +
      ',' +
      this.featureCsv +
      ',' +
      TASKS[this.task] +
      ',' +
      this.environment +
      ',req_' +
      this.requestNumber +
      ',trace_' +
      this.traceNumber +
      ',sess_' +
      this.sessionNumber +
      ',' +
      this.userAgent +
      ',' +
      this.cachedInputTokens +
      ',' +
      this.reasoningTokens +
      (this.errorType < 0 ? ',success,,' : `,error,${ERROR_TYPES[this.errorType] as string},`) +
      (SIMULATED_REGIONS[this.region] as string) +
      '\n'
    );
  }

  /**
   * Writes the filled call's CSV line, line feed included, into `target` at
   * `offset` (with at least {@link maxLineBytes} free) and returns the offset
   * after it: the same bytes as {@link line}, without building a string.
   */
  writeLine(target: Uint8Array, offset: number): number {
    return this.writeLineInto(target === this.viewTarget ? this.view : this.viewOver(target), offset);
  }

  /**
   * {@link writeLine} through a view of the buffer: writes the line at
   * `offset` (with at least {@link maxLineBytes} free, some of which it may
   * overwrite past the line) and returns the offset after it.
   */
  writeLineInto(view: DataView, offset: number): number {
    const ms = this.callMs;
    // A millisecond of the day fits 32 bits: `| 0` truncates as `Math.floor` does, for less.
    const hour = (ms / MS_PER_HOUR) | 0;
    const inHour = ms - hour * MS_PER_HOUR;
    const minute = (inHour / 60_000) | 0;
    const inMinute = inHour - minute * 60_000;
    const second = (inMinute / 1000) | 0;
    const milli = inMinute - second * 1000;
    let at = putPacked(view, offset, this.dayPrefixText);
    at = putTwoDigits(view, at, hour);
    view.setUint8(at++, COLON);
    at = putTwoDigits(view, at, minute);
    view.setUint8(at++, COLON);
    at = putTwoDigits(view, at, second);
    view.setUint8(at++, DOT);
    at = putSixDigits(view, at, milli * 1000 + this.callMicro);
    at = putPacked(view, at, this.callIdPrefixText);
    at = putTwoDigits(view, at, hour);
    at = putTwoDigits(view, at, minute);
    at = putTwoDigits(view, at, second);
    view.setUint8(at++, UNDERSCORE);
    at =
      this.sequence >= 1_000_000 ? putNumber(view, at, this.sequence) : putSixDigits(view, at, this.sequence);
    at = putPacked(view, at, this.model.packed);
    at = this.writeFigures(view, at);
    at = putPacked(view, at, this.state.featureTexts[this.featureSlot] as PackedText);
    at = putPacked(
      view,
      at,
      TASK_ENVIRONMENT_TEXTS[this.task * ENVIRONMENTS.length + this.environmentIndex] as PackedText,
    );
    // Request and trace numbers always have six digits.
    at = putSixDigits(view, at, this.requestNumber);
    at = putPacked(view, at, TRACE_PREFIX);
    at = putSixDigits(view, at, this.traceNumber);
    at = putPacked(view, at, SESSION_PREFIX);
    at = putNumber(view, at, this.sessionNumber);
    at = putPacked(view, at, this.userAgentText);
    at = putNumber(view, at, this.cachedInputTokens);
    view.setUint8(at++, COMMA);
    at = putNumber(view, at, this.reasoningTokens);
    const lineEnd = (this.errorType + 1) * SIMULATED_REGIONS.length + this.region;
    return putPacked(view, at, LINE_ENDS[lineEnd] as PackedText);
  }

  /** Writes tokens, cost and latency, `input,output,cost,latency`; returns the offset after them. */
  private writeFigures(view: DataView, offset: number): number {
    const cost = this.costMicros;
    const dollars = Math.floor(cost / 1_000_000);
    let at = putNumber(view, offset, this.inputTokens);
    view.setUint8(at++, COMMA);
    at = putNumber(view, at, this.outputTokens);
    view.setUint8(at++, COMMA);
    at = putNumber(view, at, dollars);
    view.setUint8(at++, DOT);
    at = putSixDigits(view, at, cost - dollars * 1_000_000);
    view.setUint8(at++, COMMA);
    return putNumber(view, at, this.latencyMs);
  }

  /** A view of a buffer {@link writeLine} writes into, kept for the lines that follow. */
  private viewOver(target: Uint8Array): DataView {
    this.viewTarget = target;
    this.view = viewOf(target);
    return this.view;
  }

  /** The filled call as a record. */
  record(): CallRecord {
    const { hour, minute, second, milli } = this.timeOfDay();
    const hh = TWO_DIGITS[hour] as string;
    const mm = TWO_DIGITS[minute] as string;
    const ss = TWO_DIGITS[second] as string;
    const customer = this.state.customer;
    return {
      timestamp: `${this.dayPrefix}${hh}:${mm}:${ss}.${THREE_DIGITS[milli]}${THREE_DIGITS[this.callMicro]}`,
      timeMs: this.dayNumber * MS_PER_DAY + this.callMs,
      callId: `call_${this.dayCompact}${hh}${mm}${ss}_${this.sequenceText()}`,
      provider: this.model.price.provider,
      model: this.model.price.model,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costMicros: this.costMicros,
      latencyMs: this.latencyMs,
      customerId: customer.id,
      subscriptionTier: customer.tier,
      organizationId: customer.organizationId,
      productId: customer.productId,
      featureId: this.featureId,
      taskType: TASKS[this.task] as string,
      environment: this.environment,
      requestId: `req_${this.requestNumber}`,
      traceId: `trace_${this.traceNumber}`,
      sessionId: `sess_${this.sessionNumber}`,
      userAgent: this.userAgent,
      cachedInputTokens: this.cachedInputTokens,
      reasoningTokens: this.reasoningTokens,
      status: this.errorType < 0 ? 'success' : 'error',
      errorType: this.errorType < 0 ? '' : (ERROR_TYPES[this.errorType] as string),
      region: SIMULATED_REGIONS[this.region] as string,
    };
  }
}
