import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { OptimizationResult } from './finish';

/**
 * The optimization levers as actions, one per lever: the recommended model
 * switches, the provider moves, the best commitment and the volume tiers
 * already reached. Window savings are prorated × 30 / window days; the
 * commitment's saving is already monthly.
 */
export function optimizationActions(result: OptimizationResult, meta: AnalysisMeta): ActionCandidate[] {
  const days = meta.window.days;
  const actions: ActionCandidate[] = [];
  const largest = result.matrix[0];
  if (result.switchSavingsMicros > 0 && largest) {
    actions.push(
      proposeAction(
        'Switch models where a cheaper one does the task',
        'Move {calls} calls to cheaper models, the largest share from {fromModel} to {toModel}: saves {monthlyMicros} a month ({savingsMicros} in the {days}-day window).',
        {
          calls: result.matrix.reduce((sum, row) => sum + row.calls, 0),
          fromModel: largest.fromModel,
          toModel: largest.toModel,
          monthlyMicros: perMonth(result.switchSavingsMicros, days),
          savingsMicros: result.switchSavingsMicros,
          days,
        },
        perMonth(result.switchSavingsMicros, days),
        'Model switching',
      ),
    );
  }
  const move = result.arbitrage[0];
  if (result.total.arbitrageMicros > 0 && move) {
    actions.push(
      proposeAction(
        'Buy the same models from a cheaper provider',
        'Buy {model} from {toProvider} instead of {provider} ({moves} such moves in all): saves {monthlyMicros} a month ({savingsMicros} in the {days}-day window).',
        {
          model: move.model,
          toProvider: move.toProvider,
          provider: move.provider,
          moves: result.arbitrage.length,
          monthlyMicros: perMonth(result.total.arbitrageMicros, days),
          savingsMicros: result.total.arbitrageMicros,
          days,
        },
        perMonth(result.total.arbitrageMicros, days),
        'Provider arbitrage',
      ),
    );
  }
  const best = result.reserved.best;
  const option = best && result.reserved.options.find((entry) => entry.level === best.level);
  if (option && option.monthlySavingsMicros > 0) {
    actions.push(
      proposeAction(
        'Commit to a daily spend for a discount',
        'Commit to {commitmentDailyMicros} a day at a {discountPct} discount: saves {monthlyMicros} a month; break-even at {breakEvenPct} utilisation.',
        {
          commitmentDailyMicros: option.commitmentDailyMicros,
          discountPct: option.discount * 100,
          monthlyMicros: option.monthlySavingsMicros,
          breakEvenPct: option.breakEvenUtilization * 100,
        },
        option.monthlySavingsMicros,
        'Reserved capacity',
      ),
    );
  }
  const reached = result.volume.filter((row) => row.reachedTier !== null && row.savingsMicros > 0);
  const volumeMicros = reached.reduce((sum, row) => sum + row.savingsMicros, 0);
  const top = reached[0];
  if (top && volumeMicros > 0) {
    actions.push(
      proposeAction(
        'Claim the volume discounts already reached',
        '{providers} providers run above a volume tier, {provider} at {runRateMicros} a month: claiming the discounts saves {monthlyMicros} a month.',
        {
          providers: reached.length,
          provider: top.provider,
          runRateMicros: top.monthlyRunRateMicros,
          monthlyMicros: perMonth(volumeMicros, days),
        },
        perMonth(volumeMicros, days),
        'Volume discounts',
      ),
    );
  }
  return actions;
}
