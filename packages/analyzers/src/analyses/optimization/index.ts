import { BASE_GROUPINGS, MODEL_TASK_DAY } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { optimizationActions } from './actions';
import { ABOUT_OPTIMIZATION } from './about';
import { OPTIMIZATION_BUCKETED_LIMITS, optimizationDocument } from './document';
import { type OptimizationResult, finishOptimization } from './finish';
import { type OptimizationConfig, OPTIMIZATION_SETTINGS } from './settings';

/** The optimization analysis: {@link ABOUT_OPTIMIZATION}. */
export const OPTIMIZATION = defineAnalysis<'optimization', OptimizationConfig, OptimizationResult>({
  ...ABOUT_OPTIMIZATION,
  settings: OPTIMIZATION_SETTINGS,
  groupings: [...BASE_GROUPINGS, MODEL_TASK_DAY],
  finish: (context) => finishOptimization(context),
  document: optimizationDocument,
  bucketedLimits: OPTIMIZATION_BUCKETED_LIMITS,
  actions: optimizationActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
