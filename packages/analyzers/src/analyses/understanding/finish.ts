import { WEEKDAY_NAMES, microsToUsd } from '@finops/schema';
import { type FinishContext, byKey, dayLabel, monthly, round, shareOf } from '../../context';
import { type Recommendation, recommend } from '../../recommend';
import { completeDays, forecastDaily, type ForecastHorizon } from '../../shared/forecast';
import { modelShareShift, modelSwitches } from '../../shared/model-switches';
import { type PeriodsResult, periodsOf } from '../../shared/periods';

export type {
  Contribution,
  DriverDimension,
  PeriodComparison,
  PeriodDrivers,
  PeriodKind,
  PeriodRow,
  PeriodSeries,
  PeriodsResult,
} from '../../shared/periods';

export { completeDays, forecastDaily, type ForecastHorizon } from '../../shared/forecast';
import { type UsageFigures, usageFigures } from '../../usage';
import type { AggregateReader } from '../../store/reader';
import type { UnderstandingConfig } from './settings';

/** One key of a breakdown: its calls, cost, tokens and share of the total cost. */
export interface BreakdownRow {
  key: string;
  calls: number;
  costMicros: number;
  costUsd: number;
  /** Share of the total cost, 0–1. */
  share: number;
  inputTokens: number;
  outputTokens: number;
}

/** The dimensions cost is broken down by. */
export const BREAKDOWN_DIMENSIONS = [
  'provider',
  'model',
  'customer',
  'organization',
  'product',
  'feature',
  'taskType',
  'environment',
  'tier',
] as const;
/** A dimension of {@link UnderstandingResult.breakdowns}. */
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

/** Result of analysis 1: understanding usage and cost. */
export interface UnderstandingResult {
  /** Prompt caching, failed calls, reasoning tokens and regions (the record's version-2 fields). */
  usage: UsageFigures;
  totals: {
    calls: number;
    costMicros: number;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    totalTokens: number;
    customers: number;
    windowDays: number;
    avgCostPerCallUsd: number;
    dailyBurnUsd: number;
    runRateMonthlyUsd: number;
  };
  /** Every key of every dimension, by cost descending (ties by key). Each breakdown adds up to the totals exactly. */
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
  /** The top customers and everyone else. */
  topCustomers: {
    top: BreakdownRow[];
    rest: { customers: number; calls: number; costMicros: number; share: number };
  };
  efficiency: {
    byProvider: { provider: string; costPer1kTokensUsd: number; avgTokensPerCall: number }[];
    byModel: { model: string; provider: string; costPer1kTokensUsd: number; avgTokensPerCall: number }[];
    byTaskType: {
      taskType: string;
      inputOutputRatio: number;
      avgInputTokens: number;
      avgOutputTokens: number;
    }[];
    avgTokensPerCall: number;
  };
  /** One entry per day of the window, zero days included. */
  daily: {
    day: string;
    calls: number;
    costMicros: number;
    costUsd: number;
    cumulativeMicros: number;
    cumulativeUsd: number;
  }[];
  /** Each model's share of cost in the first and the second half of the window (a shift shows a migration). */
  modelShares: {
    model: string;
    provider: string;
    firstHalfShare: number;
    secondHalfShare: number;
    change: number;
  }[];
  byHour: { hour: number; calls: number; costMicros: number }[];
  /**
   * Cost by calendar month and ISO week (UTC), each period's change against
   * the one before, and the providers, models, customers and features that
   * drove the change between the last two complete periods (adding up to it exactly).
   */
  periods: PeriodsResult;
  byWeekday: { weekday: number; name: string; calls: number; costMicros: number }[];
  forecast: {
    method: string;
    days30: ForecastHorizon;
    days90: ForecastHorizon;
    days365: ForecastHorizon;
    runRateMonthlyUsd: number;
    basedOnDays: number;
    /** Trend of daily cost in USD per day. */
    slopeUsdPerDay: number;
    confidence: number;
  };
  recommendations: Recommendation[];
}

function rowsOf(
  keys: readonly string[],
  calls: number[],
  cost: number[],
  input: number[],
  output: number[],
  total: number,
): BreakdownRow[] {
  const rows: BreakdownRow[] = [];
  keys.forEach((key, index) => {
    if ((calls[index] ?? 0) === 0) return;
    const costMicros = cost[index] ?? 0;
    rows.push({
      key,
      calls: calls[index] ?? 0,
      costMicros,
      costUsd: microsToUsd(costMicros),
      share: round(shareOf(costMicros, total), 6),
      inputTokens: input[index] ?? 0,
      outputTokens: output[index] ?? 0,
    });
  });
  return rows.sort((a, b) => b.costMicros - a.costMicros || byKey(a.key, b.key));
}

/** Sums of calls, cost, input and output by a key of the cells of a table. */
class Sums {
  readonly calls: number[];
  readonly cost: number[];
  readonly input: number[];
  readonly output: number[];
  constructor(size: number) {
    this.calls = new Array<number>(size).fill(0);
    this.cost = new Array<number>(size).fill(0);
    this.input = new Array<number>(size).fill(0);
    this.output = new Array<number>(size).fill(0);
  }
  add(index: number, calls: number, cost: number, input: number, output: number): void {
    this.calls[index] = (this.calls[index] as number) + calls;
    this.cost[index] = (this.cost[index] as number) + cost;
    this.input[index] = (this.input[index] as number) + input;
    this.output[index] = (this.output[index] as number) + output;
  }
}

/** Calls, cost and tokens per value of each dimension of the breakdowns. */
interface DimensionSums {
  providerSums: Sums;
  modelSums: Sums;
  taskSums: Sums;
  organizationSums: Sums;
  productSums: Sums;
  featureSums: Sums;
  environmentSums: Sums;
  tierSums: Sums;
}

/** Sums the model × task type × day, team and plan cells per value of each dimension. */
function dimensionSums(aggregates: AggregateReader): DimensionSums {
  const providerSums = new Sums(aggregates.values('provider').length);
  const modelSums = new Sums(aggregates.values('model').length);
  const taskSums = new Sums(aggregates.values('taskType').length);
  const modelTaskDay = aggregates.grouping('modelTaskDay');
  const cellModel = modelTaskDay.keys('model');
  const cellTask = modelTaskDay.keys('taskType');
  const cellCalls = modelTaskDay.measure('calls');
  const cellCost = modelTaskDay.measure('cost');
  const cellInput = modelTaskDay.measure('inputTokens');
  const cellOutput = modelTaskDay.measure('outputTokens');
  for (let cell = 0; cell < modelTaskDay.size; cell++) {
    const model = cellModel[cell] as number;
    const task = cellTask[cell] as number;
    const calls = cellCalls[cell] as number;
    const cost = cellCost[cell] as number;
    const input = cellInput[cell] as number;
    const output = cellOutput[cell] as number;
    modelSums.add(model, calls, cost, input, output);
    taskSums.add(task, calls, cost, input, output);
    providerSums.add(aggregates.modelProviders()[model] as number, calls, cost, input, output);
  }
  const organizationSums = new Sums(aggregates.values('organization').length);
  const productSums = new Sums(aggregates.values('product').length);
  const featureSums = new Sums(aggregates.values('feature').length);
  const environmentSums = new Sums(aggregates.values('environment').length);
  const team = aggregates.grouping('teamFeature');
  const teamCalls = team.measure('calls');
  const teamCost = team.measure('cost');
  const teamInput = team.measure('inputTokens');
  const teamOutput = team.measure('outputTokens');
  const teamOrganization = team.keys('organization');
  const teamProduct = team.keys('product');
  const teamFeature = team.keys('feature');
  const teamEnvironment = team.keys('environment');
  for (let cell = 0; cell < team.size; cell++) {
    const args = [teamCalls[cell], teamCost[cell], teamInput[cell], teamOutput[cell]] as [
      number,
      number,
      number,
      number,
    ];
    organizationSums.add(teamOrganization[cell] as number, ...args);
    productSums.add(teamProduct[cell] as number, ...args);
    featureSums.add(teamFeature[cell] as number, ...args);
    environmentSums.add(teamEnvironment[cell] as number, ...args);
  }
  const tierSums = new Sums(aggregates.values('plan').length);
  const planTotals = aggregates.grouping('planTotals');
  const planCalls = planTotals.measure('calls');
  const planCost = planTotals.measure('cost');
  const planInput = planTotals.measure('inputTokens');
  const planOutput = planTotals.measure('outputTokens');
  for (let tier = 0; tier < aggregates.values('plan').length; tier++) {
    tierSums.add(
      tier,
      planCalls[tier] as number,
      planCost[tier] as number,
      planInput[tier] as number,
      planOutput[tier] as number,
    );
  }
  return {
    providerSums,
    modelSums,
    taskSums,
    organizationSums,
    productSums,
    featureSums,
    environmentSums,
    tierSums,
  };
}

/** Every key of every dimension with its calls, cost, tokens and share of the total. */
function breakdownsOf(
  context: FinishContext,
  sums: DimensionSums,
  total: number,
): Record<BreakdownDimension, BreakdownRow[]> {
  const { aggregates } = context;
  const {
    providerSums,
    modelSums,
    taskSums,
    organizationSums,
    productSums,
    featureSums,
    environmentSums,
    tierSums,
  } = sums;
  const modelKeys = aggregates.values('model').slice();
  // The model breakdown is by model name; the same name at two providers is one key.
  const modelNames = [...new Set(modelKeys)].sort(byKey);
  const byName = new Sums(modelNames.length);
  const nameIndex = new Map(modelNames.map((name, index) => [name, index]));
  modelKeys.forEach((name, model) => {
    const index = nameIndex.get(name) as number;
    byName.add(
      index,
      modelSums.calls[model] as number,
      modelSums.cost[model] as number,
      modelSums.input[model] as number,
      modelSums.output[model] as number,
    );
  });
  return {
    provider: rowsOf(
      aggregates.values('provider'),
      providerSums.calls,
      providerSums.cost,
      providerSums.input,
      providerSums.output,
      total,
    ),
    model: rowsOf(modelNames, byName.calls, byName.cost, byName.input, byName.output, total),
    customer: rowsOf(
      aggregates.values('customer'),
      context.customerCalls,
      context.customerCost,
      context.customerInput,
      context.customerOutput,
      total,
    ),
    organization: rowsOf(
      aggregates.values('organization'),
      organizationSums.calls,
      organizationSums.cost,
      organizationSums.input,
      organizationSums.output,
      total,
    ),
    product: rowsOf(
      aggregates.values('product'),
      productSums.calls,
      productSums.cost,
      productSums.input,
      productSums.output,
      total,
    ),
    feature: rowsOf(
      aggregates.values('feature'),
      featureSums.calls,
      featureSums.cost,
      featureSums.input,
      featureSums.output,
      total,
    ),
    taskType: rowsOf(
      aggregates.values('taskType'),
      taskSums.calls,
      taskSums.cost,
      taskSums.input,
      taskSums.output,
      total,
    ),
    environment: rowsOf(
      aggregates.values('environment'),
      environmentSums.calls,
      environmentSums.cost,
      environmentSums.input,
      environmentSums.output,
      total,
    ),
    tier: rowsOf(
      aggregates.values('plan'),
      tierSums.calls,
      tierSums.cost,
      tierSums.input,
      tierSums.output,
      total,
    ),
  };
}

/** Cost per 1K tokens and tokens per call by provider and model; input/output ratio by task type. */
function efficiencyOf(
  aggregates: AggregateReader,
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>,
  modelSums: Sums,
): UnderstandingResult['efficiency'] {
  const modelKeys = aggregates.values('model');
  const per1k = (cost: number, tokens: number): number =>
    tokens === 0 ? 0 : round((microsToUsd(cost) / tokens) * 1000, 6);
  return {
    byProvider: breakdowns.provider
      .map((row) => ({
        provider: row.key,
        costPer1kTokensUsd: per1k(row.costMicros, row.inputTokens + row.outputTokens),
        avgTokensPerCall: round((row.inputTokens + row.outputTokens) / row.calls, 2),
      }))
      .sort((a, b) => b.costPer1kTokensUsd - a.costPer1kTokensUsd || byKey(a.provider, b.provider)),
    byModel: modelKeys
      .map((model, index) => ({
        index,
        model,
        provider: aggregates.values('provider')[aggregates.modelProviders()[index] as number] as string,
      }))
      .filter(({ index }) => (modelSums.calls[index] as number) > 0)
      .map(({ index, model, provider }) => {
        const tokens = (modelSums.input[index] as number) + (modelSums.output[index] as number);
        return {
          model,
          provider,
          costPer1kTokensUsd: per1k(modelSums.cost[index] as number, tokens),
          avgTokensPerCall: round(tokens / (modelSums.calls[index] as number), 2),
        };
      })
      .sort(
        (a, b) =>
          b.costPer1kTokensUsd - a.costPer1kTokensUsd ||
          byKey(a.provider, b.provider) ||
          byKey(a.model, b.model),
      ),
    byTaskType: breakdowns.taskType
      .map((row) => ({
        taskType: row.key,
        inputOutputRatio: row.outputTokens === 0 ? 0 : round(row.inputTokens / row.outputTokens, 4),
        avgInputTokens: round(row.inputTokens / row.calls, 2),
        avgOutputTokens: round(row.outputTokens / row.calls, 2),
      }))
      .sort((a, b) => byKey(a.taskType, b.taskType)),
    avgTokensPerCall:
      aggregates.calls === 0
        ? 0
        : round((aggregates.inputTokens + aggregates.outputTokens) / aggregates.calls, 2),
  };
}

/** Every day of the window with its calls, cost and cumulative cost. */
function dailySeries(context: FinishContext): UnderstandingResult['daily'] {
  let cumulative = 0;
  return context.dailyCost.map((costMicros, offset) => {
    cumulative += costMicros;
    return {
      day: dayLabel(context, offset),
      calls: context.dailyCalls[offset] as number,
      costMicros,
      costUsd: microsToUsd(costMicros),
      cumulativeMicros: cumulative,
      cumulativeUsd: microsToUsd(cumulative),
    };
  });
}

/** Each model's share of cost in the first and the second half of the window, largest change first. */
function modelSharesOf(context: FinishContext): UnderstandingResult['modelShares'] {
  return modelShareShift(context).models.map((row) => ({
    model: row.model,
    provider: row.provider,
    firstHalfShare: row.firstCostShare,
    secondHalfShare: row.secondCostShare,
    change: row.costShareChange,
  }));
}

/** Calls and cost per hour of day (UTC) and per weekday. */
function timeOfDay(aggregates: AggregateReader): Pick<UnderstandingResult, 'byHour' | 'byWeekday'> {
  const hours = aggregates.grouping('hourTotals');
  const byHour = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    calls: hours.measure('calls')[hour] as number,
    costMicros: hours.measure('cost')[hour] as number,
  }));
  const weekdays = aggregates.grouping('weekdayTotals');
  const byWeekday = WEEKDAY_NAMES.map((name, weekday) => ({
    weekday,
    name,
    calls: weekdays.measure('calls')[weekday] as number,
    costMicros: weekdays.measure('cost')[weekday] as number,
  }));
  return { byHour, byWeekday };
}

/** The 30-, 90- and 365-day forecast of cost from the complete days of the window. */
function forecastOf(
  context: FinishContext,
  settings: UnderstandingConfig,
  runRateMonthlyMicros: number,
): UnderstandingResult['forecast'] {
  const { aggregates } = context;
  const fitted = completeDays(context.dailyCost, aggregates.firstMs, aggregates.lastMs);
  const fit = forecastDaily(fitted.days.map(microsToUsd), [30, 90, 365], settings.forecastConfidence, {
    offset: fitted.offset,
    from: context.dailyCost.length,
  });
  const horizon = (index: number): ForecastHorizon => {
    const projection = fit.projections[index] as ForecastHorizon;
    return {
      expectedUsd: round(projection.expectedUsd, 2),
      lowUsd: round(projection.lowUsd, 2),
      highUsd: round(projection.highUsd, 2),
    };
  };
  return {
    method:
      fitted.days.length >= 3
        ? 'least-squares line on the daily cost of the complete days, prediction interval of the summed days'
        : 'daily average (fewer than 3 days)',
    days30: horizon(0),
    days90: horizon(1),
    days365: horizon(2),
    runRateMonthlyUsd: microsToUsd(runRateMonthlyMicros),
    basedOnDays: fitted.days.length,
    slopeUsdPerDay: round(fit.slope, 4),
    confidence: settings.forecastConfidence,
  };
}

/** The largest model switches, the priciest provider against the cheapest, and the budget alert. */
function recommendationsOf(
  context: FinishContext,
  settings: UnderstandingConfig,
  efficiency: UnderstandingResult['efficiency'],
  forecast: UnderstandingResult['forecast'],
): Recommendation[] {
  const recommendations: Recommendation[] = [];
  const switches = modelSwitches(context).filter((entry) => entry.recommended);
  switches.sort(
    (a, b) =>
      b.savingsMicros - a.savingsMicros || byKey(a.taskType, b.taskType) || byKey(a.fromModel, b.fromModel),
  );
  for (const entry of switches.slice(0, 3)) {
    recommendations.push(
      recommend(
        'Move {taskType} calls on {fromModel} to {toModel}: {calls} calls, saves {savingsMicros} in this window, {monthlySavingsMicros} a month.',
        {
          taskType: entry.taskType,
          fromModel: entry.fromModel,
          toModel: entry.toModel,
          calls: entry.calls,
          savingsMicros: entry.savingsMicros,
          monthlySavingsMicros: entry.monthlySavingsMicros,
        },
      ),
    );
  }
  const priciest = efficiency.byProvider[0];
  const cheapest = efficiency.byProvider[efficiency.byProvider.length - 1];
  if (priciest && cheapest && priciest.provider !== cheapest.provider) {
    recommendations.push(
      recommend(
        '{provider} is the most expensive provider at {costPer1kMicros} per thousand tokens, against {cheapestPer1kMicros} at {cheapest}.',
        {
          provider: priciest.provider,
          costPer1kMicros: Math.round(priciest.costPer1kTokensUsd * 1e6),
          cheapest: cheapest.provider,
          cheapestPer1kMicros: Math.round(cheapest.costPer1kTokensUsd * 1e6),
        },
      ),
    );
  }
  if (settings.monthlyBudgetUsd !== null && forecast.days30.expectedUsd > settings.monthlyBudgetUsd) {
    recommendations.push(
      recommend(
        'Budget alert: the next 30 days are forecast at {forecastMicros}, above the monthly budget of {budgetMicros}.',
        {
          forecastMicros: Math.round(forecast.days30.expectedUsd * 1e6),
          budgetMicros: Math.round(settings.monthlyBudgetUsd * 1e6),
        },
      ),
    );
  }
  return recommendations;
}

/** Finishes analysis 1. */
export function finishUnderstanding(context: FinishContext): UnderstandingResult {
  const { aggregates, config } = context;
  const settings = config.understanding;
  const total = aggregates.costMicros;
  const sums = dimensionSums(aggregates);
  const breakdowns = breakdownsOf(context, sums, total);
  const top = breakdowns.customer.slice(0, settings.topCustomers);
  const restRows = breakdowns.customer.slice(settings.topCustomers);
  const restCost = restRows.reduce((sum, row) => sum + row.costMicros, 0);
  const efficiency = efficiencyOf(aggregates, breakdowns, sums.modelSums);
  const daily = dailySeries(context);
  const modelShares = modelSharesOf(context);
  const { byHour, byWeekday } = timeOfDay(aggregates);
  const runRateMonthlyMicros = monthly(context, total);
  const forecast = forecastOf(context, settings, runRateMonthlyMicros);
  const recommendations = recommendationsOf(context, settings, efficiency, forecast);
  return {
    usage: usageFigures(context, settings.topCustomers),
    totals: {
      calls: aggregates.calls,
      costMicros: total,
      costUsd: microsToUsd(total),
      inputTokens: aggregates.inputTokens,
      outputTokens: aggregates.outputTokens,
      totalTokens: aggregates.inputTokens + aggregates.outputTokens,
      customers: aggregates.values('customer').length,
      windowDays: context.windowDays,
      avgCostPerCallUsd: aggregates.calls === 0 ? 0 : round(microsToUsd(total) / aggregates.calls, 6),
      dailyBurnUsd: context.windowDays === 0 ? 0 : round(microsToUsd(total) / context.windowDays, 2),
      runRateMonthlyUsd: microsToUsd(runRateMonthlyMicros),
    },
    breakdowns,
    topCustomers: {
      top,
      rest: {
        customers: restRows.length,
        calls: restRows.reduce((sum, row) => sum + row.calls, 0),
        costMicros: restCost,
        share: round(shareOf(restCost, total), 6),
      },
    },
    efficiency,
    daily,
    modelShares,
    byHour,
    periods: periodsOf(context, settings.periodDrivers),
    byWeekday,
    forecast,
    recommendations,
  };
}
