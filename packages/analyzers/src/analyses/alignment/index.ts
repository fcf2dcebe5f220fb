import { BASE_GROUPINGS, TEAM_FEATURE } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { alignmentActions } from './actions';
import { ABOUT_ALIGNMENT } from './about';
import { ALIGNMENT_BUCKETED_LIMITS, alignmentDocument } from './document';
import { type AlignmentResult, finishAlignment } from './finish';
import { type AlignmentConfig, ALIGNMENT_SETTINGS } from './settings';

/** The alignment analysis: {@link ABOUT_ALIGNMENT}. */
export const ALIGNMENT = defineAnalysis<'alignment', AlignmentConfig, AlignmentResult>({
  ...ABOUT_ALIGNMENT,
  settings: ALIGNMENT_SETTINGS,
  groupings: [...BASE_GROUPINGS, TEAM_FEATURE],
  finish: (context) => finishAlignment(context),
  document: alignmentDocument,
  bucketedLimits: ALIGNMENT_BUCKETED_LIMITS,
  actions: alignmentActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
