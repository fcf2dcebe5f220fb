import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { PricingResult } from './finish';

/** The recommended pricing model's margin over flat pricing (both replayed over the window), prorated to a month. */
export function pricingActions(result: PricingResult, meta: AnalysisMeta): ActionCandidate[] {
  const flat = result.models.find((entry) => entry.model === 'flat');
  const best = result.models.find((entry) => entry.model === result.recommended);
  if (!flat || !best || best.model === 'flat') return [];
  const gain = best.marginMicros - flat.marginMicros;
  if (gain <= 0) return [];
  const monthlyMicros = perMonth(gain, meta.window.days);
  return [
    proposeAction(
      `Move to ${best.model} pricing`,
      'Move to {model} pricing: {monthlyMicros} a month more margin than flat pricing, with {churnCustomers} customers ({churnPct}) paying more and at churn risk.',
      {
        model: best.model,
        monthlyMicros,
        churnCustomers: best.churnRisk.customers,
        churnPct: best.churnRisk.share * 100,
      },
      monthlyMicros,
      'The four models compared',
    ),
  ];
}
