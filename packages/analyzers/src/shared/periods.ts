/**
 * Period over period: the window's cost by calendar month and by ISO week
 * (UTC), each period's change against the one before, and which providers,
 * models, customers and features drove the change between the last two
 * complete periods. Every figure is summed from day cells in integer
 * micro-dollars, so each dimension's contributions add up to the change
 * exactly (the named ones plus one "others" line).
 */
import { formatUtcDay } from '@finops/schema';
import type { AnalysisName } from '../analyses/registry';
import { type FinishContext, byKey, round } from '../context';
import { grouping } from '../store/grouping';

/** The analyses that use this module (a test holds this list to their imports). */
export const PERIOD_USERS: readonly AnalysisName[] = ['understanding'];

/** Calls and cost per feature × day: what the feature contributions read. */
export const FEATURE_DAY = grouping({
  name: 'featureDay',
  dimensions: ['feature', 'day'],
  measures: ['calls', 'cost'],
});

/** A calendar period: a month, or an ISO week (Monday to Sunday). */
export type PeriodKind = 'month' | 'week';

/** The dimensions a change is attributed to. */
export const DRIVER_DIMENSIONS = ['provider', 'model', 'customer', 'feature'] as const;
/** A dimension of {@link PeriodDrivers}. */
export type DriverDimension = (typeof DRIVER_DIMENSIONS)[number];

/** One period of the window with its totals and its change against the period before. */
export interface PeriodRow {
  /** `2025-03` for a month, `2025-W09` for an ISO week (of its ISO week-year). */
  period: string;
  /** First and last day of the calendar period (UTC), whether or not the log covers them all. */
  from: string;
  to: string;
  /** Days of the period the window covers. */
  days: number;
  /** Whether the window covers every day of the period. */
  complete: boolean;
  calls: number;
  costMicros: number;
  /** Cost minus the previous period's (`null` for the first period). */
  changeMicros: number | null;
  /** The change as a percentage of the previous period's cost (`null` for the first, or after a period of no cost). */
  changePct: number | null;
}

/** What one key (a provider, a model, …) cost in each of the two periods compared. */
export interface Contribution {
  key: string;
  previousMicros: number;
  currentMicros: number;
  /** Current minus previous: its part of the change. */
  changeMicros: number;
}

/** The contributions of one dimension: the largest named, the others summed; together they are the change. */
export interface PeriodDrivers {
  dimension: DriverDimension;
  /** The `periodDrivers` keys whose cost moved most (by size of change; ties by key). */
  top: Contribution[];
  /** Every other key, summed (`keys` 0 when there is none). */
  others: { keys: number; previousMicros: number; currentMicros: number; changeMicros: number };
}

/** The last complete period against the complete period before it. */
export interface PeriodComparison {
  previous: string;
  current: string;
  previousMicros: number;
  currentMicros: number;
  changeMicros: number;
  /** `null` when the previous period cost nothing. */
  changePct: number | null;
  drivers: PeriodDrivers[];
}

/** The periods of one kind and, when the log covers two complete ones, the comparison of the last two. */
export interface PeriodSeries {
  kind: PeriodKind;
  periods: PeriodRow[];
  comparison: PeriodComparison | null;
  /** Why there is no comparison (`null` when there is one). */
  note: string | null;
}

/** Cost by month and by week, and what drove the latest change. */
export interface PeriodsResult {
  months: PeriodSeries;
  weeks: PeriodSeries;
}

/** The ISO weekday of a UTC day number, Monday = 0 (day 0, 1970-01-01, was a Thursday). */
function isoWeekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The UTC day number of a calendar date (month 0–11). */
function dayOf(year: number, month: number, date: number): number {
  return Math.round(Date.UTC(year, month, date) / 86_400_000);
}

/** The calendar period holding a UTC day: its label and its first and last day numbers. */
export function periodOf(kind: PeriodKind, day: number): { label: string; first: number; last: number } {
  if (kind === 'month') {
    const date = new Date(day * 86_400_000);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    return {
      label: `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`,
      first: dayOf(year, month, 1),
      last: dayOf(year, month + 1, 1) - 1,
    };
  }
  const monday = day - isoWeekday(day);
  // The ISO week-year is the year of the week's Thursday; week 1 holds that year's first Thursday.
  const thursday = monday + 3;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const week = Math.floor((thursday - dayOf(year, 0, 1)) / 7) + 1;
  return {
    label: `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`,
    first: monday,
    last: monday + 6,
  };
}

/** Per-key cost in the two compared periods, filled from day cells. */
class TwoPeriodSums {
  readonly previous: number[];
  readonly current: number[];
  constructor(size: number) {
    this.previous = new Array<number>(size).fill(0);
    this.current = new Array<number>(size).fill(0);
  }
}

/** The periods of the window, each with its calls, cost and change against the one before. */
function periodRows(context: FinishContext, kind: PeriodKind): PeriodRow[] {
  const rows: PeriodRow[] = [];
  if (context.windowDays === 0) return rows;
  let day = context.firstDay;
  while (day <= context.lastDay) {
    const period = periodOf(kind, day);
    const coveredTo = Math.min(period.last, context.lastDay);
    let calls = 0;
    let cost = 0;
    for (let covered = day; covered <= coveredTo; covered++) {
      calls += context.dailyCalls[covered - context.firstDay] as number;
      cost += context.dailyCost[covered - context.firstDay] as number;
    }
    const previous = rows[rows.length - 1];
    rows.push({
      period: period.label,
      from: formatUtcDay(period.first),
      to: formatUtcDay(period.last),
      days: coveredTo - day + 1,
      complete: period.first >= context.firstDay && period.last <= context.lastDay,
      calls,
      costMicros: cost,
      changeMicros: previous === undefined ? null : cost - previous.costMicros,
      changePct:
        previous === undefined || previous.costMicros === 0
          ? null
          : round(((cost - previous.costMicros) / previous.costMicros) * 100, 2),
    });
    day = coveredTo + 1;
  }
  return rows;
}

/** Adds the cost of day cells keyed by `keys` into the sums of the two compared periods. */
function addCells(
  sums: TwoPeriodSums,
  keys: readonly number[],
  days: readonly number[],
  cost: readonly number[],
  dayPart: readonly number[],
): void {
  for (let cell = 0; cell < keys.length; cell++) {
    const part = dayPart[days[cell] as number] as number;
    if (part < 0) continue;
    const target = part === 0 ? sums.previous : sums.current;
    const key = keys[cell] as number;
    target[key] = (target[key] as number) + (cost[cell] as number);
  }
}

/** The contributions of one dimension's keys: the `limit` largest changes named, the rest summed. */
function driversOf(
  dimension: DriverDimension,
  names: readonly string[],
  sums: TwoPeriodSums,
  limit: number,
): PeriodDrivers {
  const all: Contribution[] = [];
  names.forEach((key, index) => {
    const previousMicros = sums.previous[index] as number;
    const currentMicros = sums.current[index] as number;
    if (previousMicros === 0 && currentMicros === 0) return;
    all.push({ key, previousMicros, currentMicros, changeMicros: currentMicros - previousMicros });
  });
  all.sort((a, b) => Math.abs(b.changeMicros) - Math.abs(a.changeMicros) || byKey(a.key, b.key));
  const rest = all.slice(limit);
  const others = { keys: rest.length, previousMicros: 0, currentMicros: 0, changeMicros: 0 };
  for (const row of rest) {
    others.previousMicros += row.previousMicros;
    others.currentMicros += row.currentMicros;
    others.changeMicros += row.changeMicros;
  }
  return { dimension, top: all.slice(0, limit), others };
}

/** The comparison of two periods, with each dimension's contributions. */
function comparisonOf(
  context: FinishContext,
  previous: PeriodRow,
  current: PeriodRow,
  kind: PeriodKind,
  limit: number,
): PeriodComparison {
  const { aggregates } = context;
  // Per day id: 0 in the previous period, 1 in the current one, −1 elsewhere.
  const dayPart = aggregates.days().map((day) => {
    const label = periodOf(kind, day).label;
    return label === previous.period ? 0 : label === current.period ? 1 : -1;
  });
  const modelNames = aggregates.values('model');
  const providerNames = aggregates.values('provider');
  const modelProviders = aggregates.modelProviders();
  const modelTaskDay = aggregates.grouping('modelTaskDay');
  const byModel = new TwoPeriodSums(modelNames.length);
  addCells(
    byModel,
    modelTaskDay.keys('model'),
    modelTaskDay.keys('day'),
    modelTaskDay.measure('cost'),
    dayPart,
  );
  const byProvider = new TwoPeriodSums(providerNames.length);
  modelNames.forEach((_, model) => {
    const provider = modelProviders[model] as number;
    byProvider.previous[provider] =
      (byProvider.previous[provider] as number) + (byModel.previous[model] as number);
    byProvider.current[provider] =
      (byProvider.current[provider] as number) + (byModel.current[model] as number);
  });
  const customerDay = aggregates.grouping('customerDay');
  const byCustomer = new TwoPeriodSums(aggregates.values('customer').length);
  addCells(
    byCustomer,
    customerDay.keys('customer'),
    customerDay.keys('day'),
    customerDay.measure('cost'),
    dayPart,
  );
  const featureDay = aggregates.grouping(FEATURE_DAY.name);
  const byFeature = new TwoPeriodSums(aggregates.values('feature').length);
  addCells(
    byFeature,
    featureDay.keys('feature'),
    featureDay.keys('day'),
    featureDay.measure('cost'),
    dayPart,
  );
  const modelLabels = modelNames.map(
    (model, index) => `${providerNames[modelProviders[index] as number] as string}/${model}`,
  );
  return {
    previous: previous.period,
    current: current.period,
    previousMicros: previous.costMicros,
    currentMicros: current.costMicros,
    changeMicros: current.costMicros - previous.costMicros,
    changePct: current.changePct,
    drivers: [
      driversOf('provider', providerNames, byProvider, limit),
      driversOf('model', modelLabels, byModel, limit),
      driversOf('customer', aggregates.values('customer'), byCustomer, limit),
      driversOf('feature', aggregates.values('feature'), byFeature, limit),
    ],
  };
}

/** The periods of one kind and the comparison of the last two complete ones. */
function seriesOf(context: FinishContext, kind: PeriodKind, limit: number): PeriodSeries {
  const rows = periodRows(context, kind);
  const complete = rows.filter((row) => row.complete);
  const noun = kind === 'month' ? 'calendar month' : 'ISO week';
  const current = complete[complete.length - 1];
  const previous = complete[complete.length - 2];
  // Partial periods sit only at the window's ends, so the last two complete periods are consecutive.
  if (current === undefined || previous === undefined)
    return {
      kind,
      periods: rows,
      comparison: null,
      note: `The log covers ${complete.length} complete ${noun}${complete.length === 1 ? '' : 's'} of the ${rows.length} it touches: comparing periods needs two complete ones.`,
    };
  return {
    kind,
    periods: rows,
    comparison: comparisonOf(context, previous, current, kind, limit),
    note: null,
  };
}

/** Cost by calendar month and by ISO week, and what drove the change between the last two complete periods of each. */
export function periodsOf(context: FinishContext, limit: number): PeriodsResult {
  return { months: seriesOf(context, 'month', limit), weeks: seriesOf(context, 'week', limit) };
}
