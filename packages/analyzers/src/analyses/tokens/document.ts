import type { ReportBlock, ReportDocument, ReportSection, TableCell } from '@finops/schema';
import type { AnalysisMeta } from '../../engine';
import { bucketedRowsNote } from '../../documents/limits';
import {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  categoryChart,
  col,
  count,
  countCard,
  money,
  moneyCard,
  percentOfShare,
  percent,
  percentCard,
  recommendationsBlock,
  resolveDocumentOptions,
  shownNote,
  standardDocument,
  table,
  usd,
} from '../../documents/shared';
import { ABOUT_TOKENS } from './about';
import type { RatioDistribution, TokensResult, WasteRule } from './finish';

/** What the tokens analysis cannot compute from bucketed rows (stated on the page and in the docs). */
export const TOKENS_BUCKETED_LIMITS = [
  "the input/output ratio of single calls: a row is placed by its calls' mean tokens, so all its calls share one ratio bin and one verdict of each waste rule",
];

const RULE_TITLES: Record<WasteRule, string> = {
  oversized_prompt: 'Oversized prompt',
  long_input_tiny_output: 'Long input, tiny output',
  premium_on_simple_task: 'Premium model on a simple task',
};

function ratioText(value: number): string {
  return value >= 100 ? count(value) : value >= 1 ? count(value, 1) : count(value, 3);
}

const distributionColumns = [
  col.number('Calls'),
  col.number('Σ input / Σ output', 2),
  col.number('p25 ratio', 3),
  col.number('Median ratio', 3),
  col.number('p90 ratio', 3),
  col.number('Input-heavy'),
  col.number('Balanced'),
  col.number('Output-heavy'),
];

function distributionCells(entry: RatioDistribution): TableCell[] {
  return [
    entry.calls,
    entry.ratio,
    entry.p25,
    entry.p50,
    entry.p90,
    entry.inputHeavy,
    entry.balanced,
    entry.outputHeavy,
  ];
}

/** The kinds of calls by model as a chart, and the ratio quantiles of all calls and of each model as a table. */
function ratioBlocks(result: TokensResult, options: ResolvedDocumentOptions): ReportBlock[] {
  const { overall, thresholds } = result;
  if (overall.calls === 0) return [];
  const models = result.byModel.slice(0, options.chartTopN);
  return [
    categoryChart(
      'stacked-bar',
      'Input-heavy, balanced and output-heavy calls by model',
      `Calls of each of the ${count(models.length)} busiest models by their input/output ratio: input-heavy at ${ratioText(thresholds.inputHeavyRatio)} or more input tokens per output token, output-heavy at ${ratioText(thresholds.outputHeavyRatio)} or fewer.`,
      models.map((entry) => `${entry.provider}/${entry.model}`),
      [
        { label: 'Input-heavy', values: models.map((entry) => entry.inputHeavy) },
        { label: 'Balanced', values: models.map((entry) => entry.balanced) },
        { label: 'Output-heavy', values: models.map((entry) => entry.outputHeavy) },
      ],
      { xAxis: { title: 'Model' }, yAxis: { title: 'Calls', format: 'number' }, horizontal: true },
    ),
    table(
      'Input/output ratio, all calls and by model',
      `Quantiles of the calls' input/output ratios (the lower edge of the bin of 2^¼ holding the call at that rank) and the calls of each kind.`,
      [col.text('Model'), ...distributionColumns],
      result.byModel
        .slice(0, options.topN)
        .map((entry) => [`${entry.provider}/${entry.model}`, ...distributionCells(entry)]),
      {
        footer: ['All calls', ...distributionCells(overall)],
        note: shownNote(Math.min(options.topN, result.byModel.length), result.byModel.length, 'models'),
      },
    ),
  ];
}

function groupTable(
  title: string,
  label: string,
  rows: { name: string; entry: RatioDistribution }[],
  options: ResolvedDocumentOptions,
): ReportBlock[] {
  if (rows.length === 0) return [];
  return [
    table(
      title,
      `Input/output ratio quantiles and the calls of each kind by ${label.toLowerCase()}, busiest first.`,
      [col.text(label), ...distributionColumns],
      rows.slice(0, options.topN).map((row) => [row.name, ...distributionCells(row.entry)]),
      { note: shownNote(Math.min(options.topN, rows.length), rows.length, `${label.toLowerCase()}s`) },
    ),
  ];
}

function wasteBlocks(result: TokensResult, options: ResolvedDocumentOptions): ReportBlock[] {
  const blocks: ReportBlock[] = [
    categoryChart(
      'bar',
      'Cost and saving by waste rule',
      'What the calls meeting each rule cost, and what the fix of that rule would have saved over the window, in dollars.',
      result.wasteByRule.map((entry) => RULE_TITLES[entry.rule]),
      [
        { label: 'Cost', values: result.wasteByRule.map((entry) => usd(entry.costMicros)) },
        { label: 'Saving', values: result.wasteByRule.map((entry) => usd(entry.savingMicros)) },
      ],
      { xAxis: { title: 'Rule' }, yAxis: { title: 'Dollars', format: 'money' } },
    ),
    table(
      'Waste by rule',
      'Calls meeting each rule, their cost and the saving of its fix (a call may meet two rules: the rows are not to be added).',
      [col.text('Rule'), col.number('Calls'), col.money('Cost'), col.money('Saving')],
      result.wasteByRule.map((entry) => [
        RULE_TITLES[entry.rule],
        entry.calls,
        usd(entry.costMicros),
        usd(entry.savingMicros),
      ]),
    ),
  ];
  if (result.waste.length > 0)
    blocks.push(
      table(
        'Where tokens are wasted',
        'Each model and task type meeting a rule: the calls, their cost, the saving of the fix, and the fix.',
        [
          col.text('Rule'),
          col.text('Model'),
          col.text('Task type'),
          col.number('Calls'),
          col.money('Cost'),
          col.money('Saving'),
          col.text('Fix'),
        ],
        result.waste
          .slice(0, options.topN)
          .map((entry) => [
            RULE_TITLES[entry.rule],
            `${entry.provider}/${entry.model}`,
            entry.taskType,
            entry.calls,
            usd(entry.costMicros),
            usd(entry.savingMicros),
            entry.fix,
          ]),
        { note: shownNote(Math.min(options.topN, result.waste.length), result.waste.length, 'entries') },
      ),
    );
  return blocks;
}

function spreadBlocks(result: TokensResult, options: ResolvedDocumentOptions): ReportBlock[] {
  if (result.costSpread.length === 0) return [];
  return [
    table(
      'Cost per 1K tokens across models, by task type',
      'For each task type done by two models or more (each with enough calls): the cheapest and the dearest cost per thousand tokens and their ratio.',
      [
        col.text('Task type'),
        col.number('Models'),
        col.text('Cheapest'),
        col.money('Its cost per 1K tokens', 4),
        col.text('Dearest'),
        col.money('Its cost per 1K tokens ', 4),
        col.number('Spread (×)', 2),
      ],
      result.costSpread.slice(0, options.topN).map((entry) => {
        // A spread entry has two models or more.
        const cheapest = entry.models[0] as (typeof entry.models)[number];
        const dearest = entry.models[entry.models.length - 1] as (typeof entry.models)[number];
        return [
          entry.taskType,
          entry.models.length,
          `${cheapest.provider}/${cheapest.model}`,
          usd(cheapest.costPer1kTokensMicros),
          `${dearest.provider}/${dearest.model}`,
          usd(dearest.costPer1kTokensMicros),
          entry.spread,
        ];
      }),
    ),
  ];
}

/** The "Token Economics" document. */
export function tokensDocument(
  result: TokensResult,
  meta: AnalysisMeta,
  options: DocumentOptions = {},
): ReportDocument {
  const settings = resolveDocumentOptions(options);
  const { overall } = result;
  const saving = Math.max(0, ...result.wasteByRule.map((entry) => entry.savingMicros));
  const metrics = [
    countCard('Input per output token', overall.ratio, `median call ${ratioText(overall.p50)}`, 2),
    percentCard(
      'Input-heavy calls',
      percentOfShare(overall.calls === 0 ? 0 : overall.inputHeavy / overall.calls),
      `${count(overall.inputHeavy)} of ${count(overall.calls)} calls`,
    ),
    moneyCard('Largest waste saving', saving, 'the best single rule’s fix over the window'),
    percentCard(
      'Prompt-cache hit share',
      percentOfShare(result.cache.hitShare),
      `saved ${money(result.cache.savedMicros)}`,
    ),
    percentCard(
      'Reasoning share of output',
      percentOfShare(result.reasoning.share),
      `${count(result.reasoning.reasoningTokens)} reasoning tokens`,
    ),
  ];
  const sections: ReportSection[] = [
    {
      title: 'Input/output ratio',
      intro: `Input tokens per output token, call by call: ${percent(percentOfShare(overall.calls === 0 ? 0 : overall.inputHeavy / overall.calls))} of calls are input-heavy, ${percent(percentOfShare(overall.calls === 0 ? 0 : overall.outputHeavy / overall.calls))} output-heavy.`,
      blocks: ratioBlocks(result, settings),
    },
    {
      title: 'By feature and by customer',
      blocks: [
        ...groupTable(
          'Input/output ratio by feature',
          'Feature',
          result.byFeature.map((entry) => ({ name: entry.feature, entry })),
          settings,
        ),
        ...groupTable(
          'Input/output ratio by customer',
          'Customer',
          result.byCustomer.map((entry) => ({ name: entry.customer, entry })),
          settings,
        ),
      ],
    },
    {
      title: 'Wasted tokens',
      intro: 'Three stated rules; each names its fix and what the fix would have saved.',
      blocks: wasteBlocks(result, settings),
    },
    {
      title: 'Prompt cache and reasoning',
      blocks: [
        table(
          'Prompt cache and reasoning',
          'Cached input tokens and what the cache saved at the catalog’s cache-read discount; reasoning tokens and their cost.',
          [col.text('Figure'), col.text('Value')],
          [
            ['Cached input tokens', count(result.cache.cachedInputTokens)],
            ['Cache hit share of input', percent(percentOfShare(result.cache.hitShare))],
            ['Saved by the cache', money(result.cache.savedMicros)],
            ['Reasoning tokens', count(result.reasoning.reasoningTokens)],
            ['Reasoning share of output', percent(percentOfShare(result.reasoning.share))],
            ['Cost of reasoning', money(result.reasoning.costMicros)],
          ],
        ),
      ],
    },
    { title: 'Cost per token across models', blocks: spreadBlocks(result, settings) },
    { title: 'Limits of the data', blocks: bucketedRowsNote(meta, TOKENS_BUCKETED_LIMITS) },
    {
      title: 'Recommendations',
      blocks: [recommendationsBlock(result.recommendations, 'No call meets a waste rule with a saving.')],
    },
  ];
  return standardDocument(ABOUT_TOKENS, meta, metrics, sections);
}
