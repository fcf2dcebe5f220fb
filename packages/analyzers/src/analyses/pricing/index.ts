import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { pricingActions } from './actions';
import { ABOUT_PRICING } from './about';
import { PRICING_BUCKETED_LIMITS, pricingDocument } from './document';
import { type PricingResult, finishPricing } from './finish';
import { type PricingConfig, PRICING_SETTINGS } from './settings';

/** The pricing analysis: {@link ABOUT_PRICING}. */
export const PRICING = defineAnalysis<'pricing', PricingConfig, PricingResult>({
  ...ABOUT_PRICING,
  settings: PRICING_SETTINGS,
  groupings: [...BASE_GROUPINGS],
  finish: (context) => finishPricing(context),
  document: pricingDocument,
  bucketedLimits: PRICING_BUCKETED_LIMITS,
  actions: pricingActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
