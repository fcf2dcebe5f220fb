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
