import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { GeographyResult } from './finish';

/**
 * The cheaper-region findings together: what the calls billed above their
 * model's cheapest region's price index would have cost less at that index
 * (each finding's `savingMicros`, over the window), prorated to a month. The
 * SLA findings carry no money and propose nothing.
 */
export function geographyActions(result: GeographyResult, meta: AnalysisMeta): ActionCandidate[] {
  const cheaper = result.recommendations
    .map((recommendation) => recommendation.figures)
    .filter(
      (figures) => typeof figures['savingMicros'] === 'number' && figures['cheapestRegion'] !== undefined,
    );
  const largest = cheaper[0];
  const saving = cheaper.reduce((sum, figures) => sum + (figures['savingMicros'] as number), 0);
  if (largest === undefined || saving <= 0) return [];
  const monthlyMicros = perMonth(saving, meta.window.days);
  return [
    proposeAction(
      "Route calls to their model's cheapest region",
      '{routes} model routes are billed above their cheapest region, most {provider}/{model} in {region} against {cheapestRegion}: served at the cheapest rate they would cost {monthlyMicros} a month less.',
      {
        routes: cheaper.length,
        provider: largest['provider'] as string,
        model: largest['model'] as string,
        region: largest['region'] as string,
        cheapestRegion: largest['cheapestRegion'] as string,
        monthlyMicros,
      },
      monthlyMicros,
      'Fastest and cheapest region per model',
    ),
  ];
}
