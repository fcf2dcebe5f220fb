import { type SubscriptionTier, formatUtcDay } from '@finops/schema';
import { type FinishContext, byKey, monthly, round } from '../../context';
import { type HistogramData, excessOver, percentile } from '../../histogram';
import { type Recommendation, recommend } from '../../recommend';
import type { AggregateReader } from '../../store/reader';
import type { RealtimeConfig } from './settings';

/** Risk class of a customer: projected month cost against its allocation. */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
/** Direction of a customer's cost: the last days against the days before. */
export type Trend = 'accelerating' | 'stable' | 'declining';
/** A budget rule that raised an alert. */
export type AlertRule = 'tier_cost_share' | 'projected_allocation' | 'daily_average' | 'daily_spike';

/** One alert: who, which rule, how bad, the figures and the action. */
export interface Alert {
  severity: RiskLevel;
  customer: string;
  tier: SubscriptionTier;
  rule: AlertRule;
  /** Monthly subscription value of the customer when it is high or critical risk, else 0. */
  revenueAtRiskMicros: number;
  action: 'contact' | 'cap' | 'upgrade';
  figures: Record<string, number | string>;
  message: string;
}

/** Result of analysis 3: real-time decision making. */
export interface RealtimeResult {
  anomalies: {
    groups: {
      provider: string;
      model: string;
      taskType: string;
      calls: number;
      normalMicros: number;
      thresholdMicros: number;
      anomalies: number;
      excessMicros: number;
    }[];
    count: number;
    excessMicros: number;
  };
  spikes: {
    customer: string;
    day: string;
    costMicros: number;
    trailingAverageMicros: number;
    multiple: number;
    excessMicros: number;
  }[];
  /** Month of the window's last day: each customer's month-to-date cost against the linear expectation. */
  monthToDate: {
    month: string;
    daysElapsed: number;
    daysInMonth: number;
    customers: {
      customer: string;
      tier: SubscriptionTier;
      costMicros: number;
      expectedMicros: number;
      projectedMicros: number;
      allocationMicros: number;
      aheadOfPace: boolean;
    }[];
  };
  portfolio: {
    customers: {
      customer: string;
      tier: SubscriptionTier;
      projectedMicros: number;
      allocationMicros: number;
      ratio: number;
      risk: RiskLevel;
      trend: Trend;
    }[];
    counts: Record<RiskLevel, number>;
    trends: Record<Trend, number>;
    revenueAtRiskMicros: number;
  };
  alerts: Alert[];
  recommendations: Recommendation[];
}

const SEVERITY_RANK: Record<RiskLevel, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const TIER_ORDER: SubscriptionTier[] = ['starter', 'pro', 'enterprise'];

/** Per model × task type, the calls above the anomaly threshold (a multiple of the group's normal cost), most excess first. */
function anomalyGroupsOf(
  aggregates: AggregateReader,
  settings: RealtimeConfig,
): RealtimeResult['anomalies']['groups'] {
  const anomalyGroups: RealtimeResult['anomalies']['groups'] = [];
  const costTable = aggregates.grouping('modelTaskCost');
  const costHistograms = costTable.histograms('costPerCall');
  const costModels = costTable.keys('model');
  const costTasks = costTable.keys('taskType');
  for (let cell = 0; cell < costTable.size; cell++) {
    const histogram = costHistograms[cell] as HistogramData;
    const normal = percentile(histogram, settings.anomalyPercentile);
    const threshold = normal * settings.anomalyMultiple;
    const { count, excess } = excessOver(histogram, threshold);
    if (count === 0) continue;
    const model = costModels[cell] as number;
    anomalyGroups.push({
      provider: aggregates.values('provider')[aggregates.modelProviders()[model] as number] as string,
      model: aggregates.values('model')[model] as string,
      taskType: aggregates.values('taskType')[costTasks[cell] as number] as string,
      calls: histogram.n,
      normalMicros: Math.round(normal),
      thresholdMicros: Math.round(threshold),
      anomalies: count,
      excessMicros: Math.round(excess),
    });
  }
  return anomalyGroups.sort(
    (a, b) =>
      b.excessMicros - a.excessMicros ||
      byKey(a.provider, b.provider) ||
      byKey(a.model, b.model) ||
      byKey(a.taskType, b.taskType),
  );
}

/** The month of the last day: its first day, its length and the days of it in the window so far. */
interface MonthToDate {
  monthStart: number;
  daysInMonth: number;
  /** First day of the month inside the window (UTC day number). */
  start: number;
  daysElapsed: number;
}

function monthToDateOf(context: FinishContext): MonthToDate {
  const lastDate = new Date(context.lastDay * 86_400_000);
  const year = lastDate.getUTCFullYear();
  const month = lastDate.getUTCMonth();
  const monthStart = Date.UTC(year, month, 1) / 86_400_000;
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const start = Math.max(monthStart, context.firstDay);
  return { monthStart, daysInMonth, start, daysElapsed: context.lastDay - start + 1 };
}

/** One customer's days of the window with their cost. */
interface CustomerDays {
  name: string;
  /** Cost per day of the window (index 0 = first day). */
  daily: number[];
}

/** The days above `spikeMultiple` × the trailing average of the days before, in day order. */
function spikesOf(
  customer: CustomerDays,
  context: FinishContext,
  settings: RealtimeConfig,
): RealtimeResult['spikes'] {
  const { daily } = customer;
  const days = context.windowDays;
  const spikes: RealtimeResult['spikes'] = [];
  for (let day = settings.spikeMinHistoryDays; day < days; day++) {
    const from = Math.max(0, day - settings.spikeTrailingDays);
    let trailing = 0;
    for (let back = from; back < day; back++) trailing += daily[back] as number;
    const average = trailing / (day - from);
    const value = daily[day] as number;
    if (average > 0 && value > settings.spikeMultiple * average) {
      spikes.push({
        customer: customer.name,
        day: formatUtcDay(context.firstDay + day),
        costMicros: value,
        trailingAverageMicros: Math.round(average),
        multiple: round(value / average, 2),
        excessMicros: Math.round(value - average),
      });
    }
  }
  return spikes;
}

/** The risk level of projected cost / allocation. */
function riskOf(ratio: number, settings: RealtimeConfig): RiskLevel {
  return ratio >= settings.riskCritical
    ? 'critical'
    : ratio >= settings.riskHigh
      ? 'high'
      : ratio >= settings.riskMedium
        ? 'medium'
        : 'low';
}

/** The last `trendDays` against the `trendDays` before. */
function trendOf(daily: readonly number[], days: number, settings: RealtimeConfig): Trend {
  let recent = 0;
  let before = 0;
  for (let day = Math.max(0, days - settings.trendDays); day < days; day++) recent += daily[day] as number;
  for (
    let day = Math.max(0, days - 2 * settings.trendDays);
    day < Math.max(0, days - settings.trendDays);
    day++
  )
    before += daily[day] as number;
  let earlier = 0;
  for (let day = 0; day < Math.max(0, days - 2 * settings.trendDays); day++) earlier += daily[day] as number;
  // Nothing in the previous period: spend that starts is accelerating, and a customer whose spend
  // stopped before both periods has gone quiet, which is the strongest decline of all.
  return days < 2 * settings.trendDays
    ? 'stable'
    : before === 0
      ? recent > 0
        ? 'accelerating'
        : earlier > 0
          ? 'declining'
          : 'stable'
      : recent > before * (1 + settings.trendChange)
        ? 'accelerating'
        : recent < before * (1 - settings.trendChange)
          ? 'declining'
          : 'stable';
}

/** What one customer's alerts are built from. */
interface CustomerStanding {
  customer: CustomerDays;
  tier: SubscriptionTier;
  price: number;
  allocation: number;
  cost: number;
  projected: number;
  risk: RiskLevel;
  worstSpike: RealtimeResult['spikes'][number] | undefined;
}

/** The alerts of one customer, by rule: plan cost share, projected allocation, daily average, spike. */
function alertsOf(standing: CustomerStanding, context: FinishContext, settings: RealtimeConfig): Alert[] {
  const { catalog } = context;
  const { customer, tier, price, allocation, cost, projected, risk, worstSpike } = standing;
  const { name, daily } = customer;
  const days = context.windowDays;
  const alerts: Alert[] = [];
  const atRisk = risk === 'high' || risk === 'critical' ? price : 0;
  const higherTier = TIER_ORDER.slice(TIER_ORDER.indexOf(tier) + 1).find(
    (candidate) => catalog.tierPriceMicros(candidate) * settings.allocationShare >= projected,
  );
  const push = (
    severity: RiskLevel,
    rule: AlertRule,
    action: Alert['action'],
    template: string,
    figures: Record<string, number | string>,
  ): void => {
    alerts.push({
      severity,
      customer: name,
      tier,
      rule,
      revenueAtRiskMicros: atRisk,
      action,
      figures,
      message: recommend(template, figures).text,
    });
  };
  const runRate = monthly(context, cost);
  if (runRate > price * settings.tierCostShare) {
    push(
      runRate >= price ? 'critical' : 'high',
      'tier_cost_share',
      higherTier ? 'upgrade' : 'cap',
      '{customer} runs at {runRateMicros} a month of AI cost, {sharePct} of its {tier} price {priceMicros}.',
      {
        customer: name,
        tier,
        runRateMicros: runRate,
        sharePct: price === 0 ? 0 : (runRate / price) * 100,
        priceMicros: price,
      },
    );
  }
  if (projected > allocation * settings.projectedAllocationShare) {
    push(
      risk === 'low' ? 'medium' : risk,
      'projected_allocation',
      higherTier ? 'upgrade' : 'cap',
      '{customer} is projected at {projectedMicros} this month against an allocation of {allocationMicros}.',
      {
        customer: name,
        projectedMicros: projected,
        allocationMicros: allocation,
      },
    );
  }
  const dailyAverage = days === 0 ? 0 : cost / days;
  let worstDay = -1;
  for (let day = 0; day < days; day++)
    if (
      dailyAverage > 0 &&
      (daily[day] as number) > settings.dailyAverageMultiple * dailyAverage &&
      (worstDay < 0 || (daily[day] as number) > (daily[worstDay] as number))
    )
      worstDay = day;
  if (worstDay >= 0) {
    push(
      'medium',
      'daily_average',
      'contact',
      '{customer} spent {dayMicros} on {day}, {multiple}× its daily average of {averageMicros}.',
      {
        customer: name,
        day: formatUtcDay(context.firstDay + worstDay),
        dayMicros: daily[worstDay] as number,
        multiple: round((daily[worstDay] as number) / dailyAverage, 1),
        averageMicros: Math.round(dailyAverage),
      },
    );
  }
  if (worstSpike) {
    push(
      'high',
      'daily_spike',
      'contact',
      '{customer} spiked to {costMicros} on {day}, {multiple}× its trailing average of {averageMicros}.',
      {
        customer: name,
        day: worstSpike.day,
        costMicros: worstSpike.costMicros,
        multiple: round(worstSpike.multiple, 1),
        averageMicros: worstSpike.trailingAverageMicros,
      },
    );
  }
  return alerts;
}

/** Risk counts, trends and the monthly subscriptions of the customers at high or critical risk. */
function portfolioSummary(
  portfolio: RealtimeResult['portfolio']['customers'],
  context: FinishContext,
): Omit<RealtimeResult['portfolio'], 'customers'> {
  const counts: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  const trends: Record<Trend, number> = { accelerating: 0, stable: 0, declining: 0 };
  let revenueAtRisk = 0;
  for (const entry of portfolio) {
    counts[entry.risk]++;
    trends[entry.trend]++;
    if (entry.risk === 'high' || entry.risk === 'critical')
      revenueAtRisk += context.catalog.tierPriceMicros(entry.tier);
  }
  return { counts, trends, revenueAtRiskMicros: revenueAtRisk };
}

/** Finishes analysis 3. */
export function finishRealtime(context: FinishContext): RealtimeResult {
  const { aggregates, catalog, config } = context;
  const settings = config.realtime;
  const anomalyGroups = anomalyGroupsOf(aggregates, settings);
  const days = context.windowDays;
  const { monthStart, daysInMonth, start: monthToDateStart, daysElapsed } = monthToDateOf(context);

  const spikes: RealtimeResult['spikes'] = [];
  const monthToDate: RealtimeResult['monthToDate']['customers'] = [];
  const portfolio: RealtimeResult['portfolio']['customers'] = [];
  const alerts: Alert[] = [];
  const daily = new Array<number>(days).fill(0);
  const table = aggregates.grouping('customerDay');
  const cellCustomer = table.keys('customer');
  const cellDay = table.keys('day');
  const cellCost = table.measure('cost');
  const dayNumbers = aggregates.days();
  let cell = 0;
  for (let customer = 0; customer < aggregates.values('customer').length; customer++) {
    daily.fill(0);
    // Cells are in (customer, day) order: one customer's days are consecutive.
    while (cell < table.size && cellCustomer[cell] === customer) {
      daily[(dayNumbers[cellDay[cell] as number] as number) - context.firstDay] = cellCost[cell] as number;
      cell++;
    }
    const customerDays = { name: aggregates.values('customer')[customer] as string, daily };
    const name = customerDays.name;
    const tier = context.customerTier[customer] as SubscriptionTier;
    const price = catalog.tierPriceMicros(tier);
    const allocation = Math.round(price * settings.allocationShare);
    const cost = context.customerCost[customer] as number;

    // Spikes against the trailing average of the days before.
    let worstSpike: RealtimeResult['spikes'][number] | undefined;
    for (const spike of spikesOf(customerDays, context, settings)) {
      spikes.push(spike);
      if (!worstSpike || spike.excessMicros > worstSpike.excessMicros) worstSpike = spike;
    }

    let monthToDateCost = 0;
    for (let day = monthToDateStart - context.firstDay; day < days; day++)
      monthToDateCost += daily[day] as number;
    const projected = Math.round((monthToDateCost / daysElapsed) * daysInMonth);
    const expected = Math.round((allocation * daysElapsed) / daysInMonth);
    monthToDate.push({
      customer: name,
      tier,
      costMicros: monthToDateCost,
      expectedMicros: expected,
      projectedMicros: projected,
      allocationMicros: allocation,
      aheadOfPace: monthToDateCost > expected,
    });

    const ratio = allocation === 0 ? 0 : projected / allocation;
    const risk = riskOf(ratio, settings);
    portfolio.push({
      customer: name,
      tier,
      projectedMicros: projected,
      allocationMicros: allocation,
      ratio: round(ratio, 4),
      risk,
      trend: trendOf(daily, days, settings),
    });
    alerts.push(
      ...alertsOf(
        { customer: customerDays, tier, price, allocation, cost, projected, risk, worstSpike },
        context,
        settings,
      ),
    );
  }
  alerts.sort(
    (a, b) =>
      b.revenueAtRiskMicros - a.revenueAtRiskMicros ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      byKey(a.customer, b.customer) ||
      byKey(a.rule, b.rule),
  );
  spikes.sort(
    (a, b) => b.excessMicros - a.excessMicros || byKey(a.customer, b.customer) || byKey(a.day, b.day),
  );
  const { counts, trends, revenueAtRiskMicros: revenueAtRisk } = portfolioSummary(portfolio, context);
  portfolio.sort((a, b) => b.ratio - a.ratio || byKey(a.customer, b.customer));

  const recommendations: Recommendation[] = [];
  const anomalyCount = anomalyGroups.reduce((sum, group) => sum + group.anomalies, 0);
  const anomalyExcess = anomalyGroups.reduce((sum, group) => sum + group.excessMicros, 0);
  if (anomalyCount > 0) {
    recommendations.push(
      recommend(
        '{count} calls cost more than {multiple}× their model and task normal, {excessMicros} above it: cap tokens per call.',
        { count: anomalyCount, multiple: settings.anomalyMultiple, excessMicros: anomalyExcess },
      ),
    );
  }
  if (revenueAtRisk > 0) {
    recommendations.push(
      recommend(
        '{customers} customers are at high or critical risk, {revenueMicros} of monthly subscriptions: contact them before the month closes.',
        {
          customers: counts.high + counts.critical,
          revenueMicros: revenueAtRisk,
        },
      ),
    );
  }
  for (const alert of alerts.slice(0, 5))
    recommendations.push({ text: `${alert.action}: ${alert.message}`, figures: alert.figures });
  return {
    anomalies: { groups: anomalyGroups, count: anomalyCount, excessMicros: anomalyExcess },
    spikes,
    monthToDate: {
      month: formatUtcDay(monthStart).slice(0, 7),
      daysElapsed,
      daysInMonth,
      customers: monthToDate.sort(
        (a, b) => b.projectedMicros - a.projectedMicros || byKey(a.customer, b.customer),
      ),
    },
    portfolio: { customers: portfolio, counts, trends, revenueAtRiskMicros: revenueAtRisk },
    alerts,
    recommendations,
  };
}
