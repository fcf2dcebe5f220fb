import type { ReportDocument, ReportSection } from '@finops/schema';
import type { OptimizationResult } from './finish';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import { ABOUT_OPTIMIZATION } from './about';
import {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  categoryChart,
  chartTop,
  col,
  count,
  money,
  moneyCard,
  moneyOfUsd,
  percentOfShare,
  percent,
  plural,
  recommendationsBlock,
  resolveDocumentOptions,
  shownNote,
  standardDocument,
  sum,
  table,
  topWithRest,
  usd,
  yesNo,
} from '../../documents/shared';

/** What the optimization analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const OPTIMIZATION_BUCKETED_LIMITS = [
  "the task type of single calls: a row's calls share its task type, and a row without one (usage reports give none) is the group (unattributed), which no switch rule counts as a simple task",
];

/** The model switches: the from → to matrix and every switch with its saving and risk. */
function switchSectionOf(result: OptimizationResult, settings: ResolvedDocumentOptions): ReportSection {
  const { switches } = result;
  const { matrix } = result;
  const recommended = result.switches.filter((entry) => entry.recommended);
  const matrixChart = chartTop(
    matrix,
    settings.chartTopN,
    (row) => `${row.fromModel} → ${row.toModel}`,
    (row) => usd(row.savingsMicros),
    false,
  );
  const shownSwitches = switches.slice(0, settings.topN);
  return {
    title: 'Model switching',
    intro: `For each task type and premium or standard model, the cheapest model of a lower class at the same provider and at any provider; the larger saving of each group is the recommended one. ${plural(
      recommended.length,
      'recommended switch',
      'recommended switches',
    )} save ${money(result.switchSavingsMicros)}.`,
    blocks: [
      ...(matrix.length > 0
        ? [
            categoryChart(
              'bar',
              'Savings by switch',
              `Savings of the recommended switches from one model to another${
                matrix.length > settings.chartTopN
                  ? `, the ${count(settings.chartTopN)} largest of ${count(matrix.length)}`
                  : ''
              }, in dollars.`,
              matrixChart.labels,
              [{ label: 'Saving', values: matrixChart.values }],
              { xAxis: { title: 'Switch' }, yAxis: { title: 'Saving', format: 'money' }, horizontal: true },
            ),
          ]
        : []),
      table(
        'Switch matrix',
        'Recommended switches summed by from → to model: calls affected and savings in this window.',
        [col.text('From model'), col.text('To model'), col.number('Calls'), col.money('Saving')],
        topWithRest(
          matrix,
          settings.topN,
          (row) => [row.fromModel, row.toModel, row.calls, usd(row.savingsMicros)],
          (rest) => [
            `All other ${plural(rest.length, 'pair')}`,
            '',
            sum(rest, (row) => row.calls),
            usd(sum(rest, (row) => row.savingsMicros)),
          ],
        ),
        {
          footer: ['Total', '', sum(matrix, (row) => row.calls), usd(result.switchSavingsMicros)],
          note:
            matrix.length > settings.topN
              ? `The ${count(settings.topN)} largest of ${count(matrix.length)} pairs; the others are summed in one row.`
              : undefined,
        },
      ),
      table(
        'Switch options',
        'Every option by task type and model, at the same provider and at any provider, with its risk (class gap, provider change).',
        [
          col.text('Task type'),
          col.text('From'),
          col.text('To'),
          col.text('Scope'),
          col.number('Calls'),
          col.money('Actual cost'),
          col.money('At target prices'),
          col.money('Saving'),
          col.percent('Saving %'),
          col.money('Monthly saving'),
          col.text('Risk'),
          col.text('Recommended'),
        ],
        shownSwitches.map((entry) => [
          entry.taskType,
          `${entry.fromProvider}/${entry.fromModel} (${entry.fromClass})`,
          `${entry.toProvider}/${entry.toModel} (${entry.toClass})`,
          entry.scope,
          entry.calls,
          usd(entry.actualMicros),
          usd(entry.targetMicros),
          usd(entry.savingsMicros),
          entry.savingsPct,
          usd(entry.monthlySavingsMicros),
          entry.risk,
          yesNo(entry.recommended),
        ]),
        {
          note:
            switches.length > shownSwitches.length
              ? `The ${count(shownSwitches.length)} largest of ${count(switches.length)} options.`
              : undefined,
        },
      ),
    ],
  };
}

/** Reserved capacity: the savings of every commitment level × discount, and the best one. */
function reservedSectionOf(result: OptimizationResult): ReportSection {
  const { reserved } = result;
  const best = result.reserved.best;
  const levels = [...new Set(reserved.options.map((option) => option.level))];
  const discounts = [...new Set(reserved.options.map((option) => option.discount))];
  return {
    title: 'Reserved capacity',
    intro: `Commitments on the lowest steady daily spend after switching, ${money(
      reserved.baselineDailyMicros,
    )} a day.${
      best
        ? ` Best: ${percent(best.level * 100, 0)} of it at ${percent(best.discount * 100, 0)} off, saving ${money(best.savingsMicros)}.`
        : ' No level saves money in this window.'
    }`,
    blocks:
      reserved.options.length === 0
        ? []
        : [
            categoryChart(
              'bar',
              'Savings by commitment level',
              'Saving in this window of each commitment level (share of the baseline) at each discount, in dollars.',
              levels.map((level) => percent(level * 100, 0)),
              discounts.map((discount) => ({
                label: `${percent(discount * 100, 0)} off`,
                values: levels.map((level) => {
                  const option = reserved.options.find(
                    (entry) => entry.level === level && entry.discount === discount,
                  );
                  return option ? usd(option.savingsMicros) : null;
                }),
              })),
              { xAxis: { title: 'Commitment level' }, yAxis: { title: 'Saving', format: 'money' } },
            ),
            table(
              'Commitment options',
              'Each level and discount: the daily commitment, the saving in this window and a month, and the utilisation it breaks even at.',
              [
                col.percent('Level', 0),
                col.percent('Discount', 0),
                col.money('Commitment a day'),
                col.money('Saving in window'),
                col.money('Monthly saving'),
                col.percent('Break-even utilisation', 0),
                col.text('Best'),
              ],
              reserved.options.map((option) => [
                option.level * 100,
                option.discount * 100,
                usd(option.commitmentDailyMicros),
                usd(option.savingsMicros),
                usd(option.monthlySavingsMicros),
                option.breakEvenUtilization * 100,
                yesNo(best !== null && best.level === option.level && best.discount === option.discount),
              ]),
            ),
          ],
  };
}

/** Volume discounts per provider: the tier reached and how near the next one is. */
function volumeSectionOf(result: OptimizationResult): ReportSection {
  const { total } = result;
  const { volume } = result;
  return {
    title: 'Volume discounts',
    intro: 'Each provider’s monthly run-rate after switching against the volume discount tiers.',
    blocks: [
      table(
        'Volume tiers by provider',
        'The tier each provider reaches, the saving on the spend outside commitments, and the next tier.',
        [
          col.text('Provider'),
          col.money('Monthly run-rate'),
          col.text('Tier reached'),
          col.money('Saving'),
          col.text('Next tier'),
          col.money('Gap to next tier'),
          col.money('Extra saving there'),
          col.text('Near'),
        ],
        volume.map((entry) => [
          entry.provider,
          usd(entry.monthlyRunRateMicros),
          entry.reachedTier
            ? `${moneyOfUsd(entry.reachedTier.minMonthlyUsd, 0)}+ a month, ${percent(entry.reachedTier.discount * 100, 0)} off`
            : null,
          usd(entry.savingsMicros),
          entry.nextTier
            ? `${moneyOfUsd(entry.nextTier.minMonthlyUsd, 0)}+ a month, ${percent(entry.nextTier.discount * 100, 0)} off`
            : null,
          entry.nextTier ? usd(entry.nextTier.gapMicros) : null,
          entry.nextTier ? usd(entry.nextTier.extraSavingsMicros) : null,
          yesNo(entry.near),
        ]),
        {
          footer: [
            'Total',
            usd(sum(volume, (entry) => entry.monthlyRunRateMicros)),
            '',
            usd(total.volumeMicros),
            '',
            null,
            null,
            '',
          ],
        },
      ),
    ],
  };
}

/** The same model from another provider: each move with its saving. */
function arbitrageSectionOf(result: OptimizationResult): ReportSection {
  const { total } = result;
  const { arbitrage } = result;
  return {
    title: 'Provider arbitrage',
    intro:
      'The same model family offered by another provider at a lower price, for calls not already switched.',
    blocks: [
      table(
        'Cheaper providers of the same model',
        'Calls on a model of a family, their cost, the same tokens at the cheapest other provider, and the saving.',
        [
          col.text('Family'),
          col.text('From'),
          col.text('To'),
          col.number('Calls'),
          col.money('Actual cost'),
          col.money('At target prices'),
          col.money('Saving'),
        ],
        arbitrage.map((row) => [
          row.family,
          `${row.provider}/${row.model}`,
          `${row.toProvider}/${row.toModel}`,
          row.calls,
          usd(row.actualMicros),
          usd(row.targetMicros),
          usd(row.savingsMicros),
        ]),
        {
          footer:
            arbitrage.length > 0
              ? [
                  'Total',
                  '',
                  '',
                  sum(arbitrage, (row) => row.calls),
                  usd(sum(arbitrage, (row) => row.actualMicros)),
                  usd(sum(arbitrage, (row) => row.targetMicros)),
                  usd(total.arbitrageMicros),
                ]
              : undefined,
        },
      ),
    ],
  };
}

/** Percentage points of a share change (0–1 → points), for tables. */
function points(change: number): number {
  return Math.round(change * 100 * 100) / 100;
}

/** The model mix in the first and the second half of the window: chart and table. */
function modelShiftSectionOf(result: OptimizationResult, settings: ResolvedDocumentOptions): ReportSection {
  const { firstHalf, secondHalf, models } = result.modelShift;
  const title = 'Model mix over the window';
  if (firstHalf === null || secondHalf === null || models.length === 0)
    return {
      title,
      blocks: [
        {
          kind: 'text',
          paragraphs: [
            'The window is shorter than two days: there are no two halves to compare the model mix between.',
          ],
        },
      ],
    };
  const shown = models.slice(0, settings.chartTopN);
  const halfLabel = (half: typeof firstHalf): string =>
    half.from === half.to ? half.from : `${half.from} to ${half.to}`;
  const moved = models.filter((row) => row.costShareChange !== 0).length;
  return {
    title,
    intro: `Each model's share of calls and of cost in the first half of the window (${halfLabel(
      firstHalf,
    )}, ${plural(firstHalf.days, 'day')}, ${money(firstHalf.costMicros)}) and in the second (${halfLabel(
      secondHalf,
    )}, ${plural(secondHalf.days, 'day')}, ${money(secondHalf.costMicros)}): a shift shows traffic moving between models, a switch already under way or a drift to dearer ones. ${plural(
      moved,
      'model',
    )} changed share of cost.`,
    blocks: [
      categoryChart(
        'bar',
        'Share of cost by model, first half against second',
        `The ${
          models.length > shown.length ? `${count(shown.length)} models whose share moved most` : 'models'
        }: share of each half's cost, in percent.`,
        shown.map((row) => row.model),
        [
          { label: 'First half', values: shown.map((row) => percentOfShare(row.firstCostShare)) },
          { label: 'Second half', values: shown.map((row) => percentOfShare(row.secondCostShare)) },
        ],
        { xAxis: { title: 'Model' }, yAxis: { title: 'Share of cost', format: 'percent' } },
      ),
      table(
        'Model shares by half',
        'Calls and cost of each model in each half, their shares of the half and the change in percentage points, largest change of cost share first.',
        [
          col.text('Provider'),
          col.text('Model'),
          col.number('Calls, first half'),
          col.number('Calls, second half'),
          col.percent('Call share, first'),
          col.percent('Call share, second'),
          col.number('Call share change (pts)', 2),
          col.money('Cost, first half'),
          col.money('Cost, second half'),
          col.percent('Cost share, first'),
          col.percent('Cost share, second'),
          col.number('Cost share change (pts)', 2),
        ],
        models
          .slice(0, settings.topN)
          .map((row) => [
            row.provider,
            row.model,
            row.firstCalls,
            row.secondCalls,
            percentOfShare(row.firstCallShare),
            percentOfShare(row.secondCallShare),
            points(row.callShareChange),
            usd(row.firstCostMicros),
            usd(row.secondCostMicros),
            percentOfShare(row.firstCostShare),
            percentOfShare(row.secondCostShare),
            points(row.costShareChange),
          ]),
        {
          footer: [
            'All models',
            '',
            firstHalf.calls,
            secondHalf.calls,
            firstHalf.calls > 0 ? 100 : 0,
            secondHalf.calls > 0 ? 100 : 0,
            null,
            usd(firstHalf.costMicros),
            usd(secondHalf.costMicros),
            firstHalf.costMicros > 0 ? 100 : 0,
            secondHalf.costMicros > 0 ? 100 : 0,
            null,
          ],
          note: models.length > settings.topN ? shownNote(settings.topN, models.length, 'models') : undefined,
        },
      ),
    ],
  };
}

/** The "Rate Optimization" document of analysis 4. */
export function optimizationDocument(
  result: OptimizationResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { total, switches, reserved, volume, arbitrage } = result;
  const recommended = switches.filter((entry) => entry.recommended);
  const best = reserved.best;
  const reachedProviders = volume.filter((entry) => entry.reachedTier !== null).length;
  const metrics = [
    moneyCard(
      'Total potential',
      total.totalMicros,
      `${percent(percentOfShare(total.shareOfCost))} of cost, ${money(total.monthlyMicros)} a month`,
    ),
    moneyCard(
      'Model switching',
      total.switchingMicros,
      `${plural(recommended.length, 'recommended switch', 'recommended switches')}`,
    ),
    moneyCard(
      'Reserved capacity',
      total.commitmentMicros,
      best
        ? `commit ${percent(best.level * 100, 0)} of the baseline at ${percent(best.discount * 100, 0)} off`
        : 'no commitment pays off',
    ),
    moneyCard('Volume discounts', total.volumeMicros, `${plural(reachedProviders, 'provider')} reach a tier`),
    moneyCard(
      'Provider arbitrage',
      total.arbitrageMicros,
      `${plural(arbitrage.length, 'model')} cheaper elsewhere`,
    ),
    moneyCard('Monthly potential', total.monthlyMicros, 'run-rate of the total potential'),
  ];

  const levers: [string, number][] = [
    ['Model switching', total.switchingMicros],
    ['Provider arbitrage', total.arbitrageMicros],
    ['Reserved capacity', total.commitmentMicros],
    ['Volume discounts', total.volumeMicros],
  ];
  const totalSection: ReportSection = {
    title: 'Total potential',
    intro:
      'Savings in this window without double counting: switched calls are not also moved to another provider, and commitments and volume discounts apply to the spend left after switching.',
    blocks: [
      table(
        'Savings by lever',
        'What each lever saves in this window and as a monthly run-rate.',
        [col.text('Lever'), col.money('Saving in window'), col.percent('Share of potential')],
        levers.map(([label, micros]) => [
          label,
          usd(micros),
          total.totalMicros === 0 ? 0 : (micros / total.totalMicros) * 100,
        ]),
        { footer: ['Total', usd(total.totalMicros), total.totalMicros === 0 ? 0 : 100] },
      ),
      ...(total.totalMicros > 0
        ? [
            categoryChart(
              'doughnut',
              'Potential by lever',
              'Share of the total optimization potential each lever brings, in dollars.',
              levers.map(([label]) => label),
              [{ label: 'Saving', values: levers.map(([, micros]) => usd(micros)) }],
              { xAxis: { title: 'Lever' }, yAxis: { title: 'Saving', format: 'money' } },
            ),
          ]
        : []),
    ],
  };

  return standardDocument(ABOUT_OPTIMIZATION, meta, metrics, [
    totalSection,
    switchSectionOf(result, settings),
    modelShiftSectionOf(result, settings),
    reservedSectionOf(result),
    volumeSectionOf(result),
    arbitrageSectionOf(result),
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, OPTIMIZATION_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'No saving found in this window.')],
    },
  ]);
}
