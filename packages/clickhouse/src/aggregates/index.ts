import type { Aggregate } from './aggregate';
import { customerDay } from './customer-day';
import { customerError } from './customer-error';
import { customerFeature } from './customer-feature';
import { customerPlans } from './customer-plans';
import { errorModel } from './error-model';
import { hourTotals } from './hour-totals';
import { modelLatency } from './model-latency';
import { modelLatencyBins } from './model-latency-bins';
import { modelLatencyRaw } from './model-latency-raw';
import { modelTaskCost } from './model-task-cost';
import { modelTaskCostRaw } from './model-task-cost-raw';
import { modelTaskCostWeighted } from './model-task-cost-weighted';
import { modelTaskDay } from './model-task-day';
import { modelUsage } from './model-usage';
import { orgProductFeatureEnv } from './org-product-feature-env';
import { planTotals } from './plan-totals';
import { regionLatency } from './region-latency';
import { regionLatencyRaw } from './region-latency-raw';
import { regionProvider } from './region-provider';
import { totals } from './totals';
import { weekdayTotals } from './weekday-totals';

export type { Aggregate, AggregateRow } from './aggregate';

/**
 * Every aggregate of the analyses' shared state, one query each, in the
 * order they run (raw values after their histograms' buckets, which they
 * replace for small groups).
 */
export const AGGREGATES: readonly Aggregate[] = [
  totals,
  modelUsage,
  customerPlans,
  planTotals,
  hourTotals,
  weekdayTotals,
  modelLatency,
  modelLatencyRaw,
  modelLatencyBins,
  customerDay,
  customerFeature,
  modelTaskCost,
  modelTaskCostWeighted,
  modelTaskCostRaw,
  modelTaskDay,
  orgProductFeatureEnv,
  regionProvider,
  regionLatency,
  regionLatencyRaw,
  errorModel,
  customerError,
];
