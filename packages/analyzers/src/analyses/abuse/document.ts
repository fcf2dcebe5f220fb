import type { ReportDocument, ReportSection } from '@finops/schema';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import {
  type DocumentOptions,
  categoryChart,
  col,
  count,
  countCard,
  moneyCard,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  shownNote,
  standardDocument,
  table,
  textCard,
  usd,
} from '../../documents/shared';
import { formatFigure } from '../../recommend';
import { ABOUT_ABUSE } from './about';
import type { AbuseFlag, AbuseKind, AbuseResult } from './finish';

/** What the abuse analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const ABUSE_BUCKETED_LIMITS = [
  "minute and hour bursts, off-hours regularity, model hopping and oversized batches of single calls: a row's calls all count in the row's minute, so a bucket reads as a burst of its own",
];

/** Each kind as the page (and the summary) names it. */
export const KIND_LABELS: Readonly<Record<AbuseKind, string>> = {
  minute_burst: 'Minute burst',
  hour_burst: 'Hour burst',
  plan_gaming: 'Plan gaming',
  off_hours: 'Off-hours automation',
  model_hopping: 'Model hopping',
  oversized_batch: 'Oversized batch',
  cost_outlier: 'Cost outlier',
  volume_outlier: 'Volume outlier',
};

/** A flag's own figures (not those of its action sentence) as one line. */
function figuresText(flag: AbuseFlag): string {
  return Object.entries(flag.figures)
    .filter(([name]) => name !== 'costMicros')
    .map(([name, value]) => `${name} ${formatFigure(name, value)}`)
    .join('; ');
}

/** How each kind is judged, with the thresholds of the run. */
function definitions(result: AbuseResult): string[] {
  const t = result.thresholds;
  return [
    `Minute burst: a minute with at least ${count(t.minuteBurstMinCalls)} calls and ${t.minuteBurstFactor}× the customer's median busy minute. Hour burst: likewise with ${count(t.hourBurstMinCalls)} calls and ${t.hourBurstFactor}× its median busy hour.`,
    `Plan gaming: a customer whose calls reach ${t.planGamingFactor}× those of the median customer of the next dearer plan (with at least ${plural(t.planMinPeers, 'customer')}).`,
    `Off-hours automation: hours of at least ${count(t.regularMinCalls)} calls whose per-minute calls have a variance / mean of at most ${t.regularMaxDispersion} (random arrivals give 1, a fixed schedule 0), outside the customer's ${t.workingHours} busiest consecutive hours of day, on at least ${plural(t.offHoursMinDays, 'day')}.`,
    `Model hopping: at least ${plural(t.hoppingMinMinutes, 'minute')} with ${t.hoppingMinModels} or more distinct models and at least ${t.hoppingMinModelShare} distinct model per call. Oversized batch: a minute of at least ${count(t.batchMinCalls)} calls whose mean input is ${t.batchInputFactor}× the customer's usual (its other minutes' mean input per call).`,
    `Cost and volume outliers: a robust z-score of log₁₀ cost or calls, (x − median) / max(1.4826 × MAD, ${t.outlierMinSpread}), of at least ${t.outlierZ} over all customers (at least ${count(t.outlierMinCustomers)} of them).`,
    `Severity: a flag's excess is its figure over its threshold; 1 below ${t.severityMedium}, 2 below ${t.severityHigh}, else 3. A customer's risk score is the sum of its flags' severities.`,
  ];
}

/** The "Abuse and Security Signals" document. */
export function abuseDocument(
  result: AbuseResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { flags, risk } = result;
  const kindsRaised = result.byKind.filter((entry) => entry.flags > 0);
  const flaggedMonthly = risk.reduce((total, row) => total + row.monthlyMicros, 0);
  const metrics = [
    countCard('Flags', flags.length, `${plural(risk.length, 'customer')} of ${count(result.customers)}`),
    moneyCard(
      'Flagged traffic a month',
      flaggedMonthly,
      "each flagged customer's costliest flag, at the window's run-rate",
    ),
    textCard(
      'Highest risk',
      risk[0]?.customer ?? 'none',
      risk[0] ? `score ${risk[0].score} from ${plural(risk[0].flags, 'flag')}` : 'no customer raises a flag',
    ),
    countCard('Kinds raised', kindsRaised.length, `of ${result.byKind.length}`),
  ];
  const shownRisk = risk.slice(0, settings.chartTopN);
  const riskBlocks =
    risk.length === 0
      ? [
          {
            kind: 'text' as const,
            paragraphs: ['No customer raises a flag of any kind with these thresholds.'],
          },
        ]
      : [
          categoryChart(
            'bar',
            'Risk score by customer',
            'Sum of the severities of each flagged customer’s flags (1 low, 2 medium, 3 high).',
            shownRisk.map((row) => row.customer),
            [{ label: 'Risk score', values: shownRisk.map((row) => row.score) }],
            {
              xAxis: { title: 'Customer' },
              yAxis: { title: 'Risk score', format: 'number' },
              horizontal: true,
            },
          ),
          table(
            'Risk by customer',
            'Each flagged customer: its score, flags and kinds, its calls and cost over the window, and the monthly cost of the traffic of its costliest flag.',
            [
              col.text('Customer'),
              col.text('Plan'),
              col.number('Score'),
              col.number('Flags'),
              col.text('Kinds'),
              col.number('Calls'),
              col.money('Cost'),
              col.money('Flagged a month'),
            ],
            risk
              .slice(0, settings.topN)
              .map((row) => [
                row.customer,
                row.plan,
                row.score,
                row.flags,
                row.kinds.map((kind) => KIND_LABELS[kind]).join(', '),
                row.calls,
                usd(row.costMicros),
                usd(row.monthlyMicros),
              ]),
            { note: shownNote(Math.min(settings.topN, risk.length), risk.length, 'customers') },
          ),
        ];
  const sections: ReportSection[] = [
    { title: 'Risk by customer', blocks: riskBlocks },
    {
      title: 'Flags by kind',
      intro: 'The traffic of flags of different kinds may overlap (a flood minute is also in a burst hour).',
      blocks: [
        categoryChart(
          'bar',
          'Flagged traffic a month by kind',
          'Monthly cost of the traffic each kind of flag covers, in dollars.',
          result.byKind.map((entry) => KIND_LABELS[entry.kind]),
          [{ label: 'Flagged a month', values: result.byKind.map((entry) => usd(entry.monthlyMicros)) }],
          { xAxis: { title: 'Kind' }, yAxis: { title: 'Cost a month', format: 'money' }, horizontal: true },
        ),
        table(
          'Kinds',
          'Flags of each kind, the calls they cover and their cost over the window and a month.',
          [
            col.text('Kind'),
            col.number('Flags'),
            col.number('Calls'),
            col.money('Cost'),
            col.money('A month'),
          ],
          result.byKind.map((entry) => [
            KIND_LABELS[entry.kind],
            entry.flags,
            entry.calls,
            usd(entry.costMicros),
            usd(entry.monthlyMicros),
          ]),
        ),
      ],
    },
    {
      title: 'Flags',
      blocks: [
        table(
          'Flags',
          'Every flag, costliest traffic first: its severity, the action, the traffic it covers and the figures it rests on.',
          [
            col.text('Customer'),
            col.text('Kind'),
            col.number('Severity'),
            col.text('Action'),
            col.number('Calls'),
            col.money('Cost'),
            col.money('A month'),
            col.text('Figures'),
          ],
          flags
            .slice(0, settings.topN)
            .map((flag) => [
              flag.customer,
              KIND_LABELS[flag.kind],
              flag.severity,
              flag.action,
              flag.calls,
              usd(flag.costMicros),
              usd(flag.monthlyMicros),
              figuresText(flag),
            ]),
          { note: shownNote(Math.min(settings.topN, flags.length), flags.length, 'flags') },
        ),
      ],
    },
    { title: 'How flags are raised', blocks: [{ kind: 'text', paragraphs: definitions(result) }] },
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, ABUSE_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [
        recommendationsBlock(
          result.recommendations,
          'No customer raises a flag: nothing to cap, limit or ask.',
        ),
      ],
    },
  ];
  return standardDocument(ABOUT_ABUSE, meta, metrics, sections);
}
