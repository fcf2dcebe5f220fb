import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { ProfitabilityResult } from './finish';

/** The loss of the unprofitable customers (revenue below AI cost over the window), prorated to a month. */
export function profitabilityActions(result: ProfitabilityResult, meta: AnalysisMeta): ActionCandidate[] {
  const { count, lossMicros, worst } = result.unprofitable;
  const first = worst[0];
  if (count === 0 || lossMicros <= 0 || first === undefined) return [];
  const monthlyMicros = perMonth(lossMicros, meta.window.days);
  return [
    proposeAction(
      'Reprice or cap the customers who cost more than they pay',
      'Unprofitable customers: {customers}, the worst {customer} ({tier}) with a loss of {worstLossMicros} in the window; together they lose {monthlyMicros} a month.',
      {
        customers: count,
        customer: first.customer,
        tier: first.tier,
        worstLossMicros: -first.marginMicros,
        monthlyMicros,
      },
      monthlyMicros,
      'Unprofitable customers',
    ),
  ];
}
