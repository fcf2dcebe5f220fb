import {
  BASE_GROUPINGS,
  HOUR_TOTALS,
  MODEL_TASK_DAY,
  PLAN_TOTALS,
  TEAM_FEATURE,
  USAGE_GROUPINGS,
  WEEKDAY_TOTALS,
} from '../../store/builtin-groupings';
import { FEATURE_DAY } from '../../shared/periods';
import { defineAnalysis } from '../definition';
import { understandingActions } from './actions';
import { ABOUT_UNDERSTANDING } from './about';
import { UNDERSTANDING_BUCKETED_LIMITS, understandingDocument } from './document';
import { type UnderstandingResult, finishUnderstanding } from './finish';
import { type UnderstandingConfig, UNDERSTANDING_SETTINGS } from './settings';

/** The understanding analysis: {@link ABOUT_UNDERSTANDING}. */
export const UNDERSTANDING = defineAnalysis<'understanding', UnderstandingConfig, UnderstandingResult>({
  ...ABOUT_UNDERSTANDING,
  settings: UNDERSTANDING_SETTINGS,
  groupings: [
    ...BASE_GROUPINGS,
    MODEL_TASK_DAY,
    TEAM_FEATURE,
    PLAN_TOTALS,
    HOUR_TOTALS,
    WEEKDAY_TOTALS,
    ...USAGE_GROUPINGS,
    FEATURE_DAY,
  ],
  finish: (context) => finishUnderstanding(context),
  document: understandingDocument,
  bucketedLimits: UNDERSTANDING_BUCKETED_LIMITS,
  actions: understandingActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
