import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { profitabilityActions } from './actions';
import { ABOUT_PROFITABILITY } from './about';
import { PROFITABILITY_BUCKETED_LIMITS, profitabilityDocument } from './document';
import { type ProfitabilityResult, finishProfitability } from './finish';
import { type ProfitabilityConfig, PROFITABILITY_SETTINGS } from './settings';

/** The profitability analysis: {@link ABOUT_PROFITABILITY}. */
export const PROFITABILITY = defineAnalysis<'profitability', ProfitabilityConfig, ProfitabilityResult>({
  ...ABOUT_PROFITABILITY,
  settings: PROFITABILITY_SETTINGS,
  groupings: [...BASE_GROUPINGS],
  finish: (context) => finishProfitability(context),
  document: profitabilityDocument,
  bucketedLimits: PROFITABILITY_BUCKETED_LIMITS,
  actions: profitabilityActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
