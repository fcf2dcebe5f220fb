import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { ConcentrationFigure, OverviewResult } from './finish';

/**
 * Each concentration finding as an action: the cost above the share limit
 * (cost − limit × all cost) is what would have to move elsewhere to bring
 * the share under it, prorated to a month. It is money exposed, not saved.
 */
export function overviewActions(result: OverviewResult, meta: AnalysisMeta): ActionCandidate[] {
  const total = result.totals.costMicros;
  const { largestProvider, topCustomers, largestOrganization } = result.concentration;
  const findings: [ConcentrationFigure | null, string, string][] = [
    [
      largestProvider,
      'Spread the spend over a second provider',
      '{name} carries {sharePct} of all cost, above the {limitPct} limit: {monthlyMicros} a month would have to move to a second provider to bring it under.',
    ],
    [
      topCustomers,
      'Lessen the dependence on the largest customers',
      'The top customers ({name}) carry {sharePct} of all cost, above the {limitPct} limit: {monthlyMicros} a month of their cost is above it.',
    ],
    [
      largestOrganization,
      'Review the spend of the largest organization',
      'Organization {name} carries {sharePct} of all cost, above the {limitPct} limit: {monthlyMicros} a month of its cost is above it.',
    ],
  ];
  return findings.flatMap(([figure, title, template]) => {
    if (figure === null || !figure.finding) return [];
    const above = figure.costMicros - Math.round(figure.limit * total);
    if (above <= 0) return [];
    const monthlyMicros = perMonth(above, meta.window.days);
    return [
      proposeAction(
        title,
        template,
        { name: figure.name, sharePct: figure.share * 100, limitPct: figure.limit * 100, monthlyMicros },
        monthlyMicros,
        'Concentration risk',
      ),
    ];
  });
}
