import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { FeaturesResult } from './finish';

/** The loss of the features whose share of revenue is below their AI cost over the window, prorated to a month. */
export function featuresActions(result: FeaturesResult, meta: AnalysisMeta): ActionCandidate[] {
  const losing = result.features
    .filter((entry) => entry.marginMicros < 0)
    .sort((a, b) => a.marginMicros - b.marginMicros || (a.feature < b.feature ? -1 : 1));
  const worst = losing[0];
  if (worst === undefined) return [];
  const loss = losing.reduce((sum, entry) => sum - entry.marginMicros, 0);
  const monthlyMicros = perMonth(loss, meta.window.days);
  return [
    proposeAction(
      'Cut the cost of the features that lose money',
      '{features} features cost more than the revenue they carry, {feature} most ({quadrant} quadrant): together they lose {monthlyMicros} a month.',
      { features: losing.length, feature: worst.feature, quadrant: worst.quadrant, monthlyMicros },
      monthlyMicros,
      'Per-feature economics',
    ),
  ];
}
