import {
  defaultCatalog,
  KNOWN_FEATURES,
  MS_PER_DAY,
  parseUtcDay,
  type PriceCatalog,
  SUBSCRIPTION_TIERS,
} from '@finops/schema';

/** Regions calls are served from (the `region` column), in the order of their index in the generator. */
export const SIMULATED_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'] as const;

/** The twenty scenarios, in the order the `all` run lays out its cohorts. */
export const SCENARIO_NAMES = [
  'seasonal',
  'burst',
  'decline',
  'multi-tenant',
  'model-migration',
  'weekend',
  'timezones',
  'feature-launch',
  'cost-optimization',
  'steady-growth',
  'viral-spike',
  'regional-latency',
  'minute-flood',
  'off-hours',
  'model-hopping',
  'oversized-batch',
  'cache-adoption',
  'churn-risk',
  'expansion',
  'costly-sessions',
] as const;

/** The name of one scenario. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** What to simulate: plain traffic, one scenario over the whole population, or every scenario in cohorts. */
export type ScenarioChoice = 'base' | ScenarioName | 'all';

/** True when `value` names a scenario choice (`base`, `all` or one of {@link SCENARIO_NAMES}). */
export function isScenarioChoice(value: string): value is ScenarioChoice {
  return value === 'base' || value === 'all' || (SCENARIO_NAMES as readonly string[]).includes(value);
}

/** Seasonal: volume × (1 + a·sin(2π·weekday/7) + b·sin(2π·hour/24) + c·sin(2π·day of month/30)). */
export interface SeasonalParameters {
  /** a: weekly wave amplitude (weekday 0 = Monday). */
  weekdayAmplitude: number;
  /** b: daily wave amplitude (UTC hour). */
  hourAmplitude: number;
  /** c: monthly wave amplitude (day of month). */
  monthAmplitude: number;
}

/** Burst: on some days, a window of a few hours runs at many times the customer's normal volume. */
export interface BurstParameters {
  /** Share of a customer's days with a burst. */
  dayShare: number;
  /** Volume multiplier inside the window, drawn per burst in [min, max]. */
  minMultiplier: number;
  maxMultiplier: number;
  /** Window length in hours, drawn per burst in [min, max]. */
  minHours: number;
  maxHours: number;
}

/** Decline: usage shrinks day after day and some customers stop entirely (churn). */
export interface DeclineParameters {
  /** Daily shrink, compounded (0.02 = −2 % a day). */
  dailyDecline: number;
  /** Share of customers that churn on a random day of the window. */
  churnShare: number;
  /** Volume never falls below this fraction of the starting volume (keeps size-targeted runs finite). */
  floor: number;
}

/** Multi-tenant: organizations differ several times in volume and each prefers its own provider. */
export interface MultiTenantParameters {
  /** Number of organizations (`org_001` …). */
  organizations: number;
  /** Ratio of the busiest to the quietest organization's volume, drawn in [min, max]. */
  minSpread: number;
  maxSpread: number;
  /** Probability that a call goes to the organization's preferred provider. */
  providerPreference: number;
}

/** Model migration: an S-curve moves traffic from one model to another. */
export interface ModelMigrationParameters {
  fromProvider: string;
  fromModel: string;
  toProvider: string;
  toModel: string;
  /** First day of the move (day 0 is the first day of the file). */
  startDay: number;
  /** Days from the start until the move is complete. */
  durationDays: number;
  /** Share of calls served by the source model before the move. */
  baselineShare: number;
}

/** Weekend: quiet weekends and holidays, and Friday afternoons tapering off. */
export interface WeekendParameters {
  /** Saturday volume as a share of a weekday's, drawn per Saturday in [min, max]. */
  saturdayShare: readonly [number, number];
  /** Sunday volume as a share of a weekday's, drawn per Sunday in [min, max]. */
  sundayShare: readonly [number, number];
  /** Holiday volume as a share of a weekday's, drawn per holiday in [min, max]. */
  holidayShare: readonly [number, number];
  /** Holidays, as day indices from the first day (day 0). */
  holidays: readonly number[];
  /** UTC hour from which Friday traffic tapers. */
  fridayTaperHour: number;
  /** Share of normal hourly volume left by the end of Friday's business hours. */
  fridayEveningShare: number;
}

/** One time zone of the timezones scenario. */
export interface TimeZoneShare {
  name: string;
  /** Offset from UTC in hours (fixed; daylight saving is not modelled). */
  utcOffsetHours: number;
  /** Share of customers living there. */
  share: number;
}

/** Timezones: customers live in time zones and peak in their local business hours. */
export interface TimezonesParameters {
  zones: readonly TimeZoneShare[];
  /** Local peak hours, [start, end). */
  peakStartHour: number;
  peakEndHour: number;
}

/** Feature launch: a new feature appears with a spike of curiosity, then settles to steady adoption. */
export interface FeatureLaunchParameters {
  /** Launch day (day 0 is the first day of the file). */
  launchDay: number;
  /** The new feature's id. */
  feature: string;
  /** Share of customers that keep using the feature. */
  adoption: number;
  /** Launch-day volume of the feature as a multiple of its steady volume, drawn in [min, max]. */
  minSpike: number;
  maxSpike: number;
  /** Calls on the feature, as a share of an adopter's other calls, once settled. */
  steadyShare: number;
  /** Days over which the launch spike fades (e-folding time). */
  spikeFadeDays: number;
}

/** Cost optimization: simple tasks start on premium models, then move to cheap ones. */
export interface CostOptimizationParameters {
  /** Day the move starts. */
  startDay: number;
  /** Day by which the full saving is reached. */
  endDay: number;
  /** Drop of the average cost per call on simple tasks once complete (0.7 = −70 %). */
  reduction: number;
  /** Task types that count as simple. */
  simpleTasks: readonly string[];
  /** Share of simple-task calls on premium models before the move. */
  premiumShare: number;
}

/** Steady growth: volume grows linearly. */
export interface SteadyGrowthParameters {
  /** Daily growth as a share of the first day's volume, drawn per customer in [min, max]. */
  minDailyGrowth: number;
  maxDailyGrowth: number;
}

/** Viral spike: volume grows exponentially for a while, then holds at its peak. */
export interface ViralSpikeParameters {
  /** Daily growth, compounded, drawn per customer in [min, max]. */
  minDailyGrowth: number;
  maxDailyGrowth: number;
  /** Day the growth starts. */
  startDay: number;
  /** Days of growth before volume holds at its peak. */
  growthDays: number;
}

/** Regional latency: one provider is much slower in one region; one region is faster and cheaper for every model. */
export interface RegionalLatencyParameters {
  /** The provider whose route through {@link slowRegion} is slow. */
  slowProvider: string;
  /** The region of the slow route. */
  slowRegion: string;
  /** Latency multiplier of the slow route. */
  slowFactor: number;
  /** The region that is faster (and, on models with a cache price, cheaper) for every model. */
  fastRegion: string;
  /** Latency multiplier in the fast region. */
  fastFactor: number;
  /** Share of calls in the fast region that read part of their prompt from the cache (on models that cache). */
  fastCacheShare: number;
}

/** Minute flood: a customer on a low plan fires hundreds of calls within a minute on some days. */
export interface MinuteFloodParameters {
  /** Share of a customer's days with a flood. */
  dayShare: number;
  /** Calls of one flood, drawn per flood in [min, max]. */
  minCalls: number;
  maxCalls: number;
  /** Length of the flood in seconds. */
  seconds: number;
  /** The plan the flooding customers are on. */
  tier: string;
}

/** Off hours: a customer on a low plan calls steadily at night, every night, like a scheduled job. */
export interface OffHoursParameters {
  /** Local hour the nightly run starts (the customer's time zone, UTC when it has none). */
  localHour: number;
  /** Calls of one night's run, drawn per night in [min, max]. */
  minCalls: number;
  maxCalls: number;
  /** Length of the run in minutes; calls are evenly spaced in it. */
  minutes: number;
  /** The plan the customers are on. */
  tier: string;
}

/** Model hopping: within short windows a customer switches model on every call. */
export interface ModelHoppingParameters {
  /** Share of a customer's days with a hopping window. */
  dayShare: number;
  /** Calls in one window, drawn per window in [min, max]. */
  minCalls: number;
  maxCalls: number;
  /** Length of the window in minutes. */
  windowMinutes: number;
  /** Distinct models cycled through in one window. */
  models: number;
}

/** Oversized batch: many calls in the same second, each with a huge prompt and a tiny answer. */
export interface OversizedBatchParameters {
  /** Share of a customer's days with a batch. */
  dayShare: number;
  /** Calls in one batch, drawn per batch in [min, max]. */
  minCalls: number;
  maxCalls: number;
  /** Input tokens of a batch call as a multiple of an ordinary call's. */
  inputMultiplier: number;
  /** Output tokens of a batch call are drawn in [1, this]. */
  maxOutputTokens: number;
}

/** Cache adoption: the share of calls that read their prompt from the cache rises over the window. */
export interface CacheAdoptionParameters {
  /** Day the adoption starts (day 0 is the first day of the file). */
  startDay: number;
  /** Day by which it is complete. */
  endDay: number;
  /** Share of calls with cache reads before the start (on models that cache). */
  fromShare: number;
  /** Share of calls with cache reads once complete. */
  toShare: number;
}

/** Churn risk: usage falls off from a given day to a small share of what it was. */
export interface ChurnRiskParameters {
  /** First day of the fall (day 0 is the first day of the file). */
  changeDay: number;
  /** Days over which volume slides to its new level. */
  slideDays: number;
  /** Volume after the fall as a share of before. */
  level: number;
}

/** Expansion: usage grows several times from a given day, outgrowing a low plan. */
export interface ExpansionParameters {
  /** First day of the growth (day 0 is the first day of the file). */
  changeDay: number;
  /** Days over which volume ramps up to its new level. */
  rampDays: number;
  /** Volume after the growth as a multiple of before. */
  level: number;
  /** The plan the growing customers are on. */
  tier: string;
}

/** Costly sessions: now and then one session (one trace) runs many large calls on premium models. */
export interface CostlySessionsParameters {
  /** Share of a customer's days with a costly session. */
  dayShare: number;
  /** Calls in one session, drawn per session in [min, max]. */
  minCalls: number;
  maxCalls: number;
  /** Length of the session in minutes. */
  minutes: number;
  /** Input tokens of a session call as a multiple of an ordinary call's. */
  inputMultiplier: number;
  /** Share of the session's calls on the provider's premium model. */
  premiumShare: number;
}

/** The parameters of every scenario. */
export interface ScenarioParameters {
  seasonal: SeasonalParameters;
  burst: BurstParameters;
  decline: DeclineParameters;
  'multi-tenant': MultiTenantParameters;
  'model-migration': ModelMigrationParameters;
  weekend: WeekendParameters;
  timezones: TimezonesParameters;
  'feature-launch': FeatureLaunchParameters;
  'cost-optimization': CostOptimizationParameters;
  'steady-growth': SteadyGrowthParameters;
  'viral-spike': ViralSpikeParameters;
  'regional-latency': RegionalLatencyParameters;
  'minute-flood': MinuteFloodParameters;
  'off-hours': OffHoursParameters;
  'model-hopping': ModelHoppingParameters;
  'oversized-batch': OversizedBatchParameters;
  'cache-adoption': CacheAdoptionParameters;
  'churn-risk': ChurnRiskParameters;
  expansion: ExpansionParameters;
  'costly-sessions': CostlySessionsParameters;
}

/** Overrides of scenario parameters: any scenario, any subset of its parameters. */
export type ScenarioParameterOverrides = { [Name in ScenarioName]?: Partial<ScenarioParameters[Name]> };

/** The defaults of the specification for every scenario parameter. */
export const DEFAULT_SCENARIO_PARAMETERS: Readonly<ScenarioParameters> = {
  seasonal: { weekdayAmplitude: 0.3, hourAmplitude: 0.5, monthAmplitude: 0.2 },
  burst: { dayShare: 0.08, minMultiplier: 5, maxMultiplier: 20, minHours: 1, maxHours: 3 },
  decline: { dailyDecline: 0.02, churnShare: 0.2, floor: 0.05 },
  'multi-tenant': { organizations: 10, minSpread: 3, maxSpread: 10, providerPreference: 0.7 },
  'model-migration': {
    fromProvider: 'openai',
    fromModel: 'gpt-4',
    toProvider: 'anthropic',
    toModel: 'claude-sonnet-4',
    startDay: 10,
    durationDays: 14,
    baselineShare: 0.5,
  },
  weekend: {
    saturdayShare: [0.4, 0.6],
    sundayShare: [0.3, 0.5],
    holidayShare: [0.2, 0.4],
    holidays: [7, 21],
    fridayTaperHour: 15,
    fridayEveningShare: 0.3,
  },
  timezones: {
    zones: [
      { name: 'US East', utcOffsetHours: -5, share: 0.3 },
      { name: 'US West', utcOffsetHours: -8, share: 0.2 },
      { name: 'Europe', utcOffsetHours: 1, share: 0.25 },
      { name: 'Asia-Pacific', utcOffsetHours: 8, share: 0.25 },
    ],
    peakStartHour: 9,
    peakEndHour: 17,
  },
  'feature-launch': {
    launchDay: 10,
    feature: 'ai_assistant',
    adoption: 0.4,
    minSpike: 3,
    maxSpike: 5,
    steadyShare: 0.25,
    spikeFadeDays: 1.5,
  },
  'cost-optimization': {
    startDay: 10,
    endDay: 21,
    reduction: 0.7,
    simpleTasks: ['qa', 'translation', 'chat'],
    premiumShare: 0.7,
  },
  'steady-growth': { minDailyGrowth: 0.02, maxDailyGrowth: 0.05 },
  'viral-spike': { minDailyGrowth: 0.1, maxDailyGrowth: 0.3, startDay: 5, growthDays: 10 },
  'regional-latency': {
    slowProvider: 'anthropic',
    slowRegion: 'ap-southeast-1',
    slowFactor: 3,
    fastRegion: 'us-west-2',
    fastFactor: 0.6,
    fastCacheShare: 0.7,
  },
  'minute-flood': { dayShare: 0.3, minCalls: 200, maxCalls: 400, seconds: 60, tier: 'starter' },
  'off-hours': { localHour: 3, minCalls: 30, maxCalls: 60, minutes: 60, tier: 'starter' },
  'model-hopping': { dayShare: 0.5, minCalls: 50, maxCalls: 100, windowMinutes: 5, models: 20 },
  'oversized-batch': { dayShare: 0.3, minCalls: 50, maxCalls: 150, inputMultiplier: 6, maxOutputTokens: 30 },
  'cache-adoption': { startDay: 5, endDay: 25, fromShare: 0.05, toShare: 0.85 },
  'churn-risk': { changeDay: 14, slideDays: 4, level: 0.15 },
  expansion: { changeDay: 14, rampDays: 7, level: 3, tier: 'starter' },
  'costly-sessions': {
    dayShare: 0.3,
    minCalls: 80,
    maxCalls: 200,
    minutes: 30,
    inputMultiplier: 4,
    premiumShare: 0.8,
  },
};

/** Progress of a generation, for a progress bar. */
export interface SimulationProgress {
  /** Calls generated so far. */
  calls: number;
  /** Bytes of CSV produced so far (header included). */
  bytes: number;
  /** Days of the timeline generated so far (the current day included). */
  days: number;
  /** The size target in bytes, when there is one. */
  targetBytes: number | undefined;
  /** Share done, 0–1: by bytes with a size target, else by days. */
  fraction: number;
  /** Milliseconds since the start. */
  elapsedMs: number;
  /** Calls per second so far. */
  callsPerSecond: number;
  /** Bytes per second so far. */
  bytesPerSecond: number;
  /** True on the last report. */
  done: boolean;
}

/** Options of a simulation; every one has the specification's default. */
export interface SimulationOptions {
  /** Population size; 100 by default. */
  customers?: number;
  /** Window length in days; 30 by default. Ignored by a size-targeted run, which runs until the target. */
  days?: number;
  /**
   * First day: a `YYYY-MM-DD` string, an ISO timestamp, epoch milliseconds
   * or a `Date` (cut to its UTC day). By default the UTC midnight `days` days
   * before today; give it explicitly for reproducible files.
   */
  start?: string | number | Date;
  /** Seed of the one random stream; 42 by default. */
  seed?: number;
  /** `base` (default), one scenario, or `all` (one cohort per scenario plus a base cohort). */
  scenario?: ScenarioChoice;
  /** Keep generating day after day until the CSV reaches this many megabytes (1 MB = 1,000,000 bytes). */
  sizeMb?: number;
  /** Price catalog; the built-in one by default. */
  catalog?: PriceCatalog;
  /** Scenario parameters to change from the defaults. */
  parameters?: ScenarioParameterOverrides;
  /** Records per batch of {@link simulate}; 8,192 by default. */
  batchSize?: number;
  /** Called with progress about every megabyte of output (and on the last call). */
  onProgress?: (progress: SimulationProgress) => void;
}

/** Options with every default applied. */
export interface ResolvedSimulationOptions {
  customers: number;
  days: number;
  /** UTC day number (days since 1970-01-01) of the first day. */
  startDay: number;
  seed: number;
  scenario: ScenarioChoice;
  /** Size target in bytes, or `undefined`. */
  targetBytes: number | undefined;
  catalog: PriceCatalog;
  parameters: ScenarioParameters;
}

/** Bytes in one megabyte of a size target. */
export const BYTES_PER_MB = 1_000_000;

function startDayOf(start: string | number | Date | undefined, days: number, now: () => number): number {
  if (start === undefined) return Math.floor(now() / MS_PER_DAY) - days;
  if (start instanceof Date) {
    const time = start.getTime();
    if (Number.isNaN(time)) throw new RangeError('start is an invalid Date');
    return Math.floor(time / MS_PER_DAY);
  }
  if (typeof start === 'number') {
    if (!Number.isFinite(start))
      throw new RangeError(`start must be finite epoch milliseconds, got ${start}`);
    return Math.floor(start / MS_PER_DAY);
  }
  const day = parseUtcDay(start.trim());
  if (Number.isNaN(day)) throw new RangeError(`start must be a date such as 2025-11-01, got "${start}"`);
  return day;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function mergeParameters(overrides: ScenarioParameterOverrides | undefined): ScenarioParameters {
  const merged = {} as Record<ScenarioName, unknown>;
  for (const name of SCENARIO_NAMES) {
    merged[name] = { ...DEFAULT_SCENARIO_PARAMETERS[name], ...(overrides?.[name] ?? {}) };
  }
  return merged as unknown as ScenarioParameters;
}

function checkRange(min: number, max: number, name: string, lowest = 0): void {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= lowest && min <= max)) {
    throw new RangeError(`${name}: expected ${lowest} ≤ min ≤ max, got [${min}, ${max}]`);
  }
}

function checkShare(value: number, name: string): void {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be a share from 0 to 1, got ${value}`);
  }
}

function validateParameters(parameters: ScenarioParameters, catalog: PriceCatalog): void {
  const { seasonal, burst, decline, weekend, timezones } = parameters;
  for (const [key, value] of Object.entries(seasonal)) {
    if (!Number.isFinite(value)) throw new RangeError(`seasonal.${key} must be a finite number`);
  }
  checkShare(burst.dayShare, 'burst.dayShare');
  checkRange(burst.minMultiplier, burst.maxMultiplier, 'burst multiplier', 1);
  checkRange(burst.minHours, burst.maxHours, 'burst hours', 1);
  if (burst.maxHours > 24) throw new RangeError('burst.maxHours must be at most 24');
  checkShare(decline.dailyDecline, 'decline.dailyDecline');
  checkShare(decline.churnShare, 'decline.churnShare');
  checkShare(decline.floor, 'decline.floor');
  const tenants = parameters['multi-tenant'];
  positiveInteger(tenants.organizations, 'multi-tenant.organizations');
  checkRange(tenants.minSpread, tenants.maxSpread, 'multi-tenant spread', 1);
  checkShare(tenants.providerPreference, 'multi-tenant.providerPreference');
  const migration = parameters['model-migration'];
  for (const [provider, model] of [
    [migration.fromProvider, migration.fromModel],
    [migration.toProvider, migration.toModel],
  ] as const) {
    if (catalog.get(provider, model) === undefined) {
      throw new RangeError(`model-migration: ${provider}/${model} is not in the price catalog`);
    }
  }
  if (!(migration.durationDays > 0)) throw new RangeError('model-migration.durationDays must be positive');
  checkShare(migration.baselineShare, 'model-migration.baselineShare');
  checkRange(weekend.saturdayShare[0], weekend.saturdayShare[1], 'weekend.saturdayShare');
  checkRange(weekend.sundayShare[0], weekend.sundayShare[1], 'weekend.sundayShare');
  checkRange(weekend.holidayShare[0], weekend.holidayShare[1], 'weekend.holidayShare');
  checkShare(weekend.fridayEveningShare, 'weekend.fridayEveningShare');
  if (timezones.zones.length === 0) throw new RangeError('timezones.zones must list at least one zone');
  if (!(
    timezones.peakStartHour >= 0 &&
    timezones.peakStartHour < timezones.peakEndHour &&
    timezones.peakEndHour <= 24
  )) {
    throw new RangeError('timezones: expected 0 ≤ peakStartHour < peakEndHour ≤ 24');
  }
  const launch = parameters['feature-launch'];
  checkShare(launch.adoption, 'feature-launch.adoption');
  checkRange(launch.minSpike, launch.maxSpike, 'feature-launch spike', 1);
  if (launch.feature.length === 0) throw new RangeError('feature-launch.feature must not be empty');
  if (!(launch.spikeFadeDays > 0)) throw new RangeError('feature-launch.spikeFadeDays must be positive');
  const optimization = parameters['cost-optimization'];
  checkShare(optimization.reduction, 'cost-optimization.reduction');
  checkShare(optimization.premiumShare, 'cost-optimization.premiumShare');
  const unknownTasks = optimization.simpleTasks.filter(
    (task) => !(KNOWN_FEATURES as readonly string[]).includes(task),
  );
  if (unknownTasks.length > 0) {
    throw new RangeError(
      `cost-optimization.simpleTasks: unknown task types ${unknownTasks.join(', ')} (expected ${KNOWN_FEATURES.join(', ')})`,
    );
  }
  if (!(optimization.endDay > optimization.startDay)) {
    throw new RangeError('cost-optimization.endDay must come after startDay');
  }
  validatePlantedMarks(parameters, catalog);
  const growth = parameters['steady-growth'];
  checkRange(growth.minDailyGrowth, growth.maxDailyGrowth, 'steady-growth daily growth');
  const viral = parameters['viral-spike'];
  checkRange(viral.minDailyGrowth, viral.maxDailyGrowth, 'viral-spike daily growth');
  if (!(Number.isInteger(viral.growthDays) && viral.growthDays >= 0)) {
    throw new RangeError('viral-spike.growthDays must be a non-negative integer');
  }
}

function checkTier(tier: string, name: string): void {
  if (!(SUBSCRIPTION_TIERS as readonly string[]).includes(tier))
    throw new RangeError(`${name} must be one of ${SUBSCRIPTION_TIERS.join(', ')}, got "${tier}"`);
}

function checkDayWindow(startDay: number, length: number, name: string): void {
  if (!(Number.isInteger(startDay) && startDay >= 0))
    throw new RangeError(`${name}: the day must be a non-negative integer, got ${startDay}`);
  if (!(length > 0)) throw new RangeError(`${name}: the length in days must be positive, got ${length}`);
}

function checkCalls(min: number, max: number, name: string): void {
  checkRange(min, max, name, 1);
  if (!(Number.isInteger(min) && Number.isInteger(max)))
    throw new RangeError(`${name}: expected whole numbers of calls, got [${min}, ${max}]`);
}

/** The parameters of the scenarios that plant the marks of the overview, tokens, geography, churn and abuse analyses. */
function validatePlantedMarks(parameters: ScenarioParameters, catalog: PriceCatalog): void {
  const regional = parameters['regional-latency'];
  if (!catalog.providers.some((provider) => provider.name === regional.slowProvider))
    throw new RangeError(
      `regional-latency.slowProvider: ${regional.slowProvider} is not in the price catalog`,
    );
  for (const [key, region] of [
    ['slowRegion', regional.slowRegion],
    ['fastRegion', regional.fastRegion],
  ] as const) {
    if (!(SIMULATED_REGIONS as readonly string[]).includes(region))
      throw new RangeError(
        `regional-latency.${key} must be one of ${SIMULATED_REGIONS.join(', ')}, got "${region}"`,
      );
  }
  if (!(regional.slowFactor > 0 && regional.fastFactor > 0))
    throw new RangeError('regional-latency: slowFactor and fastFactor must be positive');
  checkShare(regional.fastCacheShare, 'regional-latency.fastCacheShare');
  const flood = parameters['minute-flood'];
  checkShare(flood.dayShare, 'minute-flood.dayShare');
  checkCalls(flood.minCalls, flood.maxCalls, 'minute-flood calls');
  if (!(flood.seconds > 0 && flood.seconds <= 3600))
    throw new RangeError('minute-flood.seconds must be from 1 to 3600');
  checkTier(flood.tier, 'minute-flood.tier');
  const night = parameters['off-hours'];
  if (!(Number.isInteger(night.localHour) && night.localHour >= 0 && night.localHour < 24))
    throw new RangeError('off-hours.localHour must be a whole hour from 0 to 23');
  checkCalls(night.minCalls, night.maxCalls, 'off-hours calls');
  if (!(night.minutes > 0 && night.minutes <= 24 * 60))
    throw new RangeError('off-hours.minutes must be from 1 to 1440');
  checkTier(night.tier, 'off-hours.tier');
  const hopping = parameters['model-hopping'];
  checkShare(hopping.dayShare, 'model-hopping.dayShare');
  checkCalls(hopping.minCalls, hopping.maxCalls, 'model-hopping calls');
  if (!(hopping.windowMinutes > 0 && hopping.windowMinutes <= 24 * 60))
    throw new RangeError('model-hopping.windowMinutes must be from 1 to 1440');
  positiveInteger(hopping.models, 'model-hopping.models');
  const batch = parameters['oversized-batch'];
  checkShare(batch.dayShare, 'oversized-batch.dayShare');
  checkCalls(batch.minCalls, batch.maxCalls, 'oversized-batch calls');
  if (!(batch.inputMultiplier >= 1))
    throw new RangeError('oversized-batch.inputMultiplier must be at least 1');
  positiveInteger(batch.maxOutputTokens, 'oversized-batch.maxOutputTokens');
  const cache = parameters['cache-adoption'];
  checkDayWindow(cache.startDay, cache.endDay - cache.startDay, 'cache-adoption');
  checkShare(cache.fromShare, 'cache-adoption.fromShare');
  checkShare(cache.toShare, 'cache-adoption.toShare');
  const churn = parameters['churn-risk'];
  checkDayWindow(churn.changeDay, churn.slideDays, 'churn-risk');
  checkShare(churn.level, 'churn-risk.level');
  const expansion = parameters.expansion;
  checkDayWindow(expansion.changeDay, expansion.rampDays, 'expansion');
  if (!(expansion.level >= 1)) throw new RangeError('expansion.level must be at least 1');
  checkTier(expansion.tier, 'expansion.tier');
  const sessions = parameters['costly-sessions'];
  checkShare(sessions.dayShare, 'costly-sessions.dayShare');
  checkCalls(sessions.minCalls, sessions.maxCalls, 'costly-sessions calls');
  if (!(sessions.minutes > 0 && sessions.minutes <= 24 * 60))
    throw new RangeError('costly-sessions.minutes must be from 1 to 1440');
  if (!(sessions.inputMultiplier >= 1))
    throw new RangeError('costly-sessions.inputMultiplier must be at least 1');
  checkShare(sessions.premiumShare, 'costly-sessions.premiumShare');
}

/**
 * Applies the defaults to simulation options and checks them; throws a
 * `RangeError` naming the first bad option. `now` supplies today for the
 * default start (the only clock reading of a simulation).
 */
export function resolveSimulationOptions(
  options: SimulationOptions = {},
  now: () => number = Date.now,
): ResolvedSimulationOptions {
  const customers = positiveInteger(options.customers ?? 100, 'customers');
  const days = positiveInteger(options.days ?? 30, 'days');
  const seed = options.seed ?? 42;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const scenario = options.scenario ?? 'base';
  if (!isScenarioChoice(scenario)) {
    throw new RangeError(
      `unknown scenario "${String(scenario)}": expected base, all or ${SCENARIO_NAMES.join(', ')}`,
    );
  }
  let targetBytes: number | undefined;
  if (options.sizeMb !== undefined) {
    if (!(Number.isFinite(options.sizeMb) && options.sizeMb > 0)) {
      throw new RangeError(`sizeMb must be a positive number, got ${options.sizeMb}`);
    }
    targetBytes = Math.ceil(options.sizeMb * BYTES_PER_MB);
  }
  const catalog = options.catalog ?? defaultCatalog();
  const parameters = mergeParameters(options.parameters);
  validateParameters(parameters, catalog);
  return {
    customers,
    days,
    startDay: startDayOf(options.start, days, now),
    seed,
    scenario,
    targetBytes,
    catalog,
    parameters,
  };
}
