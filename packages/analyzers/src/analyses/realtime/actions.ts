import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { RealtimeResult } from './finish';

/**
 * The monthly subscriptions of the customers at high or critical risk
 * (already a month's worth), and the cost of the anomalous calls above
 * their group's normal, prorated to a month.
 */
export function realtimeActions(result: RealtimeResult, meta: AnalysisMeta): ActionCandidate[] {
  const actions: ActionCandidate[] = [];
  const { counts, revenueAtRiskMicros } = result.portfolio;
  if (revenueAtRiskMicros > 0) {
    actions.push(
      proposeAction(
        'Contact the customers at risk before the month closes',
        '{customers} customers are projected at high or critical risk of running past their allocation: {monthlyMicros} of monthly subscriptions are at stake.',
        { customers: counts.high + counts.critical, monthlyMicros: revenueAtRiskMicros },
        revenueAtRiskMicros,
        'Portfolio risk',
      ),
    );
  }
  const { count, excessMicros } = result.anomalies;
  if (count > 0 && excessMicros > 0) {
    const monthlyMicros = perMonth(excessMicros, meta.window.days);
    actions.push(
      proposeAction(
        'Cap tokens per call where calls run far above normal',
        '{calls} calls cost far more than their model and task normal, {excessMicros} above it in the {days}-day window: capping tokens per call saves {monthlyMicros} a month.',
        { calls: count, excessMicros, days: meta.window.days, monthlyMicros },
        monthlyMicros,
        'Cost anomalies',
      ),
    );
  }
  return actions;
}
