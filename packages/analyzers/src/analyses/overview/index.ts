import {
  BASE_GROUPINGS,
  MODEL_LATENCY,
  MODEL_TASK_DAY,
  MODEL_USAGE,
  PLAN_TOTALS,
  REGION_PROVIDER,
  TEAM_FEATURE,
} from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { overviewActions } from './actions';
import { ABOUT_OVERVIEW } from './about';
import { OVERVIEW_BUCKETED_LIMITS, overviewDocument } from './document';
import { type OverviewResult, finishOverview } from './finish';
import { type OverviewConfig, OVERVIEW_SETTINGS } from './settings';

/** The overview analysis: {@link ABOUT_OVERVIEW}. Reads only groupings the fused loop fills, so it adds no pass of its own. */
export const OVERVIEW = defineAnalysis<'overview', OverviewConfig, OverviewResult>({
  ...ABOUT_OVERVIEW,
  settings: OVERVIEW_SETTINGS,
  groupings: [
    ...BASE_GROUPINGS,
    MODEL_TASK_DAY,
    MODEL_LATENCY,
    MODEL_USAGE,
    TEAM_FEATURE,
    PLAN_TOTALS,
    REGION_PROVIDER,
  ],
  finish: finishOverview,
  document: overviewDocument,
  bucketedLimits: OVERVIEW_BUCKETED_LIMITS,
  actions: overviewActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
