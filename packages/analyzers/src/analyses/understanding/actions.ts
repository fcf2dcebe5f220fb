import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { UnderstandingResult } from './finish';
import type { UnderstandingConfig } from './settings';

/** With a monthly budget set: what the forecast of the next 30 days runs above it (already a month's worth). */
export function understandingActions(
  result: UnderstandingResult,
  _meta: AnalysisMeta,
  settings: UnderstandingConfig,
): ActionCandidate[] {
  if (settings.monthlyBudgetUsd === null) return [];
  const forecastMicros = Math.round(result.forecast.days30.expectedUsd * 1e6);
  const budgetMicros = Math.round(settings.monthlyBudgetUsd * 1e6);
  const over = forecastMicros - budgetMicros;
  if (over <= 0) return [];
  return [
    proposeAction(
      'Bring the next month back within budget',
      'The next 30 days are forecast at {forecastMicros} against a monthly budget of {budgetMicros}: {monthlyMicros} a month over it.',
      { forecastMicros, budgetMicros, monthlyMicros: over },
      over,
      'Forecast',
    ),
  ];
}
