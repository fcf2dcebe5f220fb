import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { churnActions } from './actions';
import { ABOUT_CHURN } from './about';
import { CHURN_BUCKETED_LIMITS, churnDocument } from './document';
import { type ChurnResult, CHURN_CUSTOMER_FAILURES, CHURN_CUSTOMER_FEATURE, finishChurn } from './finish';
import { type ChurnConfig, CHURN_SETTINGS } from './settings';

/** The churn analysis: {@link ABOUT_CHURN}. Its groupings are per customer (× day, × feature), never per call. */
export const CHURN = defineAnalysis<'churn', ChurnConfig, ChurnResult>({
  ...ABOUT_CHURN,
  settings: CHURN_SETTINGS,
  groupings: [...BASE_GROUPINGS, CHURN_CUSTOMER_FEATURE, CHURN_CUSTOMER_FAILURES],
  finish: finishChurn,
  document: churnDocument,
  bucketedLimits: CHURN_BUCKETED_LIMITS,
  actions: churnActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
