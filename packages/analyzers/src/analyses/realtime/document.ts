import type {
  AlertSeverity,
  ReportAlert,
  ReportDocument,
  ReportFigures,
  ReportSection,
} from '@finops/schema';
import type { Alert, AlertRule, RealtimeResult, RiskLevel } from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_REALTIME } from './about';
import {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  alertsBlock,
  capitalize,
  categoryChart,
  col,
  count,
  countCard,
  money,
  moneyCard,
  percentOfShare,
  plural,
  presentFigures,
  recommendationsBlock,
  resolveDocumentOptions,
  standardDocument,
  sum,
  table,
  usd,
  yesNo,
} from '../../documents/shared';

/** What the realtime analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const REALTIME_BUCKETED_LIMITS = [
  "the cost of single calls: a row's calls are judged by their mean cost, so one anomalous call inside a bucket is not seen",
  "spikes within a day: a bucket's calls count on the day of its timestamp",
];

/** What each budget rule watches, as an alert's title says it. */
export const ALERT_RULE_TITLES: Readonly<Record<AlertRule, string>> = {
  tier_cost_share: 'AI cost above its share of the tier price',
  projected_allocation: 'month projected over its allocation',
  daily_average: 'a day far above its daily average',
  daily_spike: 'a day far above its trailing average',
};

/**
 * Page severity of a risk level: critical stays critical, high and medium
 * are warnings, low is information (the level itself is among the figures).
 */
export const RISK_SEVERITY: Readonly<Record<RiskLevel, AlertSeverity>> = {
  critical: 'critical',
  high: 'warning',
  medium: 'warning',
  low: 'info',
};

const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];
const RULES = Object.keys(ALERT_RULE_TITLES) as AlertRule[];
const ACTIONS: Record<Alert['action'], string> = {
  contact: 'contact the customer',
  cap: 'cap its usage',
  upgrade: 'offer a higher tier',
};

/** Alerts by revenue at risk and severity, each with its figures and action. */
function alertSectionOf(result: RealtimeResult, settings: ResolvedDocumentOptions): ReportSection {
  const { alerts } = result;
  const shownAlerts = alerts.slice(0, settings.topN);
  return {
    title: 'Alerts',
    intro:
      alerts.length > shownAlerts.length
        ? `The first ${count(shownAlerts.length)} of ${plural(alerts.length, 'alert')}, by revenue at risk then severity.`
        : 'Budget alerts by revenue at risk, then severity, each with its figures and the action to take.',
    blocks: [
      alertsBlock('Budget alerts', shownAlerts.map(reportAlert), 'No customer crossed a budget rule.'),
      table(
        'Alerts by rule',
        'Number of alerts each budget rule raised, by risk level.',
        [
          col.text('Rule'),
          ...RISK_LEVELS.slice()
            .reverse()
            .map((level) => col.number(capitalize(level))),
          col.number('Total'),
        ],
        RULES.map((rule) => {
          const ofRule = alerts.filter((alert) => alert.rule === rule);
          return [
            ALERT_RULE_TITLES[rule],
            ...RISK_LEVELS.slice()
              .reverse()
              .map((level) => ofRule.filter((alert) => alert.severity === level).length),
            ofRule.length,
          ];
        }),
        {
          footer: [
            'All rules',
            ...RISK_LEVELS.slice()
              .reverse()
              .map((level) => alerts.filter((alert) => alert.severity === level).length),
            alerts.length,
          ],
        },
      ),
    ],
  };
}

/** The portfolio: customers by projected cost against allocation, risk and trend. */
function portfolioSectionOf(result: RealtimeResult, settings: ResolvedDocumentOptions): ReportSection {
  const { portfolio } = result;
  const riskCustomers = portfolio.customers.slice(0, settings.topN);
  return {
    title: 'Portfolio risk',
    intro: `Each customer's projected month cost against its allocation. Revenue at risk: ${money(
      portfolio.revenueAtRiskMicros,
    )} of monthly subscriptions of high and critical customers.`,
    blocks: [
      categoryChart(
        'doughnut',
        'Customers by risk level',
        'Number of customers in each risk level, by projected month cost against allocation.',
        RISK_LEVELS.slice(),
        [{ label: 'Customers', values: RISK_LEVELS.map((level) => portfolio.counts[level]) }],
        { xAxis: { title: 'Risk level' }, yAxis: { title: 'Customers', format: 'number' } },
      ),
      categoryChart(
        'bar',
        'Customers by cost trend',
        'Number of customers whose cost of the last days is accelerating, stable or declining against the days before.',
        ['accelerating', 'stable', 'declining'],
        [
          {
            label: 'Customers',
            values: [portfolio.trends.accelerating, portfolio.trends.stable, portfolio.trends.declining],
          },
        ],
        { xAxis: { title: 'Trend' }, yAxis: { title: 'Customers', format: 'number' } },
      ),
      table(
        'Customers by risk',
        'Projected month cost against allocation, highest ratio first.',
        [
          col.text('Customer'),
          col.text('Tier'),
          col.money('Projected month'),
          col.money('Allocation'),
          col.percent('Of allocation'),
          col.text('Risk'),
          col.text('Trend'),
        ],
        riskCustomers.map((entry) => [
          entry.customer,
          entry.tier,
          usd(entry.projectedMicros),
          usd(entry.allocationMicros),
          percentOfShare(entry.ratio),
          entry.risk,
          entry.trend,
        ]),
        {
          note:
            portfolio.customers.length > riskCustomers.length
              ? `The ${count(riskCustomers.length)} highest of ${count(portfolio.customers.length)} customers.`
              : undefined,
        },
      ),
    ],
  };
}

/** Days far above a customer's trailing average. */
function spikeSectionOf(result: RealtimeResult, settings: ResolvedDocumentOptions): ReportSection {
  const { spikes } = result;
  const shownSpikes = spikes.slice(0, settings.topN);
  return {
    title: 'Daily spikes',
    intro: 'Days on which a customer spent far more than its trailing average, largest excess first.',
    blocks: [
      table(
        'Spikes',
        'Each spike with the day, its cost, the trailing average, the multiple and the excess.',
        [
          col.text('Customer'),
          col.text('Day'),
          col.money('Cost'),
          col.money('Trailing average'),
          col.number('Multiple', 1),
          col.money('Excess'),
        ],
        shownSpikes.map((spike) => [
          spike.customer,
          spike.day,
          usd(spike.costMicros),
          usd(spike.trailingAverageMicros),
          spike.multiple,
          usd(spike.excessMicros),
        ]),
        {
          footer:
            spikes.length > 0
              ? [
                  `All ${plural(spikes.length, 'spike')}`,
                  '',
                  usd(sum(spikes, (spike) => spike.costMicros)),
                  null,
                  null,
                  usd(sum(spikes, (spike) => spike.excessMicros)),
                ]
              : undefined,
          note:
            spikes.length > shownSpikes.length
              ? `The ${count(shownSpikes.length)} largest of ${count(spikes.length)} spikes; the total row counts them all.`
              : undefined,
        },
      ),
    ],
  };
}

/** Calls far above their model and task normal. */
function anomalySectionOf(result: RealtimeResult, settings: ResolvedDocumentOptions): ReportSection {
  const { anomalies } = result;
  const groups = anomalies.groups.slice(0, settings.topN);
  return {
    title: 'Cost anomalies',
    intro: `${plural(anomalies.count, 'call')} cost far more than the normal of their model and task type, ${money(
      anomalies.excessMicros,
    )} above the threshold.`,
    blocks: [
      table(
        'Anomalies by model and task type',
        'Groups with calls above their threshold (a multiple of the normal cost per call), largest excess first.',
        [
          col.text('Provider'),
          col.text('Model'),
          col.text('Task type'),
          col.number('Calls'),
          col.money('Normal per call', 4),
          col.money('Threshold', 4),
          col.number('Anomalies'),
          col.money('Excess'),
        ],
        groups.map((group) => [
          group.provider,
          group.model,
          group.taskType,
          group.calls,
          usd(group.normalMicros),
          usd(group.thresholdMicros),
          group.anomalies,
          usd(group.excessMicros),
        ]),
        {
          footer:
            anomalies.groups.length > 0
              ? ['All groups', '', '', null, null, null, anomalies.count, usd(anomalies.excessMicros)]
              : undefined,
          note:
            anomalies.groups.length > groups.length
              ? `The ${count(groups.length)} largest of ${count(anomalies.groups.length)} groups; the total row counts them all.`
              : undefined,
        },
      ),
    ],
  };
}

/** The month to date: each customer's cost, pace and projection. */
function monthToDateSectionOf(result: RealtimeResult, settings: ResolvedDocumentOptions): ReportSection {
  const { monthToDate } = result;
  const ahead = monthToDate.customers.filter((entry) => entry.aheadOfPace).length;
  const projections = monthToDate.customers.slice(0, settings.topN);
  return {
    title: 'Month to date',
    intro: `${monthToDate.month}: ${plural(monthToDate.daysElapsed, 'day')} of ${count(
      monthToDate.daysInMonth,
    )} in the window; ${plural(ahead, 'customer')} ahead of the linear pace of their allocation.`,
    blocks: [
      table(
        'Month-to-date cost',
        'Each customer’s cost this month against the linear expectation and its projected month, highest projection first.',
        [
          col.text('Customer'),
          col.text('Tier'),
          col.money('Month to date'),
          col.money('Expected by now'),
          col.money('Projected month'),
          col.money('Allocation'),
          col.text('Ahead of pace'),
        ],
        projections.map((entry) => [
          entry.customer,
          entry.tier,
          usd(entry.costMicros),
          usd(entry.expectedMicros),
          usd(entry.projectedMicros),
          usd(entry.allocationMicros),
          yesNo(entry.aheadOfPace),
        ]),
        {
          note:
            monthToDate.customers.length > projections.length
              ? `The ${count(projections.length)} highest projections of ${count(monthToDate.customers.length)} customers.`
              : undefined,
        },
      ),
    ],
  };
}

/** One alert of the analysis as a page alert: its message, the action, and its figures. */
export function reportAlert(alert: Alert): ReportAlert {
  const figures: ReportFigures = {
    ...presentFigures(alert.figures),
    Rule: alert.rule,
    Risk: alert.severity,
    Action: alert.action,
  };
  if (alert.revenueAtRiskMicros > 0) figures['Revenue at risk'] = money(alert.revenueAtRiskMicros);
  return {
    severity: RISK_SEVERITY[alert.severity],
    title: `${alert.customer} (${alert.tier}): ${ALERT_RULE_TITLES[alert.rule]}`,
    text: `${alert.message} Action: ${ACTIONS[alert.action]}.`,
    figures,
  };
}

/** The "Real-Time Decision Making" document of analysis 3. */
export function realtimeDocument(
  result: RealtimeResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { alerts, spikes, anomalies, portfolio, monthToDate } = result;
  const critical = alerts.filter((alert) => alert.severity === 'critical').length;
  const atRisk = portfolio.counts.high + portfolio.counts.critical;
  const ahead = monthToDate.customers.filter((entry) => entry.aheadOfPace).length;
  const worstSpike = spikes.reduce<RealtimeResult['spikes'][number] | undefined>(
    (worst, spike) => (worst === undefined || spike.multiple > worst.multiple ? spike : worst),
    undefined,
  );
  const metrics = [
    countCard('Alerts', alerts.length, `${count(critical)} critical`),
    moneyCard(
      'Revenue at risk',
      portfolio.revenueAtRiskMicros,
      `${plural(atRisk, 'customer')} at high or critical risk`,
    ),
    countCard('Cost anomalies', anomalies.count, `${money(anomalies.excessMicros)} above normal`),
    countCard(
      'Daily spikes',
      spikes.length,
      worstSpike ? `up to ${count(worstSpike.multiple, 1)}× the trailing average` : 'none',
    ),
    countCard(
      'Ahead of pace',
      ahead,
      `of ${plural(monthToDate.customers.length, 'customer')} in ${monthToDate.month}`,
    ),
    countCard(
      'Accelerating',
      portfolio.trends.accelerating,
      `${count(portfolio.trends.declining)} declining, ${count(portfolio.trends.stable)} stable`,
    ),
  ];

  return standardDocument(ABOUT_REALTIME, meta, metrics, [
    alertSectionOf(result, settings),
    portfolioSectionOf(result, settings),
    spikeSectionOf(result, settings),
    anomalySectionOf(result, settings),
    monthToDateSectionOf(result, settings),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, REALTIME_BUCKETED_LIMITS) },
    {
      title: 'Recommended actions',
      blocks: [recommendationsBlock(result.recommendations, 'No customer or call needs action now.')],
    },
  ]);
}
