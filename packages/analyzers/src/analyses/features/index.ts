import { BASE_GROUPINGS, CUSTOMER_FEATURE } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { featuresActions } from './actions';
import { ABOUT_FEATURES } from './about';
import { FEATURES_PAGE_BUCKETED_LIMITS, featuresDocument } from './document';
import { type FeaturesResult, finishFeatures, SESSIONS_DIGEST } from './finish';
import { type FeaturesConfig, FEATURES_SETTINGS } from './settings';

/** The features analysis: {@link ABOUT_FEATURES}. */
export const FEATURES = defineAnalysis<'features', FeaturesConfig, FeaturesResult>({
  ...ABOUT_FEATURES,
  settings: FEATURES_SETTINGS,
  groupings: [...BASE_GROUPINGS, CUSTOMER_FEATURE],
  digests: [SESSIONS_DIGEST],
  finish: (context) => finishFeatures(context),
  document: featuresDocument,
  bucketedLimits: FEATURES_PAGE_BUCKETED_LIMITS,
  actions: featuresActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
