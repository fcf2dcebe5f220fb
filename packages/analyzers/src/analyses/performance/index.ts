import { BASE_GROUPINGS, MODEL_LATENCY, MODEL_TASK_DAY } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { ABOUT_PERFORMANCE } from './about';
import { PERFORMANCE_BUCKETED_LIMITS, performanceDocument } from './document';
import { type PerformanceResult, finishPerformance } from './finish';
import { type PerformanceConfig, PERFORMANCE_SETTINGS } from './settings';

/** The performance analysis: {@link ABOUT_PERFORMANCE}. */
export const PERFORMANCE = defineAnalysis<'performance', PerformanceConfig, PerformanceResult>({
  ...ABOUT_PERFORMANCE,
  settings: PERFORMANCE_SETTINGS,
  groupings: [...BASE_GROUPINGS, MODEL_TASK_DAY, MODEL_LATENCY],
  finish: (context) => finishPerformance(context),
  document: performanceDocument,
  bucketedLimits: PERFORMANCE_BUCKETED_LIMITS,
});

export * from './about';
export * from './document';
export * from './finish';
export * from './settings';
