import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { ABOUT_GEOGRAPHY } from './about';
import { geographyDocument } from './document';
import { type GeographyResult, REGION_MODEL, finishGeography } from './finish';
import { type GeographyConfig, GEOGRAPHY_SETTINGS } from './settings';

/** The geography analysis: {@link ABOUT_GEOGRAPHY}. */
export const GEOGRAPHY = defineAnalysis<'geography', GeographyConfig, GeographyResult>({
  ...ABOUT_GEOGRAPHY,
  settings: GEOGRAPHY_SETTINGS,
  groupings: [...BASE_GROUPINGS, REGION_MODEL],
  finish: finishGeography,
  document: geographyDocument,
});

export * from './about';
export * from './document';
export * from './finish';
export * from './settings';
