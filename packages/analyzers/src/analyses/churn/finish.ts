import { UNATTRIBUTED, formatUtcDay } from '@finops/schema';
import { type FinishContext, byKey, round } from '../../context';
import { type Recommendation, recommend } from '../../recommend';
import { grouping } from '../../store/grouping';
import type { ChurnConfig } from './settings';

/** Calls, first and last day of each customer × feature: distinct features and the ones dropped. */
export const CHURN_CUSTOMER_FEATURE = grouping({
  name: 'churnCustomerFeature',
  dimensions: ['customer', 'feature'],
  measures: ['calls', 'firstDay', 'lastDay'],
});

/** Failed calls per customer × day: the error share of each period. */
export const CHURN_CUSTOMER_FAILURES = grouping({
  name: 'churnCustomerFailures',
  dimensions: ['customer', 'day'],
  measures: ['calls'],
  filter: 'failed',
});

/** A period of the log: UTC days `start` … `end` (inclusive), `days` of them. */
export interface ChurnPeriod {
  start: string;
  end: string;
  days: number;
}

/** The two periods compared, counted back from the last day of the log (never from today). */
export interface ChurnPeriods {
  /** The last day of the log, `null` for an empty log. */
  windowEnd: string | null;
  /** The last `recentDays` of the log (fewer when the log is shorter). */
  recent: ChurnPeriod | null;
  /** The `priorDays` before them (fewer when the log starts later; `null` when it starts within the recent period). */
  prior: ChurnPeriod | null;
}

/** One customer's usage, velocity, feature diversity and engagement. */
export interface CustomerEngagement {
  customer: string;
  plan: string;
  calls: number;
  /** Days with a call over the whole log, and within the recent period. */
  activeDays: number;
  recentActiveDays: number;
  /** Distinct features used over the whole log, in the recent period, and in use before it (their use spans the period before). */
  features: number;
  recentFeatures: number;
  featuresBefore: number;
  /** Features last used in the period before: in use before, none since. */
  droppedFeatures: number;
  recentCalls: number;
  priorCalls: number;
  /** Calls a day in the recent period / calls a day in the period before; `null` without calls before. */
  velocity: number | null;
  /** Failed calls / calls in each period (0 without calls). */
  recentErrorShare: number;
  priorErrorShare: number;
  firstActive: string;
  lastActive: string;
  /** Days from the last day with a call to the last day of the log. */
  daysSinceLastCall: number;
  /** Calls a month at the recent period's rate (× 30 / its days). */
  monthlyCalls: number;
  /** Monthly revenue by the revenue rules of the profitability analysis; 0 when unknown. */
  monthlyRevenueMicros: number;
  revenueKnown: boolean;
  /** Whether the velocity is judged: calls before at least `minPriorCalls`. */
  judged: boolean;
  /** Churn-risk score, 0–100 (0 when not judged). */
  riskScore: number;
}

/** What a signal measures. */
export type ChurnSignalKind =
  'velocity_drop' | 'silence' | 'feature_loss' | 'error_rise' | 'growth' | 'outgrowing' | 'underuse';

/** One signal behind a score: its strength (0–1) and the points it adds to the score. */
export interface ChurnSignal {
  kind: ChurnSignalKind;
  strength: number;
  points: number;
}

/** A customer flagged by a score, with the signals and the figures behind it. */
export interface ChurnCandidate {
  customer: string;
  plan: string;
  /** 0–100, as the docs define it for the kind of list. */
  score: number;
  signals: ChurnSignal[];
  /** The figures the score and the money rest on (money in micro-dollars, shares in percent). */
  figures: Record<string, number | string>;
}

/** A customer at risk of churning and its monthly revenue. */
export interface AtRiskCustomer extends ChurnCandidate {
  /** The customer's monthly revenue (0 when unknown: see `figures.revenueKnown`). */
  revenueAtRiskMicros: number;
}

/** A customer growing out of its plan and what the next plan would bring a month. */
export interface ExpansionCandidate extends ChurnCandidate {
  nextPlan: string;
  /** Next plan's monthly price − the current plan's. */
  expansionMicros: number;
}

/** A customer paying for a plan it barely uses and what moving down would cost a month. */
export interface DowngradeCandidate extends ChurnCandidate {
  lowerPlan: string;
  /** Current plan's monthly price − the plan below's: the revenue lost a month if it moves down. */
  revenueLossMicros: number;
}

/** A plan's customers and the median monthly calls that serve as its peers' usage. */
export interface PlanUsage {
  plan: string;
  customers: number;
  /** Monthly price, `null` for a plan the catalog does not price. */
  priceMicros: number | null;
  /** Median monthly calls of its customers present over the whole recent period; `null` with fewer than `minPeers`. */
  medianMonthlyCalls: number | null;
}

/** Customers by velocity band. */
export interface VelocityBand {
  band: string;
  customers: number;
}

/** Result of the churn analysis. */
export interface ChurnResult {
  periods: ChurnPeriods;
  customers: CustomerEngagement[];
  atRisk: AtRiskCustomer[];
  expansion: ExpansionCandidate[];
  downgrade: DowngradeCandidate[];
  plans: PlanUsage[];
  velocityBands: VelocityBand[];
  /** Counts and the money a month a summary ranks by. */
  totals: {
    customers: number;
    /** Customers whose velocity is judged. */
    judged: number;
    atRiskCustomers: number;
    expansionCustomers: number;
    downgradeCustomers: number;
    /** Σ monthly revenue of the customers at risk. */
    monthlyRevenueAtRiskMicros: number;
    /** Σ expansion revenue a month of the expansion candidates. */
    monthlyExpansionMicros: number;
    /** Σ revenue lost a month if every downgrade candidate moved down. */
    monthlyRevenueLossMicros: number;
  };
  recommendations: Recommendation[];
}

/** The day numbers of the periods: recent `[recentStart, lastDay]`, before it `[priorStart, recentStart)`. */
interface PeriodDays {
  lastDay: number;
  recentStart: number;
  priorStart: number;
  recentDays: number;
  priorDays: number;
}

function periodDays(context: FinishContext, settings: ChurnConfig): PeriodDays {
  const { firstDay, lastDay } = context;
  const recentStart = Math.max(firstDay, lastDay - settings.recentDays + 1);
  const priorStart = Math.max(firstDay, recentStart - settings.priorDays);
  return {
    lastDay,
    recentStart,
    priorStart,
    recentDays: context.windowDays === 0 ? 0 : lastDay - recentStart + 1,
    priorDays: recentStart - priorStart,
  };
}

function periodOf(start: number, days: number): ChurnPeriod | null {
  return days <= 0 ? null : { start: formatUtcDay(start), end: formatUtcDay(start + days - 1), days };
}

/** Per-customer sums of the periods, filled from the groupings. */
interface CustomerSums {
  recentCalls: number[];
  priorCalls: number[];
  recentFailed: number[];
  priorFailed: number[];
  activeDays: number[];
  recentActiveDays: number[];
  firstActive: number[];
  lastActive: number[];
  features: number[];
  recentFeatures: number[];
  featuresBefore: number[];
  droppedFeatures: number[];
}

function sumCustomers(context: FinishContext, days: PeriodDays): CustomerSums {
  const { aggregates } = context;
  const size = aggregates.values('customer').length;
  const zeros = (): number[] => new Array<number>(size).fill(0);
  const sums: CustomerSums = {
    recentCalls: zeros(),
    priorCalls: zeros(),
    recentFailed: zeros(),
    priorFailed: zeros(),
    activeDays: zeros(),
    recentActiveDays: zeros(),
    firstActive: new Array<number>(size).fill(Infinity),
    lastActive: new Array<number>(size).fill(-Infinity),
    features: zeros(),
    recentFeatures: zeros(),
    featuresBefore: zeros(),
    droppedFeatures: zeros(),
  };
  const dayNumbers = aggregates.days();
  const add = (column: number[], customer: number, value: number): void => {
    column[customer] = (column[customer] as number) + value;
  };
  const usage = aggregates.grouping('customerDay');
  const usageCustomer = usage.keys('customer');
  const usageDay = usage.keys('day');
  const usageCalls = usage.measure('calls');
  for (let cell = 0; cell < usage.size; cell++) {
    const customer = usageCustomer[cell] as number;
    const day = dayNumbers[usageDay[cell] as number] as number;
    const calls = usageCalls[cell] as number;
    if (calls <= 0) continue;
    add(sums.activeDays, customer, 1);
    sums.firstActive[customer] = Math.min(sums.firstActive[customer] as number, day);
    sums.lastActive[customer] = Math.max(sums.lastActive[customer] as number, day);
    if (day >= days.recentStart) {
      add(sums.recentCalls, customer, calls);
      add(sums.recentActiveDays, customer, 1);
    } else if (day >= days.priorStart) add(sums.priorCalls, customer, calls);
  }
  const failures = aggregates.grouping(CHURN_CUSTOMER_FAILURES.name);
  const failedCustomer = failures.keys('customer');
  const failedDay = failures.keys('day');
  const failedCalls = failures.measure('calls');
  for (let cell = 0; cell < failures.size; cell++) {
    const customer = failedCustomer[cell] as number;
    const day = dayNumbers[failedDay[cell] as number] as number;
    if (day >= days.recentStart) add(sums.recentFailed, customer, failedCalls[cell] as number);
    else if (day >= days.priorStart) add(sums.priorFailed, customer, failedCalls[cell] as number);
  }
  const features = aggregates.grouping(CHURN_CUSTOMER_FEATURE.name);
  const featureNames = aggregates.values('feature');
  const featureCustomer = features.keys('customer');
  const featureId = features.keys('feature');
  const featureCalls = features.measure('calls');
  const featureFirst = features.measure('firstDay');
  const featureLast = features.measure('lastDay');
  for (let cell = 0; cell < features.size; cell++) {
    // Calls that name no feature are no feature of the customer's.
    if (featureNames[featureId[cell] as number] === '' || (featureCalls[cell] as number) <= 0) continue;
    const customer = featureCustomer[cell] as number;
    const first = featureFirst[cell] as number;
    const last = featureLast[cell] as number;
    add(sums.features, customer, 1);
    if (last >= days.recentStart) add(sums.recentFeatures, customer, 1);
    if (days.priorDays > 0 && first < days.recentStart && last >= days.priorStart) {
      add(sums.featuresBefore, customer, 1);
      if (last < days.recentStart) add(sums.droppedFeatures, customer, 1);
    }
  }
  return sums;
}

function clampShare(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Each customer's engagement and velocity, before scoring. */
function engagements(
  context: FinishContext,
  settings: ChurnConfig,
  days: PeriodDays,
  sums: CustomerSums,
): CustomerEngagement[] {
  return context.aggregates.values('customer').map((customer, id) => {
    const recentCalls = sums.recentCalls[id] as number;
    const priorCalls = sums.priorCalls[id] as number;
    const velocity =
      days.priorDays > 0 && priorCalls > 0
        ? round(recentCalls / days.recentDays / (priorCalls / days.priorDays), 4)
        : null;
    const lastActive = sums.lastActive[id] as number;
    return {
      customer,
      plan: context.customerTier[id] as string,
      calls: context.customerCalls[id] as number,
      activeDays: sums.activeDays[id] as number,
      recentActiveDays: sums.recentActiveDays[id] as number,
      features: sums.features[id] as number,
      recentFeatures: sums.recentFeatures[id] as number,
      featuresBefore: sums.featuresBefore[id] as number,
      droppedFeatures: sums.droppedFeatures[id] as number,
      recentCalls,
      priorCalls,
      velocity,
      recentErrorShare: recentCalls === 0 ? 0 : round((sums.recentFailed[id] as number) / recentCalls, 6),
      priorErrorShare: priorCalls === 0 ? 0 : round((sums.priorFailed[id] as number) / priorCalls, 6),
      firstActive: Number.isFinite(sums.firstActive[id] as number)
        ? formatUtcDay(sums.firstActive[id] as number)
        : '',
      lastActive: Number.isFinite(lastActive) ? formatUtcDay(lastActive) : '',
      daysSinceLastCall: Number.isFinite(lastActive) ? days.lastDay - lastActive : 0,
      monthlyCalls: days.recentDays === 0 ? 0 : round((recentCalls * 30) / days.recentDays, 2),
      monthlyRevenueMicros: context.customerMonthlyRevenue[id] as number,
      revenueKnown: context.customerRevenueKnown[id] === true,
      judged: velocity !== null && priorCalls >= settings.minPriorCalls,
      riskScore: 0,
    };
  });
}

/**
 * The churn-risk signals of a judged customer, each a strength 0–1 and its
 * points: 100 × weight × strength / Σ weights (the score is their sum).
 */
function riskSignals(entry: CustomerEngagement, settings: ChurnConfig): ChurnSignal[] {
  const strengths: [ChurnSignalKind, number, number][] = [
    ['velocity_drop', clampShare(1 - (entry.velocity ?? 1)), settings.dropWeight],
    ['silence', clampShare(entry.daysSinceLastCall / settings.silenceDays), settings.silenceWeight],
    [
      'feature_loss',
      entry.featuresBefore === 0 ? 0 : entry.droppedFeatures / entry.featuresBefore,
      settings.diversityWeight,
    ],
    [
      'error_rise',
      entry.recentCalls === 0
        ? 0
        : clampShare((entry.recentErrorShare - entry.priorErrorShare) / settings.errorRiseFull),
      settings.errorWeight,
    ],
  ];
  const weights = strengths.reduce((total, [, , weight]) => total + weight, 0);
  return strengths
    .filter(([, strength]) => strength > 0)
    .map(([kind, strength, weight]) => ({
      kind,
      strength: round(strength, 4),
      points: weights === 0 ? 0 : round((100 * weight * strength) / weights, 2),
    }));
}

/** The figures of a customer that every candidate shows. */
function usageFigures(entry: CustomerEngagement, days: PeriodDays): Record<string, number | string> {
  return {
    velocity: entry.velocity ?? 0,
    recentCalls: entry.recentCalls,
    priorCalls: entry.priorCalls,
    recentDays: days.recentDays,
    priorDays: days.priorDays,
    monthlyCalls: entry.monthlyCalls,
  };
}

function atRiskOf(entry: CustomerEngagement, signals: ChurnSignal[], days: PeriodDays): AtRiskCustomer {
  return {
    customer: entry.customer,
    plan: entry.plan,
    score: entry.riskScore,
    revenueAtRiskMicros: entry.monthlyRevenueMicros,
    signals,
    figures: {
      ...usageFigures(entry, days),
      velocityPct: round((entry.velocity ?? 0) * 100, 1),
      lastActive: entry.lastActive,
      daysSinceLastCall: entry.daysSinceLastCall,
      featuresBefore: entry.featuresBefore,
      droppedFeatures: entry.droppedFeatures,
      recentErrorPct: round(entry.recentErrorShare * 100, 2),
      priorErrorPct: round(entry.priorErrorShare * 100, 2),
      revenueKnown: entry.revenueKnown ? 'yes' : 'no',
      monthlyRevenueMicros: entry.monthlyRevenueMicros,
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Each plan's customers and, from `minPeers` customers present over the whole recent period, their median monthly calls. */
function planUsage(
  context: FinishContext,
  settings: ChurnConfig,
  customers: readonly CustomerEngagement[],
  days: PeriodDays,
): PlanUsage[] {
  const recentStart = formatUtcDay(days.recentStart);
  return context.plans.map((plan) => {
    const members = customers.filter((entry) => entry.plan === plan);
    // Calls without a customer are many users' at once: no peer of one customer.
    const present = members.filter(
      (entry) =>
        entry.customer !== UNATTRIBUTED && entry.firstActive !== '' && entry.firstActive <= recentStart,
    );
    return {
      plan,
      customers: members.length,
      priceMicros: context.planPrices[plan] ?? null,
      medianMonthlyCalls:
        present.length >= settings.minPeers
          ? round(median(present.map((entry) => entry.monthlyCalls)), 2)
          : null,
    };
  });
}

/** The priced plans next above and below a plan (by price), if any. */
function neighbours(
  plans: readonly PlanUsage[],
  plan: string,
): { current?: PlanUsage; next?: PlanUsage; lower?: PlanUsage } {
  const current = plans.find((entry) => entry.plan === plan && entry.priceMicros !== null);
  if (current === undefined) return {};
  const price = current.priceMicros as number;
  const priced = plans.filter((entry) => entry.priceMicros !== null);
  const next = priced.find((entry) => (entry.priceMicros as number) > price);
  const lower = priced.filter((entry) => (entry.priceMicros as number) < price).pop();
  return { current, next, lower };
}

/** An expansion candidate: growing fast, or using like the next plan's customers; undefined for neither. */
function expansionOf(
  entry: CustomerEngagement,
  plans: readonly PlanUsage[],
  settings: ChurnConfig,
  days: PeriodDays,
  present: boolean,
): ExpansionCandidate | undefined {
  const { current, next } = neighbours(plans, entry.plan);
  if (current === undefined || next === undefined) return undefined;
  const signals: ChurnSignal[] = [];
  const velocity = entry.velocity ?? 0;
  if (entry.judged && velocity >= settings.expansionVelocity) {
    const strength = round(Math.min(1, velocity / (2 * settings.expansionVelocity)), 4);
    signals.push({ kind: 'growth', strength, points: round(100 * strength, 2) });
  }
  const nextMedian = next.medianMonthlyCalls;
  if (
    present &&
    nextMedian !== null &&
    nextMedian > 0 &&
    entry.monthlyCalls >= settings.outgrowRatio * nextMedian
  ) {
    const strength = round(Math.min(1, entry.monthlyCalls / (2 * settings.outgrowRatio * nextMedian)), 4);
    signals.push({ kind: 'outgrowing', strength, points: round(100 * strength, 2) });
  }
  if (signals.length === 0) return undefined;
  const currentPrice = current.priceMicros as number;
  const nextPrice = next.priceMicros as number;
  return {
    customer: entry.customer,
    plan: entry.plan,
    score: Math.max(...signals.map((signal) => signal.points)),
    nextPlan: next.plan,
    expansionMicros: nextPrice - currentPrice,
    signals,
    figures: {
      ...usageFigures(entry, days),
      nextPlan: next.plan,
      nextPlanMedianMonthlyCalls: nextMedian ?? 0,
      priceMicros: currentPrice,
      nextPriceMicros: nextPrice,
    },
  };
}

/** A downgrade candidate: at most `downgradeShare` of its plan's median use; undefined otherwise. */
function downgradeOf(
  entry: CustomerEngagement,
  plans: readonly PlanUsage[],
  settings: ChurnConfig,
  days: PeriodDays,
  present: boolean,
): DowngradeCandidate | undefined {
  const { current, lower } = neighbours(plans, entry.plan);
  if (!present || current === undefined || lower === undefined) return undefined;
  const planMedian = current.medianMonthlyCalls;
  if (planMedian === null || planMedian <= 0) return undefined;
  const usage = entry.monthlyCalls / planMedian;
  if (usage > settings.downgradeShare) return undefined;
  const strength = round(
    settings.downgradeShare === 0 ? 1 : Math.min(1, 1 - usage / (2 * settings.downgradeShare)),
    4,
  );
  const price = current.priceMicros as number;
  const lowerPrice = lower.priceMicros as number;
  return {
    customer: entry.customer,
    plan: entry.plan,
    score: round(100 * strength, 2),
    lowerPlan: lower.plan,
    revenueLossMicros: price - lowerPrice,
    signals: [{ kind: 'underuse', strength, points: round(100 * strength, 2) }],
    figures: {
      ...usageFigures(entry, days),
      planMedianMonthlyCalls: planMedian,
      usagePct: round(usage * 100, 1),
      lowerPlan: lower.plan,
      priceMicros: price,
      lowerPriceMicros: lowerPrice,
    },
  };
}

/** Customers by velocity band (fixed bands around 1: no change). */
function velocityBands(customers: readonly CustomerEngagement[]): VelocityBand[] {
  const bands: [string, (velocity: number) => boolean][] = [
    ['stopped (0)', (velocity) => velocity === 0],
    ['under 0.5', (velocity) => velocity > 0 && velocity < 0.5],
    ['0.5 – 0.8', (velocity) => velocity >= 0.5 && velocity < 0.8],
    ['0.8 – 1.25', (velocity) => velocity >= 0.8 && velocity < 1.25],
    ['1.25 – 2', (velocity) => velocity >= 1.25 && velocity < 2],
    ['2 and above', (velocity) => velocity >= 2],
  ];
  const rows = bands.map(([band, holds]) => ({
    band,
    customers: customers.filter((entry) => entry.velocity !== null && holds(entry.velocity)).length,
  }));
  rows.push({
    band: 'no calls before',
    customers: customers.filter((entry) => entry.velocity === null).length,
  });
  return rows;
}

function byMoney<T extends ChurnCandidate>(money: (candidate: T) => number): (a: T, b: T) => number {
  return (a, b) => money(b) - money(a) || b.score - a.score || byKey(a.customer, b.customer);
}

function recommendations(
  atRisk: readonly AtRiskCustomer[],
  expansion: readonly ExpansionCandidate[],
  downgrade: readonly DowngradeCandidate[],
  count: number,
): Recommendation[] {
  const items: Recommendation[] = [];
  for (const entry of atRisk.slice(0, count))
    items.push(
      recommend(
        'Contact {customer} ({plan}): its calls a day fell to {velocityPct} of the {priorDays} days before, its last call was on {lastActive} ({daysSinceLastCall} days before the log ends), and {monthlyRevenueMicros} a month is at risk (score {score}).',
        {
          customer: entry.customer,
          plan: entry.plan,
          velocityPct: entry.figures['velocityPct'] as number,
          priorDays: entry.figures['priorDays'] as number,
          lastActive: entry.figures['lastActive'] as string,
          daysSinceLastCall: entry.figures['daysSinceLastCall'] as number,
          monthlyRevenueMicros: entry.revenueAtRiskMicros,
          score: entry.score,
        },
      ),
    );
  for (const entry of expansion.slice(0, count))
    items.push(
      recommend(
        'Offer {customer} the {nextPlan} plan: it makes {monthlyCalls} calls a month at its recent rate ({velocity} times its rate before) on {plan}; the move adds {expansionMicros} a month.',
        {
          customer: entry.customer,
          nextPlan: entry.nextPlan,
          monthlyCalls: entry.figures['monthlyCalls'] as number,
          velocity: entry.figures['velocity'] as number,
          plan: entry.plan,
          expansionMicros: entry.expansionMicros,
        },
      ),
    );
  for (const entry of downgrade.slice(0, count))
    items.push(
      recommend(
        '{customer} uses {usagePct} of what the median {plan} customer uses ({monthlyCalls} calls a month): check in before it moves to {lowerPlan}, which would cost {revenueLossMicros} a month.',
        {
          customer: entry.customer,
          usagePct: entry.figures['usagePct'] as number,
          plan: entry.plan,
          monthlyCalls: entry.figures['monthlyCalls'] as number,
          lowerPlan: entry.lowerPlan,
          revenueLossMicros: entry.revenueLossMicros,
        },
      ),
    );
  return items;
}

/** Finishes the churn analysis. */
export function finishChurn(context: FinishContext, settings: ChurnConfig): ChurnResult {
  const days = periodDays(context, settings);
  const sums = sumCustomers(context, days);
  const customers = engagements(context, settings, days, sums);
  const atRisk: AtRiskCustomer[] = [];
  for (const entry of customers) {
    if (!entry.judged) continue;
    const signals = riskSignals(entry, settings);
    entry.riskScore = round(
      signals.reduce((total, signal) => total + signal.points, 0),
      2,
    );
    // Calls without a customer are no account to contact or to move between plans.
    if (entry.customer !== UNATTRIBUTED && entry.riskScore >= settings.riskScore)
      atRisk.push(atRiskOf(entry, signals, days));
  }
  const risky = new Set(atRisk.map((entry) => entry.customer));
  const plans = planUsage(context, settings, customers, days);
  const expansion: ExpansionCandidate[] = [];
  const downgrade: DowngradeCandidate[] = [];
  for (const entry of customers) {
    if (risky.has(entry.customer) || entry.customer === UNATTRIBUTED) continue;
    // A customer that came during the recent period has no full period to compare with its plan's customers.
    const present = entry.firstActive !== '' && entry.firstActive <= formatUtcDay(days.recentStart);
    const growing = expansionOf(entry, plans, settings, days, present);
    if (growing) expansion.push(growing);
    const shrinking = downgradeOf(entry, plans, settings, days, present);
    if (shrinking) downgrade.push(shrinking);
  }
  atRisk.sort(byMoney((entry) => entry.revenueAtRiskMicros));
  expansion.sort(byMoney((entry) => entry.expansionMicros));
  downgrade.sort(byMoney((entry) => entry.revenueLossMicros));
  customers.sort((a, b) => b.riskScore - a.riskScore || b.calls - a.calls || byKey(a.customer, b.customer));
  const total = <T>(rows: readonly T[], money: (row: T) => number): number =>
    rows.reduce((sum, row) => sum + money(row), 0);
  return {
    periods: {
      windowEnd: context.windowDays === 0 ? null : formatUtcDay(days.lastDay),
      recent: periodOf(days.recentStart, days.recentDays),
      prior: periodOf(days.priorStart, days.priorDays),
    },
    customers,
    atRisk,
    expansion,
    downgrade,
    plans,
    velocityBands: velocityBands(customers),
    totals: {
      customers: customers.length,
      judged: customers.filter((entry) => entry.judged).length,
      atRiskCustomers: atRisk.length,
      expansionCustomers: expansion.length,
      downgradeCustomers: downgrade.length,
      monthlyRevenueAtRiskMicros: total(atRisk, (entry) => entry.revenueAtRiskMicros),
      monthlyExpansionMicros: total(expansion, (entry) => entry.expansionMicros),
      monthlyRevenueLossMicros: total(downgrade, (entry) => entry.revenueLossMicros),
    },
    recommendations: recommendations(atRisk, expansion, downgrade, settings.recommended),
  };
}
