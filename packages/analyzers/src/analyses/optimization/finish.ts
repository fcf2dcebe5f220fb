import { type ModelPrice, allocateMicros, priceTokensMicros } from '@finops/schema';
import { type FinishContext, byKey, dayLabel, monthly, round } from '../../context';
import { type ModelTaskTotals, modelTaskGroups } from '../../groups';
import { type Recommendation, recommend } from '../../recommend';
import type { OptimizationConfig } from './settings';
import {
  type ModelShareShift,
  type ModelSwitch,
  cheapest,
  modelShareShift,
  modelSwitches,
} from '../../shared/model-switches';

export type { ModelShareRow, ModelShareShift, ModelSwitch, WindowHalf } from '../../shared/model-switches';

/** Result of analysis 4: rate optimization. */
export interface OptimizationResult {
  switches: ModelSwitch[];
  /** Recommended switches summed by from → to model. */
  matrix: { fromModel: string; toModel: string; calls: number; savingsMicros: number }[];
  switchSavingsMicros: number;
  /** The model mix in the first and the second half of the window: each model's share of calls and cost. */
  modelShift: ModelShareShift;
  /** Savings of the recommended switches per day of the window (each group's saving shared by its daily cost). */
  dailySwitchSavings: { day: string; savingsMicros: number }[];
  reserved: {
    /** The lowest daily spend of the window's inner days (all days when the window has under 3). */
    baselineDailyMicros: number;
    options: {
      level: number;
      discount: number;
      commitmentDailyMicros: number;
      savingsMicros: number;
      monthlySavingsMicros: number;
      breakEvenUtilization: number;
    }[];
    best: { level: number; discount: number; savingsMicros: number } | null;
  };
  volume: {
    provider: string;
    monthlyRunRateMicros: number;
    reachedTier: { minMonthlyUsd: number; discount: number } | null;
    savingsMicros: number;
    nextTier: {
      minMonthlyUsd: number;
      discount: number;
      gapMicros: number;
      extraSavingsMicros: number;
    } | null;
    near: boolean;
  }[];
  arbitrage: {
    family: string;
    provider: string;
    model: string;
    toProvider: string;
    toModel: string;
    calls: number;
    actualMicros: number;
    targetMicros: number;
    savingsMicros: number;
  }[];
  total: {
    switchingMicros: number;
    arbitrageMicros: number;
    commitmentMicros: number;
    volumeMicros: number;
    totalMicros: number;
    monthlyMicros: number;
    shareOfCost: number;
  };
  recommendations: Recommendation[];
}

/** A group moved to another provider of its model's family: its saving and target. */
interface ArbitragedGroup {
  savingsMicros: number;
  toProvider: string;
  targetMicros: number;
}

/**
 * Provider arbitrage on the groups that are not switched: each group moves
 * at most once, to the cheapest other provider of any family its model
 * belongs to. Rows summed by family, provider and model, largest saving first.
 */
function arbitrageOf(
  context: FinishContext,
  groups: readonly ModelTaskTotals[],
  switchedGroups: ReadonlyMap<number, ModelSwitch>,
): { arbitrage: OptimizationResult['arbitrage']; arbitragedGroups: Map<number, ArbitragedGroup> } {
  const { aggregates, catalog, config } = context;
  const settings = config.optimization;
  const arbitrageMap = new Map<string, OptimizationResult['arbitrage'][number]>();
  const arbitragedGroups = new Map<number, ArbitragedGroup>();
  groups.forEach((group, index) => {
    if (switchedGroups.has(index) || group.calls === 0) return;
    const provider = aggregates.values('provider')[
      aggregates.modelProviders()[group.model] as number
    ] as string;
    const model = aggregates.values('model')[group.model] as string;
    // Only a provider whose list price for these tokens is lower counts: the log's per-call rounding
    // must not make an equal price look cheaper.
    const current = catalog.get(provider, model);
    const listMicros = current ? priceTokensMicros(current, group.input, group.output) : group.cost;
    let best: { family: string; price: ModelPrice; micros: number } | undefined;
    for (const family of settings.modelFamilies) {
      if (!family.members.some((member) => member.provider === provider && member.model === model)) continue;
      const prices = family.members
        .filter((member) => member.provider !== provider)
        .map((member) => catalog.get(member.provider, member.model))
        .filter((price): price is ModelPrice => price !== undefined);
      const target = cheapest(prices, group.input, group.output);
      if (
        target &&
        target.micros < group.cost &&
        target.micros < listMicros &&
        (best === undefined || target.micros < best.micros)
      ) {
        best = { family: family.family, ...target };
      }
    }
    if (!best) return;
    const key = `${best.family}\u0000${provider}\u0000${model}`;
    const row = arbitrageMap.get(key) ?? {
      family: best.family,
      provider,
      model,
      toProvider: best.price.provider,
      toModel: best.price.model,
      calls: 0,
      actualMicros: 0,
      targetMicros: 0,
      savingsMicros: 0,
    };
    row.calls += group.calls;
    row.actualMicros += group.cost;
    row.targetMicros += best.micros;
    row.savingsMicros += group.cost - best.micros;
    arbitrageMap.set(key, row);
    arbitragedGroups.set(index, {
      savingsMicros: group.cost - best.micros,
      toProvider: best.price.provider,
      targetMicros: best.micros,
    });
  });
  const arbitrage = [...arbitrageMap.values()].sort(
    (a, b) => b.savingsMicros - a.savingsMicros || byKey(a.family, b.family) || byKey(a.provider, b.provider),
  );
  return { arbitrage, arbitragedGroups };
}

/** Daily spend after the switches and the arbitrage, so that commitments do not count those savings again. */
function dailyAfterSavings(
  context: FinishContext,
  cellGroup: readonly number[],
  switchedGroups: ReadonlyMap<number, ModelSwitch>,
  arbitragedGroups: ReadonlyMap<number, ArbitragedGroup>,
): number[] {
  const { aggregates } = context;
  const savedByGroup = new Map<number, number>();
  for (const [group, entry] of switchedGroups) savedByGroup.set(group, entry.savingsMicros);
  for (const [group, entry] of arbitragedGroups) savedByGroup.set(group, entry.savingsMicros);
  const dailyAfter = context.dailyCost.slice();
  const groupCells = new Map<number, number[]>();
  const dayTable = aggregates.grouping('modelTaskDay');
  const cellCost = dayTable.measure('cost');
  const cellDay = dayTable.keys('day');
  for (let cell = 0; cell < dayTable.size; cell++) {
    const group = cellGroup[cell] as number;
    if (!savedByGroup.has(group)) continue;
    const cells = groupCells.get(group) ?? [];
    cells.push(cell);
    groupCells.set(group, cells);
  }
  for (const [group, cells] of groupCells) {
    // The group's saving shared among its days by their cost, adding up exactly.
    const shares = allocateMicros(
      savedByGroup.get(group) as number,
      cells.map((cell) => cellCost[cell] as number),
    );
    cells.forEach((cell, index) => {
      const offset = (aggregates.days()[cellDay[cell] as number] as number) - context.firstDay;
      dailyAfter[offset] = (dailyAfter[offset] as number) - (shares[index] as number);
    });
  }
  return dailyAfter;
}

/** Reserved capacity on the spend left after switching: every level × discount, and the best one. */
function reservedOf(context: FinishContext, dailyAfter: readonly number[], settings: OptimizationConfig) {
  const inner = dailyAfter.length >= 3 ? dailyAfter.slice(1, -1) : dailyAfter;
  const baseline = inner.length === 0 ? 0 : Math.max(0, Math.min(...inner));
  const options: OptimizationResult['reserved']['options'] = [];
  for (const level of settings.commitmentLevels) {
    for (const discount of settings.commitmentDiscounts) {
      const commitment = Math.round(baseline * level);
      let savings = 0;
      for (const cost of dailyAfter)
        savings += Math.min(cost, commitment) - Math.round(commitment * (1 - discount));
      options.push({
        level,
        discount,
        commitmentDailyMicros: commitment,
        savingsMicros: savings,
        monthlySavingsMicros: monthly(context, savings),
        breakEvenUtilization: round(1 - discount, 4),
      });
    }
  }
  let bestOption: OptimizationResult['reserved']['options'][number] | undefined;
  for (const option of options)
    if (option.savingsMicros > 0 && (!bestOption || option.savingsMicros > bestOption.savingsMicros))
      bestOption = option;
  const commitmentMicros = bestOption?.savingsMicros ?? 0;
  const committedTotal = bestOption ? bestOption.commitmentDailyMicros * dailyAfter.length : 0;
  const afterSwitchTotal = dailyAfter.reduce((sum, cost) => sum + cost, 0);
  const uncommittedShare = afterSwitchTotal <= 0 ? 0 : Math.max(0, 1 - committedTotal / afterSwitchTotal);
  return { baseline, options, bestOption, commitmentMicros, uncommittedShare };
}

/** Recommended switches summed by from → to model, largest saving first. */
function switchMatrixOf(recommended: readonly ModelSwitch[]): OptimizationResult['matrix'] {
  const matrixMap = new Map<
    string,
    { fromModel: string; toModel: string; calls: number; savingsMicros: number }
  >();
  for (const entry of recommended) {
    const key = `${entry.fromModel}\u0000${entry.toModel}`;
    const row = matrixMap.get(key) ?? {
      fromModel: entry.fromModel,
      toModel: entry.toModel,
      calls: 0,
      savingsMicros: 0,
    };
    row.calls += entry.calls;
    row.savingsMicros += entry.savingsMicros;
    matrixMap.set(key, row);
  }
  return [...matrixMap.values()].sort(
    (a, b) =>
      b.savingsMicros - a.savingsMicros || byKey(a.fromModel, b.fromModel) || byKey(a.toModel, b.toModel),
  );
}

/** The recommended switch of each model × task group (by group index), where one applies. */
function switchedGroupsOf(
  context: FinishContext,
  groups: readonly ModelTaskTotals[],
  recommended: readonly ModelSwitch[],
): Map<number, ModelSwitch> {
  const { aggregates } = context;
  const switchedGroups = new Map<number, ModelSwitch>();
  groups.forEach((group, index) => {
    const provider = aggregates.values('provider')[
      aggregates.modelProviders()[group.model] as number
    ] as string;
    const entry = recommended.find(
      (candidate) =>
        candidate.fromProvider === provider &&
        candidate.fromModel === aggregates.values('model')[group.model] &&
        candidate.taskType === aggregates.values('taskType')[group.task],
    );
    if (entry) switchedGroups.set(index, entry);
  });
  return switchedGroups;
}

/** Spend per provider (by provider index) left after the recommended switches and arbitrage moves. */
function providerSpendAfterSavings(
  context: FinishContext,
  groups: readonly ModelTaskTotals[],
  switchedGroups: ReadonlyMap<number, ModelSwitch>,
  arbitragedGroups: ReadonlyMap<number, ArbitragedGroup>,
): number[] {
  const { aggregates } = context;
  const providerAfter = new Array<number>(aggregates.values('provider').length).fill(0);
  groups.forEach((group, index) => {
    const provider = aggregates.modelProviders()[group.model] as number;
    const moved = arbitragedGroups.get(index);
    if (moved) {
      // The spend moves to the other provider at its price (when that provider is in the log).
      const target = aggregates.values('provider').indexOf(moved.toProvider);
      if (target >= 0) providerAfter[target] = (providerAfter[target] as number) + moved.targetMicros;
      return;
    }
    const saved = switchedGroups.get(index)?.savingsMicros ?? 0;
    providerAfter[provider] = (providerAfter[provider] as number) + group.cost - saved;
  });
  return providerAfter;
}

/** Volume discounts per provider on the spend left after switching, outside the commitment; highest run rate first. */
function volumeDiscountsOf(
  context: FinishContext,
  providerAfter: readonly number[],
  uncommittedShare: number,
  settings: OptimizationConfig,
): OptimizationResult['volume'] {
  const { aggregates } = context;
  const tiers = settings.volumeTiers.slice().sort((a, b) => a.minMonthlyUsd - b.minMonthlyUsd);
  return aggregates
    .values('provider')
    .map((provider, index) => {
      const spend = providerAfter[index] as number;
      const runRate = monthly(context, spend);
      let reached: (typeof tiers)[number] | null = null;
      let next: (typeof tiers)[number] | null = null;
      for (const tier of tiers) {
        if (runRate >= tier.minMonthlyUsd * 1e6) reached = tier;
        else if (next === null) next = tier;
      }
      const eligible = Math.round(spend * uncommittedShare);
      const savings = reached ? Math.round(eligible * reached.discount) : 0;
      return {
        provider,
        monthlyRunRateMicros: runRate,
        reachedTier: reached ? { ...reached } : null,
        savingsMicros: savings,
        nextTier: next
          ? {
              ...next,
              gapMicros: Math.round(next.minMonthlyUsd * 1e6) - runRate,
              extraSavingsMicros: Math.round(eligible * next.discount) - savings,
            }
          : null,
        near: next !== null && runRate >= next.minMonthlyUsd * 1e6 * settings.volumeNearShare,
      };
    })
    .sort((a, b) => b.monthlyRunRateMicros - a.monthlyRunRateMicros || byKey(a.provider, b.provider));
}

/** The figures the recommendations of analysis 4 rest on. */
interface OptimizationFindings {
  readonly recommended: readonly ModelSwitch[];
  readonly bestOption: OptimizationResult['reserved']['options'][number] | undefined;
  readonly volume: OptimizationResult['volume'];
  readonly totalMicros: number;
}

/** The top switches, the best commitment, the volume tiers within reach and the total potential, as recommendations. */
function optimizationRecommendations(
  context: FinishContext,
  { recommended, bestOption, volume, totalMicros }: OptimizationFindings,
): Recommendation[] {
  const { aggregates } = context;
  const recommendations: Recommendation[] = [];
  for (const entry of recommended.slice(0, 5)) {
    recommendations.push(
      recommend(
        'Move {taskType} calls on {fromModel} to {toModel} ({risk} risk): {calls} calls, saves {savingsMicros} in this window, {monthlySavingsMicros} a month.',
        {
          taskType: entry.taskType,
          fromModel: entry.fromModel,
          toModel: entry.toModel,
          risk: entry.risk,
          calls: entry.calls,
          savingsMicros: entry.savingsMicros,
          monthlySavingsMicros: entry.monthlySavingsMicros,
        },
      ),
    );
  }
  if (bestOption) {
    recommendations.push(
      recommend(
        'Commit to {commitmentDailyMicros} a day at a {discountPct} discount: saves {savingsMicros} in this window; break-even at {breakEvenPct} utilisation.',
        {
          commitmentDailyMicros: bestOption.commitmentDailyMicros,
          discountPct: bestOption.discount * 100,
          savingsMicros: bestOption.savingsMicros,
          breakEvenPct: bestOption.breakEvenUtilization * 100,
        },
      ),
    );
  }
  for (const row of volume.filter((entry) => entry.near && entry.nextTier)) {
    recommendations.push(
      recommend(
        '{provider} runs at {runRateMicros} a month, {gapMicros} short of the next volume tier worth {extraMicros} more.',
        {
          provider: row.provider,
          runRateMicros: row.monthlyRunRateMicros,
          gapMicros: row.nextTier?.gapMicros ?? 0,
          extraMicros: row.nextTier?.extraSavingsMicros ?? 0,
        },
      ),
    );
  }
  if (totalMicros > 0) {
    recommendations.push(
      recommend(
        'Total optimization potential: {totalMicros} in this window ({sharePct} of cost), {monthlyMicros} a month.',
        {
          totalMicros,
          sharePct: aggregates.costMicros === 0 ? 0 : (totalMicros / aggregates.costMicros) * 100,
          monthlyMicros: monthly(context, totalMicros),
        },
      ),
    );
  }
  return recommendations;
}

/** Finishes analysis 4. */
export function finishOptimization(context: FinishContext): OptimizationResult {
  const { aggregates, config } = context;
  const settings = config.optimization;
  const switches = modelSwitches(context);
  const recommended = switches.filter((entry) => entry.recommended);
  const matrix = switchMatrixOf(recommended);
  const switchingMicros = recommended.reduce((sum, entry) => sum + entry.savingsMicros, 0);

  // Daily spend after the recommended switches, for commitments without double counting.
  const { groups, cellGroup } = modelTaskGroups(aggregates);
  const switchedGroups = switchedGroupsOf(context, groups, recommended);
  const { arbitrage, arbitragedGroups } = arbitrageOf(context, groups, switchedGroups);
  const arbitrageMicros = arbitrage.reduce((sum, row) => sum + row.savingsMicros, 0);

  const dailyAfter = dailyAfterSavings(context, cellGroup, switchedGroups, arbitragedGroups);

  const { baseline, options, bestOption, commitmentMicros, uncommittedShare } = reservedOf(
    context,
    dailyAfter,
    settings,
  );

  const providerAfter = providerSpendAfterSavings(context, groups, switchedGroups, arbitragedGroups);
  const volume = volumeDiscountsOf(context, providerAfter, uncommittedShare, settings);
  const volumeMicros = volume.reduce((sum, row) => sum + row.savingsMicros, 0);
  const totalMicros = switchingMicros + arbitrageMicros + commitmentMicros + volumeMicros;

  const recommendations = optimizationRecommendations(context, {
    recommended,
    bestOption,
    volume,
    totalMicros,
  });
  return {
    switches,
    matrix,
    switchSavingsMicros: switchingMicros,
    modelShift: modelShareShift(context),
    dailySwitchSavings: dailyAfter.map((after, offset) => ({
      day: dayLabel(context, offset),
      savingsMicros: (context.dailyCost[offset] as number) - after,
    })),
    reserved: {
      baselineDailyMicros: baseline,
      options,
      best: bestOption
        ? { level: bestOption.level, discount: bestOption.discount, savingsMicros: bestOption.savingsMicros }
        : null,
    },
    volume,
    arbitrage,
    total: {
      switchingMicros,
      arbitrageMicros,
      commitmentMicros,
      volumeMicros,
      totalMicros,
      monthlyMicros: monthly(context, totalMicros),
      shareOfCost: aggregates.costMicros === 0 ? 0 : round(totalMicros / aggregates.costMicros, 6),
    },
    recommendations,
  };
}
