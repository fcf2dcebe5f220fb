import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { AlignmentResult } from './finish';

/** What the least efficient organization would save at the best one's cost per thousand tokens, prorated to a month. */
export function alignmentActions(result: AlignmentResult, meta: AnalysisMeta): ActionCandidate[] {
  const { best, worst, gapMicros } = result.crossTeam;
  if (best === null || worst === null || gapMicros <= 0) return [];
  const monthlyMicros = perMonth(gapMicros, meta.window.days);
  return [
    proposeAction(
      `Bring ${worst} to the cost per token of ${best}`,
      '{worst} pays {worstPer1kMicros} per thousand tokens against {bestPer1kMicros} at {best}: at the best rate it would spend {monthlyMicros} a month less.',
      {
        worst,
        best,
        worstPer1kMicros: Math.round(result.crossTeam.worstCostPer1kTokensUsd * 1e6),
        bestPer1kMicros: Math.round(result.crossTeam.bestCostPer1kTokensUsd * 1e6),
        monthlyMicros,
      },
      monthlyMicros,
      'Showback and cross-team efficiency',
    ),
  ];
}
