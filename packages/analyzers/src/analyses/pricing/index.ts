import { BASE_GROUPINGS } from '../../store/builtin-groupings';
import { defineAnalysis } from '../definition';
import { pricingActions } from './actions';
import { ABOUT_PRICING } from './about';
import { pricingDocument } from './document';
import { type PricingResult, finishPricing } from './finish';
import { type PricingConfig, PRICING_SETTINGS } from './settings';

/** The pricing analysis: {@link ABOUT_PRICING}. */
export const PRICING = defineAnalysis<'pricing', PricingConfig, PricingResult>({
  ...ABOUT_PRICING,
  settings: PRICING_SETTINGS,
  groupings: [...BASE_GROUPINGS],
  finish: (context) => finishPricing(context),
  document: pricingDocument,
  actions: pricingActions,
});

export * from './about';
export * from './actions';
export * from './document';
export * from './finish';
export * from './settings';
