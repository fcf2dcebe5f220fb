/**
 * The groupings the eight built-in analyses declare. The in-process store
 * fills these in one hand-fused loop ({@link Cube}); any other grouping is
 * filled by its generic path.
 */
import { grouping } from './grouping';

const TOTALS = ['calls', 'cost', 'inputTokens', 'outputTokens'] as const;

/** Calls, cost and tokens per customer × day (every run reads it: customer totals, daily cost, revenue). */
export const CUSTOMER_DAY = grouping({
  name: 'customerDay',
  dimensions: ['customer', 'day'],
  measures: TOTALS,
});

/** Calls, cost and first day per customer × feature. */
export const CUSTOMER_FEATURE = grouping({
  name: 'customerFeature',
  dimensions: ['customer', 'feature'],
  measures: ['calls', 'cost', 'firstDay'],
});

/** Calls, cost, tokens, latency and SLA compliance per model × task type × day. */
export const MODEL_TASK_DAY = grouping({
  name: 'modelTaskDay',
  dimensions: ['model', 'taskType', 'day'],
  measures: [
    ...TOTALS,
    'latencySum',
    { name: 'withinSla', countLatencyAtMost: 'performance.slaMs' },
    'timedCalls',
  ],
});

/** Cost-per-call histogram per model × task type. */
export const MODEL_TASK_COST = grouping({
  name: 'modelTaskCost',
  dimensions: ['model', 'taskType'],
  measures: [],
  histograms: ['costPerCall'],
});

/** Latency histogram and chart bins per model. */
export const MODEL_LATENCY = grouping({
  name: 'modelLatency',
  dimensions: ['model'],
  measures: [],
  histograms: ['latency'],
  bins: [
    {
      name: 'latencyBins',
      widthParameter: 'performance.latencyBinMs',
      countParameter: 'performance.latencyBinCount',
    },
  ],
});

/** Prompt-cache and reasoning tokens, failures and calls without latency per model. */
export const MODEL_USAGE = grouping({
  name: 'modelUsage',
  dimensions: ['model'],
  measures: [
    'cachedInputTokens',
    'cacheWriteInputTokens',
    'reasoningTokens',
    'failedCalls',
    'failedCost',
    'untimedCalls',
  ],
});

/** Calls, cost and tokens per plan. */
export const PLAN_TOTALS = grouping({ name: 'planTotals', dimensions: ['plan'], measures: TOTALS });
/** Calls, cost and tokens per UTC hour of day. */
export const HOUR_TOTALS = grouping({ name: 'hourTotals', dimensions: ['hour'], measures: TOTALS });
/** Calls, cost and tokens per weekday. */
export const WEEKDAY_TOTALS = grouping({ name: 'weekdayTotals', dimensions: ['weekday'], measures: TOTALS });

/** Calls, cost, tokens and premium-model cost per organization × product × feature × environment. */
export const TEAM_FEATURE = grouping({
  name: 'teamFeature',
  dimensions: ['organization', 'product', 'feature', 'environment'],
  measures: [...TOTALS, 'premiumCost'],
});

/** Calls, cost and latency per region × provider, for calls with a region. */
export const REGION_PROVIDER = grouping({
  name: 'regionProvider',
  dimensions: ['region', 'provider'],
  measures: ['calls', 'cost', 'latencySum', 'timedCalls'],
  filter: 'withRegion',
});

/** Latency histogram per region, for calls with a region. */
export const REGION_LATENCY = grouping({
  name: 'regionLatency',
  dimensions: ['region'],
  measures: [],
  histograms: ['latency'],
  filter: 'withRegion',
});

/** Failed calls and their cost per error type × model. */
export const ERROR_MODEL = grouping({
  name: 'errorModel',
  dimensions: ['errorType', 'model'],
  measures: ['calls', 'cost'],
  filter: 'failed',
});

/** Failed calls and their cost per customer × error type. */
export const CUSTOMER_ERROR = grouping({
  name: 'customerError',
  dimensions: ['customer', 'errorType'],
  measures: ['calls', 'cost'],
  filter: 'failed',
});

/** The groupings read by the usage figures (cache, reasoning, failures, regions). */
export const USAGE_GROUPINGS = [MODEL_USAGE, REGION_PROVIDER, REGION_LATENCY, ERROR_MODEL, CUSTOMER_ERROR];

/** Groupings every run fills: the customer totals, daily cost and revenue of the finish context read them. */
export const BASE_GROUPINGS = [CUSTOMER_DAY];

/*
 * The groupings of the tokens and geography analyses. The store keeps their
 * cells as the generic path does (the same state, the same SQL placement on
 * ClickHouse), but the fused loop fills them ({@link LOOP_FILLED_GROUPINGS}):
 * through the generic path they cost a lookup of a key tuple and a reading of
 * every measure's declaration per call.
 */

/** Calls counted input-heavy and output-heavy (the thresholds are settings), as condition measures. */
const HEAVY_MEASURES = [
  { name: 'inputHeavyCalls', sum: 'calls', where: { ratioAtLeast: 'tokens.inputHeavyRatio' } },
  { name: 'outputHeavyCalls', sum: 'calls', where: { ratioAtMost: 'tokens.outputHeavyRatio' } },
] as const;

const OVERSIZED = { ratioAtLeast: 'tokens.oversizedRatio' } as const;
const LONG_TINY = {
  inputAtLeast: 'tokens.longInputTokens',
  outputAtMost: 'tokens.tinyOutputTokens',
} as const;

/**
 * Per model × task type × ratio bin: calls, cost and tokens, the input- and
 * output-heavy calls, and the calls, cost and tokens that meet the
 * "oversized prompt" and "long input, tiny output" rules (a SQL engine:
 * `GROUP BY model, task_type, ratio_bin` with `SUM(CASE WHEN … END)`).
 */
export const TOKENS_MODEL_TASK = grouping({
  name: 'tokensModelTask',
  dimensions: ['model', 'taskType', 'ratioBin'],
  measures: [
    'calls',
    'cost',
    'inputTokens',
    'outputTokens',
    ...HEAVY_MEASURES,
    { name: 'oversizedCalls', sum: 'calls', where: OVERSIZED },
    { name: 'oversizedCost', sum: 'cost', where: OVERSIZED },
    { name: 'oversizedInput', sum: 'inputTokens', where: OVERSIZED },
    { name: 'oversizedOutput', sum: 'outputTokens', where: OVERSIZED },
    { name: 'longTinyCalls', sum: 'calls', where: LONG_TINY },
    { name: 'longTinyCost', sum: 'cost', where: LONG_TINY },
    { name: 'longTinyInput', sum: 'inputTokens', where: LONG_TINY },
  ],
});

/** Per customer × feature × ratio bin: calls and the input- and output-heavy ones. */
export const TOKENS_CUSTOMER_FEATURE = grouping({
  name: 'tokensCustomerFeature',
  dimensions: ['customer', 'feature', 'ratioBin'],
  measures: ['calls', ...HEAVY_MEASURES],
});

/**
 * Calls, cost, tokens, latency, SLA compliance and a latency histogram per
 * region × model, for calls with a region (a SQL engine: `GROUP BY region,
 * model WHERE region <> ''`). Routes (provider × region) and regions are
 * sums of its cells; a model's provider is fixed, so no cell is split.
 */
export const REGION_MODEL = grouping({
  name: 'regionModel',
  dimensions: ['region', 'model'],
  measures: [
    'calls',
    'cost',
    'inputTokens',
    'outputTokens',
    'latencySum',
    'timedCalls',
    { name: 'withinGeographySla', countLatencyAtMost: 'geography.slaMs' },
  ],
  histograms: ['latency'],
  filter: 'withRegion',
});

/*
 * The groupings of the features analysis's sessions and traces and of the
 * abuse analysis's minutes: nearly a cell per call on a log with a trace id
 * per call, which the fused loop finds by the id itself rather than by
 * hashing the key tuple ({@link LOOP_FILLED_GROUPINGS}).
 */

/**
 * Calls and cost per session × customer × feature: a session is a session id
 * within one customer's calls (an id two customers use is two sessions).
 */
export const SESSION_CELLS = grouping({
  name: 'sessionCells',
  dimensions: ['session', 'customer', 'feature'],
  measures: ['calls', 'cost'],
});

/** Calls and cost per trace × customer (a trace, like a session, belongs to one customer's calls). */
export const TRACE_CELLS = grouping({
  name: 'traceCells',
  dimensions: ['trace', 'customer'],
  measures: ['calls', 'cost'],
});

/**
 * Per customer × UTC minute × model: calls, cost and input tokens (a SQL
 * engine: `GROUP BY customer_id, intDiv(time_ms, 60000), provider, model`).
 * A cell per busy (customer, minute, model): the memory grows with the
 * minutes of the window that have calls and the models they use, not with
 * the calls; a part boundary that splits a minute only splits its sums, which
 * merging adds back, so every figure below is exact under any split.
 */
export const ABUSE_MINUTE_MODEL = grouping({
  name: 'abuseMinuteModel',
  dimensions: ['customer', 'minute', 'model'],
  measures: ['calls', 'cost', 'inputTokens'],
});

/**
 * Groupings kept as generic cells that the fused loop fills itself, by
 * declaration (a grouping of the same name declared otherwise goes through
 * the generic path).
 */
export const LOOP_FILLED_GROUPINGS = [
  TOKENS_MODEL_TASK,
  TOKENS_CUSTOMER_FEATURE,
  REGION_MODEL,
  SESSION_CELLS,
  TRACE_CELLS,
  ABUSE_MINUTE_MODEL,
];

/** Every grouping the fused loop fills. */
export const FUSED_GROUPINGS = [
  CUSTOMER_DAY,
  CUSTOMER_FEATURE,
  MODEL_TASK_DAY,
  MODEL_TASK_COST,
  MODEL_LATENCY,
  PLAN_TOTALS,
  HOUR_TOTALS,
  WEEKDAY_TOTALS,
  TEAM_FEATURE,
  ...USAGE_GROUPINGS,
];
