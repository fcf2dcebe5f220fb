import { type FinishContext, byKey, monthly, round } from '../../context';
import { type Recommendation, recommend } from '../../recommend';
import { lowerMedian, median } from '../../shared/medians';
import {
  hourOfDayOf,
  hourPeriods,
  type KeptHour,
  type MinuteProfile,
  MINUTE_PROFILES_DIGEST,
  minutePeriods,
  type Periods,
} from './minute-profile';
import type { AbuseConfig } from './settings';

// Declared with the store's built-in groupings (the fused loop fills them); still exported here.
export { ABUSE_MINUTE_MODEL } from '../../store/builtin-groupings';

/** The kinds of flag, in the order of the page. */
export const ABUSE_KINDS = [
  'minute_burst',
  'hour_burst',
  'plan_gaming',
  'off_hours',
  'model_hopping',
  'oversized_batch',
  'cost_outlier',
  'volume_outlier',
] as const;

/** A kind of flag. */
export type AbuseKind = (typeof ABUSE_KINDS)[number];

/** What to do about a flag: cap spend or input, rate-limit calls, or contact the customer. */
export type AbuseAction = 'cap' | 'rate-limit' | 'contact';

/** The action of each kind. */
export const ABUSE_ACTIONS: Readonly<Record<AbuseKind, AbuseAction>> = {
  minute_burst: 'rate-limit',
  hour_burst: 'rate-limit',
  plan_gaming: 'contact',
  off_hours: 'contact',
  model_hopping: 'contact',
  oversized_batch: 'cap',
  cost_outlier: 'cap',
  volume_outlier: 'rate-limit',
};

/** One flag: a customer, what it does, how severe, the traffic it carries and what to do. */
export interface AbuseFlag {
  customer: string;
  /** The customer's plan (the customers file's, else the latest seen). */
  plan: string;
  kind: AbuseKind;
  /** 1 (low), 2 (medium) or 3 (high), from {@link excess}. */
  severity: 1 | 2 | 3;
  /** The flag's figure over its threshold (≥ 1). */
  excess: number;
  action: AbuseAction;
  /** The action as a sentence with its figures. */
  actionText: string;
  /** Calls of the flagged traffic and their cost (integer micro-dollars) over the window. */
  calls: number;
  costMicros: number;
  /** {@link costMicros} as a monthly run-rate (× 30 / window days). */
  monthlyMicros: number;
  /** The figures the flag rests on. */
  figures: Record<string, number | string>;
}

/** A customer's risk: its flags' severities summed. */
export interface AbuseRisk {
  customer: string;
  plan: string;
  /** Σ severity over its flags. */
  score: number;
  flags: number;
  kinds: AbuseKind[];
  /** Its calls and cost over the window. */
  calls: number;
  costMicros: number;
  /** Monthly cost of the traffic of its costliest flag (flags may cover the same calls, so they are not added). */
  monthlyMicros: number;
}

/** Flags of one kind, summed. */
export interface AbuseKindTotal {
  kind: AbuseKind;
  flags: number;
  calls: number;
  costMicros: number;
  monthlyMicros: number;
}

/** Result of the abuse analysis. */
export interface AbuseResult {
  /** The thresholds the flags were raised with. */
  thresholds: AbuseConfig;
  /** Customers with calls. */
  customers: number;
  /** Every flag, by monthly cost of its traffic descending, then severity, customer and kind. */
  flags: AbuseFlag[];
  /** Customers with flags, by score descending, then monthly cost and name. */
  risk: AbuseRisk[];
  /** Every kind (none left out), in {@link ABUSE_KINDS} order. */
  byKind: AbuseKindTotal[];
  /** The yardsticks of the outliers: the median customer's monthly cost and calls; null under `outlierMinCustomers`. */
  outliers: {
    medianMonthlyCostMicros: number;
    medianMonthlyCalls: number;
    costSpread: number;
    callsSpread: number;
  } | null;
  recommendations: Recommendation[];
}

/** A flag before its action, plan and money are known. */
interface Finding {
  kind: AbuseKind;
  excess: number;
  calls: number;
  costMicros: number;
  figures: Record<string, number | string>;
  /** The figures of the action sentence. */
  action: Record<string, number | string>;
}

/**
 * Bursts of a series of busy periods (minutes or hours) against the
 * customer's own normal: its median busy period. A period is a burst with
 * at least `minCalls` calls and `factor` × that median (so only kept
 * periods can be).
 */
function burstFinding(
  kind: 'minute_burst' | 'hour_burst',
  periods: Periods,
  minCalls: number,
  factor: number,
): Finding | undefined {
  const normal = periods.median;
  const threshold = Math.max(minCalls, factor * normal);
  let bursts = 0;
  let burstCalls = 0;
  let burstCost = 0;
  for (const period of periods.kept) {
    if (period.calls < threshold) continue;
    bursts++;
    burstCalls += period.calls;
    burstCost += period.costMicros;
  }
  if (bursts === 0) return undefined;
  const peak = periods.peak;
  const unit = kind === 'minute_burst' ? 'minute' : 'hour';
  return {
    kind,
    excess: peak / threshold,
    calls: burstCalls,
    costMicros: burstCost,
    figures: {
      [`peak${unit === 'minute' ? 'Minute' : 'Hour'}Calls`]: peak,
      [`median${unit === 'minute' ? 'Minute' : 'Hour'}Calls`]: normal,
      peakMultiple: round(peak / Math.max(1, normal), 2),
      thresholdCalls: round(threshold, 2),
      [`burst${unit === 'minute' ? 'Minutes' : 'Hours'}`]: bursts,
      [`busy${unit === 'minute' ? 'Minutes' : 'Hours'}`]: periods.count,
    },
    action: { limit: Math.ceil(threshold), unit, normal, peak },
  };
}

/** The variance / mean of an hour's per-minute calls over its 60 minutes: 1 for random arrivals, 0 for an even schedule. */
function dispersion(hour: KeptHour): number {
  return hour.squares / hour.calls - hour.calls / 60;
}

/**
 * The first hour of day of the `length` consecutive hours (wrapping at
 * midnight) with the most irregular calls; among equals the one with the
 * fewest machine-regular calls, then the earliest.
 */
function workingWindowStart(
  irregular: readonly number[],
  regular: readonly number[],
  length: number,
): number {
  let best = 0;
  let bestIrregular = -1;
  let bestRegular = Infinity;
  for (let start = 0; start < 24; start++) {
    let irregularCalls = 0;
    let regularCalls = 0;
    for (let offset = 0; offset < length; offset++) {
      irregularCalls += irregular[(start + offset) % 24] as number;
      regularCalls += regular[(start + offset) % 24] as number;
    }
    if (irregularCalls > bestIrregular || (irregularCalls === bestIrregular && regularCalls < bestRegular)) {
      best = start;
      bestIrregular = irregularCalls;
      bestRegular = regularCalls;
    }
  }
  return best;
}

function hourLabel(hour: number): string {
  return `${String(hour % 24).padStart(2, '0')}:00`;
}

/** Whether a kept hour is machine-regular (a quiet hour never is: it has fewer than `regularMinCalls` calls). */
function isRegular(hour: KeptHour, settings: AbuseConfig): boolean {
  return hour.calls >= settings.regularMinCalls && dispersion(hour) <= settings.regularMaxDispersion;
}

/** A customer's irregular and machine-regular calls by hour of day (whole numbers, so their order does not matter). */
function callsByHourOfDay(
  profile: MinuteProfile,
  regular: readonly boolean[],
): { irregular: number[]; regular: number[] } {
  const byHour = { irregular: [...profile.quietHourCalls], regular: new Array<number>(24).fill(0) };
  profile.hours.forEach((hour, index) => {
    const column = regular[index] ? byHour.regular : byHour.irregular;
    const hourOfDay = hourOfDayOf(hour.hour);
    column[hourOfDay] = (column[hourOfDay] as number) + hour.calls;
  });
  return byHour;
}

/**
 * Off-hours automation: machine-regular hours (at least `regularMinCalls`
 * calls, per-minute dispersion at most `regularMaxDispersion`) outside the
 * customer's working window — the `workingHours` consecutive hours of day
 * with the most of its irregular calls — on at least `offHoursMinDays` days.
 */
function offHoursFinding(
  profile: MinuteProfile,
  customerCalls: number,
  settings: AbuseConfig,
): Finding | undefined {
  const regular = profile.hours.map((hour) => isRegular(hour, settings));
  const byHour = callsByHourOfDay(profile, regular);
  const start = workingWindowStart(byHour.irregular, byHour.regular, settings.workingHours);
  const days = new Set<number>();
  let count = 0;
  let calls = 0;
  let cost = 0;
  let dispersionSum = 0;
  // In time order: the dispersions are fractions, summed in the order of the hours.
  profile.hours.forEach((hour, index) => {
    if (!regular[index] || (hourOfDayOf(hour.hour) - start + 24) % 24 < settings.workingHours) return;
    days.add(Math.floor(hour.hour / 24));
    count++;
    calls += hour.calls;
    cost += hour.costMicros;
    dispersionSum += dispersion(hour);
  });
  if (days.size < settings.offHoursMinDays) return undefined;
  return {
    kind: 'off_hours',
    excess: days.size / settings.offHoursMinDays,
    calls,
    costMicros: cost,
    figures: {
      days: days.size,
      regularHours: count,
      sharePct: round((100 * calls) / Math.max(1, customerCalls), 1),
      meanDispersion: round(dispersionSum / count, 4),
      workingWindow: `${hourLabel(start)}–${hourLabel(start + settings.workingHours)} UTC`,
    },
    action: { days: days.size, calls },
  };
}

/**
 * Model hopping: minutes with many distinct models, nearly one per call, on
 * at least `hoppingMinMinutes` minutes (a quiet minute has fewer calls, so
 * fewer models, than `hoppingMinModels`).
 */
function hoppingFinding(profile: MinuteProfile, settings: AbuseConfig): Finding | undefined {
  let minutes = 0;
  let calls = 0;
  let cost = 0;
  let peak = 0;
  for (const quiet of profile.quietMinutes) peak = Math.max(peak, quiet.peakModels);
  for (const minute of profile.minutes) {
    peak = Math.max(peak, minute.models);
    if (
      minute.models < settings.hoppingMinModels ||
      minute.models < settings.hoppingMinModelShare * minute.calls
    )
      continue;
    minutes++;
    calls += minute.calls;
    cost += minute.costMicros;
  }
  if (minutes < settings.hoppingMinMinutes) return undefined;
  return {
    kind: 'model_hopping',
    excess: minutes / settings.hoppingMinMinutes,
    calls,
    costMicros: cost,
    figures: { hoppingMinutes: minutes, peakModelsInMinute: peak, models: profile.models },
    action: { minutes, peak },
  };
}

/** A customer's usual input per call: the calls and input of its minutes under `batchMinCalls` (every quiet one among them). */
function usualInput(profile: MinuteProfile, settings: AbuseConfig): { calls: number; input: number } {
  const usual = { calls: 0, input: 0 };
  for (const quiet of profile.quietMinutes) {
    usual.calls += quiet.calls * quiet.minutes;
    usual.input += quiet.inputTokens;
  }
  for (const minute of profile.minutes) {
    if (minute.calls >= settings.batchMinCalls) continue;
    usual.calls += minute.calls;
    usual.input += minute.inputTokens;
  }
  return usual;
}

/**
 * Oversized batches: minutes with at least `batchMinCalls` calls whose mean
 * input per call is `batchInputFactor` × the customer's usual — the mean
 * input per call of its other minutes (those under `batchMinCalls`).
 */
function batchFinding(profile: MinuteProfile, settings: AbuseConfig): Finding | undefined {
  const other = usualInput(profile, settings);
  if (other.calls === 0 || other.input === 0) return undefined;
  const usual = other.input / other.calls;
  let minutes = 0;
  let calls = 0;
  let cost = 0;
  let input = 0;
  let peak = 0;
  for (const minute of profile.minutes) {
    if (minute.calls < settings.batchMinCalls) continue;
    const mean = minute.inputTokens / minute.calls;
    if (mean < settings.batchInputFactor * usual) continue;
    minutes++;
    calls += minute.calls;
    cost += minute.costMicros;
    input += minute.inputTokens;
    peak = Math.max(peak, mean / usual);
  }
  if (minutes === 0) return undefined;
  return {
    kind: 'oversized_batch',
    excess: peak / settings.batchInputFactor,
    calls,
    costMicros: cost,
    figures: {
      batchMinutes: minutes,
      usualInputTokens: round(usual, 1),
      batchInputTokens: round(input / calls, 1),
      peakMultiple: round(peak, 2),
    },
    action: { capTokens: Math.ceil(settings.batchInputFactor * usual) },
  };
}

/** The minute-level findings of one customer, from its profile. */
function minuteFindings(profile: MinuteProfile, customerCalls: number, settings: AbuseConfig): Finding[] {
  return [
    burstFinding(
      'minute_burst',
      minutePeriods(profile),
      settings.minuteBurstMinCalls,
      settings.minuteBurstFactor,
    ),
    burstFinding('hour_burst', hourPeriods(profile), settings.hourBurstMinCalls, settings.hourBurstFactor),
    offHoursFinding(profile, customerCalls, settings),
    hoppingFinding(profile, settings),
    batchFinding(profile, settings),
  ].filter((finding): finding is Finding => finding !== undefined);
}

/** Each priced plan, cheapest first: its price, its customers with calls and their lower-median calls. */
function planYardsticks(
  context: FinishContext,
): { plan: string; price: number; customers: number; medianCalls: number }[] {
  return context.plans
    .filter((plan) => context.planPrices[plan] !== undefined)
    .map((plan) => {
      const calls: number[] = [];
      context.customerTier.forEach((tier, customer) => {
        const count = context.customerCalls[customer] as number;
        if (tier === plan && count > 0) calls.push(count);
      });
      return {
        plan,
        price: context.planPrices[plan] as number,
        customers: calls.length,
        medianCalls: lowerMedian(calls),
      };
    });
}

/**
 * Plan gaming: a customer on a priced plan whose calls reach
 * `planGamingFactor` × the median customer's of the next dearer plan (with
 * at least `planMinPeers` customers). Its flagged traffic is its calls above
 * its own plan's median customer's.
 */
function planGamingFindings(context: FinishContext, settings: AbuseConfig): Map<number, Finding> {
  const findings = new Map<number, Finding>();
  const plans = planYardsticks(context);
  context.customerTier.forEach((tier, customer) => {
    const calls = context.customerCalls[customer] as number;
    const own = plans.find((entry) => entry.plan === tier);
    if (own === undefined || calls === 0) return;
    const next = plans.find((entry) => entry.price > own.price && entry.customers >= settings.planMinPeers);
    if (next === undefined || next.medianCalls === 0) return;
    const threshold = settings.planGamingFactor * next.medianCalls;
    if (calls < threshold) return;
    const cost = context.customerCost[customer] as number;
    const flaggedCalls = Math.max(0, calls - own.medianCalls);
    findings.set(customer, {
      kind: 'plan_gaming',
      excess: threshold === 0 ? settings.severityHigh : calls / threshold,
      calls: flaggedCalls,
      costMicros: Math.round((cost * flaggedCalls) / calls),
      figures: {
        monthlyCalls: monthly(context, calls),
        planMedianMonthlyCalls: monthly(context, own.medianCalls),
        nextPlan: next.plan,
        nextPlanMedianMonthlyCalls: monthly(context, next.medianCalls),
        nextPlanMultiple: round(calls / next.medianCalls, 2),
        planPriceMicros: own.price,
        nextPlanPriceMicros: next.price,
      },
      action: { nextPlan: next.plan, nextPlanPriceMicros: next.price },
    });
  });
  return findings;
}

/** A robust z-score yardstick of log₁₀ figures: their median and spread (1.4826 × MAD, at least `outlierMinSpread`). */
function robustScale(values: readonly number[], minSpread: number): { center: number; spread: number } {
  const logs = values.map((value) => Math.log10(value));
  const center = median(logs);
  const mad = median(logs.map((value) => Math.abs(value - center)));
  return { center, spread: Math.max(1.4826 * mad, minSpread) };
}

/** Cost and volume outliers: customers whose log₁₀ cost or calls sit `outlierZ` robust deviations above the median customer's. */
function outlierFindings(
  context: FinishContext,
  settings: AbuseConfig,
): { findings: Map<number, Finding[]>; yardsticks: AbuseResult['outliers'] } {
  const findings = new Map<number, Finding[]>();
  const active = context.customerCalls
    .map((_, customer) => customer)
    .filter(
      (customer) =>
        (context.customerCalls[customer] as number) > 0 && (context.customerCost[customer] as number) > 0,
    );
  if (active.length < settings.outlierMinCustomers) return { findings, yardsticks: null };
  const costs = active.map((customer) => context.customerCost[customer] as number);
  const calls = active.map((customer) => context.customerCalls[customer] as number);
  const costScale = robustScale(costs, settings.outlierMinSpread);
  const callsScale = robustScale(calls, settings.outlierMinSpread);
  const medianCost = Math.round(10 ** costScale.center);
  const medianCalls = Math.round(10 ** callsScale.center);
  const add = (customer: number, finding: Finding): void => {
    findings.set(customer, [...(findings.get(customer) ?? []), finding]);
  };
  active.forEach((customer, index) => {
    const cost = costs[index] as number;
    const callCount = calls[index] as number;
    const costZ = (Math.log10(cost) - costScale.center) / costScale.spread;
    if (costZ >= settings.outlierZ) {
      const cap = Math.round(10 ** (costScale.center + settings.outlierZ * costScale.spread));
      add(customer, {
        kind: 'cost_outlier',
        excess: costZ / settings.outlierZ,
        calls: callCount,
        costMicros: Math.max(0, cost - medianCost),
        figures: {
          monthlyCostMicros: monthly(context, cost),
          medianMonthlyCostMicros: monthly(context, medianCost),
          zScore: round(costZ, 2),
          medianMultiple: round(cost / Math.max(1, medianCost), 2),
        },
        action: { capMicros: monthly(context, cap) },
      });
    }
    const callsZ = (Math.log10(callCount) - callsScale.center) / callsScale.spread;
    if (callsZ >= settings.outlierZ) {
      const limit = Math.round(10 ** (callsScale.center + settings.outlierZ * callsScale.spread));
      const flaggedCalls = Math.max(0, callCount - medianCalls);
      add(customer, {
        kind: 'volume_outlier',
        excess: callsZ / settings.outlierZ,
        calls: flaggedCalls,
        costMicros: Math.round((cost * flaggedCalls) / callCount),
        figures: {
          monthlyCalls: monthly(context, callCount),
          medianMonthlyCalls: monthly(context, medianCalls),
          zScore: round(callsZ, 2),
          medianMultiple: round(callCount / Math.max(1, medianCalls), 2),
        },
        action: { limit: monthly(context, limit) },
      });
    }
  });
  return {
    findings,
    yardsticks: {
      medianMonthlyCostMicros: monthly(context, medianCost),
      medianMonthlyCalls: monthly(context, medianCalls),
      costSpread: round(costScale.spread, 4),
      callsSpread: round(callsScale.spread, 4),
    },
  };
}

const ACTION_SENTENCES: Record<AbuseKind, string> = {
  minute_burst:
    'Rate-limit {customer} to {limit} calls a minute: its busiest minute had {peak} calls against a median busy minute of {normal}.',
  hour_burst:
    'Rate-limit {customer} to {limit} calls an hour: its busiest hour had {peak} calls against a median busy hour of {normal}.',
  plan_gaming:
    'Contact {customer} and offer the {nextPlan} plan ({nextPlanPriceMicros} a month): it uses its plan like a customer of that one.',
  off_hours:
    'Contact {customer} about the scheduled job behind {calls} machine-regular calls outside its working hours on {days} days; a batch endpoint or a plan that includes it fits better.',
  model_hopping:
    'Contact {customer} to pin one model per task: it switched between up to {peak} models a minute in {minutes} minutes.',
  oversized_batch: 'Cap the input of {customer} at {capTokens} tokens per call for its batches.',
  cost_outlier:
    'Set a monthly spend cap of {capMicros} for {customer}, the cost at which a customer is an outlier.',
  volume_outlier:
    'Rate-limit {customer} to {limit} calls a month, the volume at which a customer is an outlier.',
};

function severityOf(excess: number, settings: AbuseConfig): 1 | 2 | 3 {
  return excess >= settings.severityHigh ? 3 : excess >= settings.severityMedium ? 2 : 1;
}

/** A flag of a finding, with its action as a recommendation whose figures are exactly the sentence's. */
function toFlag(
  finding: Finding,
  customer: number,
  context: FinishContext,
  settings: AbuseConfig,
): { flag: AbuseFlag; recommendation: Recommendation } {
  const name = context.aggregates.values('customer')[customer] as string;
  const costMicros = Math.round(finding.costMicros);
  const recommendation = recommend(ACTION_SENTENCES[finding.kind], { customer: name, ...finding.action });
  const flag: AbuseFlag = {
    customer: name,
    plan: context.customerTier[customer] ?? '',
    kind: finding.kind,
    severity: severityOf(finding.excess, settings),
    excess: round(finding.excess, 4),
    action: ABUSE_ACTIONS[finding.kind],
    actionText: recommendation.text,
    calls: finding.calls,
    costMicros,
    monthlyMicros: monthly(context, costMicros),
    figures: { ...finding.figures, ...finding.action, costMicros },
  };
  return { flag, recommendation };
}

function byMoney(a: AbuseFlag, b: AbuseFlag): number {
  return (
    b.monthlyMicros - a.monthlyMicros ||
    b.severity - a.severity ||
    byKey(a.customer, b.customer) ||
    ABUSE_KINDS.indexOf(a.kind) - ABUSE_KINDS.indexOf(b.kind)
  );
}

/** Each customer's id by its name. */
function customerIds(context: FinishContext): Map<string, number> {
  return new Map(context.aggregates.values('customer').map((name, id) => [name, id]));
}

function riskTable(flags: readonly AbuseFlag[], context: FinishContext): AbuseRisk[] {
  const ids = customerIds(context);
  const rows = new Map<string, AbuseRisk>();
  for (const flag of flags) {
    const id = ids.get(flag.customer) as number;
    const row = rows.get(flag.customer) ?? {
      customer: flag.customer,
      plan: flag.plan,
      score: 0,
      flags: 0,
      kinds: [],
      calls: context.customerCalls[id] as number,
      costMicros: context.customerCost[id] as number,
      monthlyMicros: 0,
    };
    row.score += flag.severity;
    row.flags++;
    row.kinds.push(flag.kind);
    row.monthlyMicros = Math.max(row.monthlyMicros, flag.monthlyMicros);
    rows.set(flag.customer, row);
  }
  for (const row of rows.values()) row.kinds.sort((a, b) => ABUSE_KINDS.indexOf(a) - ABUSE_KINDS.indexOf(b));
  return [...rows.values()].sort(
    (a, b) => b.score - a.score || b.monthlyMicros - a.monthlyMicros || byKey(a.customer, b.customer),
  );
}

/** Finishes the abuse analysis. */
export function finishAbuse(context: FinishContext, settings: AbuseConfig): AbuseResult {
  const raised: { flag: AbuseFlag; recommendation: Recommendation }[] = [];
  const ids = customerIds(context);
  for (const profile of context.digest(MINUTE_PROFILES_DIGEST).customers) {
    const customer = ids.get(profile.customer) as number;
    for (const finding of minuteFindings(profile, context.customerCalls[customer] as number, settings))
      raised.push(toFlag(finding, customer, context, settings));
  }
  for (const [customer, finding] of planGamingFindings(context, settings))
    raised.push(toFlag(finding, customer, context, settings));
  const outliers = outlierFindings(context, settings);
  for (const [customer, findings] of outliers.findings)
    for (const finding of findings) raised.push(toFlag(finding, customer, context, settings));
  raised.sort((a, b) => byMoney(a.flag, b.flag));
  const flags = raised.map((entry) => entry.flag);
  const byKind = ABUSE_KINDS.map((kind) => {
    const ofKind = flags.filter((flag) => flag.kind === kind);
    return {
      kind,
      flags: ofKind.length,
      calls: ofKind.reduce((total, flag) => total + flag.calls, 0),
      costMicros: ofKind.reduce((total, flag) => total + flag.costMicros, 0),
      monthlyMicros: ofKind.reduce((total, flag) => total + flag.monthlyMicros, 0),
    };
  });
  return {
    thresholds: { ...settings },
    customers: context.customerCalls.filter((calls) => calls > 0).length,
    flags,
    risk: riskTable(flags, context),
    byKind,
    outliers: outliers.yardsticks,
    recommendations: raised.slice(0, 10).map((entry) => entry.recommendation),
  };
}
