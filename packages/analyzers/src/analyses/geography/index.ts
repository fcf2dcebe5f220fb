import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { geographyActions } from './actions';
import { ABOUT_GEOGRAPHY } from './about';
import { GEOGRAPHY_BUCKETED_LIMITS, geographyDocument } from './document';
import { type GeographyResult, REGION_MODEL, finishGeography } from './finish';
import { type GeographyConfig, GEOGRAPHY_SETTINGS } from './settings';

/** The geography analysis: {@link ABOUT_GEOGRAPHY}. */
export const GEOGRAPHY = defineAnalysis<'geography', GeographyConfig, GeographyResult>({
  ...ABOUT_GEOGRAPHY,
  settings: GEOGRAPHY_SETTINGS,
  groupings: [...BASE_GROUPINGS, REGION_MODEL],
  finish: finishGeography,
  document: geographyDocument,
  bucketedLimits: GEOGRAPHY_BUCKETED_LIMITS,
  actions: geographyActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
