import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeCosts, datasetSummary, standardReports, toReportDocuments } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';
import {
  type ChartBlock,
  type DatasetSummary,
  type MetricCard,
  type ReportAlert,
  type ReportDocument,
  type ReportSection,
  type ReportWindow,
  type TableBlock,
  writeFileAtomic,
} from '@finops/schema';
import { ensureBenchLog, seededRandom } from '../generate';
import type { Benchmark, BenchContext, BenchFigures } from '../types';

/** Sizes of the generated report set. */
interface Shape {
  customers: number;
  days: number;
  models: number;
  features: number;
  organizations: number;
}

const DEFAULT_SHAPE: Shape = { customers: 1_000, days: 90, models: 24, features: 12, organizations: 8 };
const TIERS = [
  { name: 'starter', price: 29 },
  { name: 'pro', price: 99 },
  { name: 'enterprise', price: 299 },
] as const;
const PROVIDERS = ['openai', 'anthropic', 'google', 'bedrock', 'azure', 'mistral', 'cohere'];

const round2 = (value: number): number => Math.round(value * 100) / 100;
const money = (value: number): string =>
  `${value < 0 ? '-' : ''}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function dayLabel(start: number, offset: number): string {
  return new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Builds eight report documents of a realistic size from seeded random
 * usage: per-customer tables of every customer, daily series over the whole
 * window, per-model tables and charts, alerts and recommendations.
 */
export function generateReportSet(
  shape: Shape,
  seed = 42,
): { documents: ReportDocument[]; dataset: DatasetSummary } {
  const random = seededRandom(seed);
  const start = Date.UTC(2025, 0, 1);
  const window: ReportWindow = {
    start: dayLabel(start, 0),
    end: dayLabel(start, shape.days - 1),
    days: shape.days,
  };
  const models = Array.from({ length: shape.models }, (_, index) => ({
    name: `model-${String(index + 1).padStart(2, '0')}`,
    provider: PROVIDERS[index % PROVIDERS.length] ?? 'openai',
    costPer1k: round2(0.05 + random() * 3) / 100,
    tokensPerSecond: Math.round(20 + random() * 180),
    p95: Math.round(400 + random() * 4_000),
  }));
  const features = Array.from({ length: shape.features }, (_, index) => `feature-${index + 1}`);
  const organizations = Array.from({ length: shape.organizations }, (_, index) => `org-${index + 1}`);
  const customers = Array.from({ length: shape.customers }, (_, index) => {
    const tier = TIERS[Math.floor(random() * TIERS.length)] ?? TIERS[0];
    const calls = Math.round(20 + random() ** 2 * 840);
    const cost = round2(calls * (0.005 + random() * 0.15));
    const revenue = round2((tier.price * shape.days) / 30);
    return {
      id: `cust_${String(index + 1).padStart(5, '0')}`,
      tier: tier.name,
      calls,
      cost,
      revenue,
      margin: round2(revenue - cost),
    };
  });
  const daily = Array.from({ length: shape.days }, (_, day) => round2(800 + day * 4 + random() * 300));
  const totalCost = round2(customers.reduce((sum, customer) => sum + customer.cost, 0));
  const totalCalls = customers.reduce((sum, customer) => sum + customer.calls, 0);
  const source = { path: 'finops-data/calls.csv', bytes: 52_428_800, rows: totalCalls };

  const customerTable: TableBlock = {
    kind: 'table',
    title: 'Customers',
    caption: `All ${customers.length} customers by margin`,
    columns: [
      { label: 'Customer', format: 'text' },
      { label: 'Tier', format: 'text' },
      { label: 'Calls', format: 'number' },
      { label: 'Revenue', format: 'money' },
      { label: 'AI cost', format: 'money' },
      { label: 'Margin', format: 'money' },
      { label: 'Margin %', format: 'percent' },
    ],
    rows: customers.map((c) => [
      c.id,
      c.tier,
      c.calls,
      c.revenue,
      c.cost,
      c.margin,
      round2((c.margin / c.revenue) * 100),
    ]),
  };
  const dailyChart: ChartBlock = {
    kind: 'chart',
    chart: 'line',
    title: 'Daily cost',
    description: `AI cost per UTC day over ${shape.days} days`,
    labels: daily.map((_, day) => dayLabel(start, day)),
    series: [{ label: 'Cost', values: daily }],
    xAxis: { title: 'Day' },
    yAxis: { title: 'Cost', format: 'money' },
  };
  const modelChart: ChartBlock = {
    kind: 'chart',
    chart: 'bar',
    horizontal: true,
    title: 'Cost per 1K tokens by model',
    description: `Price per thousand tokens of each of the ${models.length} models`,
    labels: models.map((model) => model.name),
    series: [{ label: 'Cost per 1K tokens', values: models.map((model) => model.costPer1k) }],
    yAxis: { title: 'Dollars', format: 'money', decimals: 4 },
  };
  const speedScatter: ChartBlock = {
    kind: 'chart',
    chart: 'scatter',
    title: 'Cost versus speed',
    description: 'Each model by cost per 1K tokens and output tokens per second',
    series: PROVIDERS.map((provider) => ({
      label: provider,
      points: models
        .filter((model) => model.provider === provider)
        .map((model) => ({ x: model.costPer1k, y: model.tokensPerSecond, label: model.name })),
    })),
    xAxis: { title: 'Cost per 1K tokens', format: 'money', decimals: 4 },
    yAxis: { title: 'Tokens per second', format: 'number' },
  };
  const tierChart: ChartBlock = {
    kind: 'chart',
    chart: 'stacked-bar',
    title: 'Revenue and cost by tier',
    description: 'Revenue and AI cost of each subscription tier',
    labels: TIERS.map((tier) => tier.name),
    series: ['revenue', 'cost'].map((field) => ({
      label: field === 'revenue' ? 'Revenue' : 'AI cost',
      values: TIERS.map((tier) =>
        round2(
          customers
            .filter((customer) => customer.tier === tier.name)
            .reduce((sum, customer) => sum + (field === 'revenue' ? customer.revenue : customer.cost), 0),
        ),
      ),
    })),
    yAxis: { title: 'Dollars', format: 'money' },
  };
  const providerShare: ChartBlock = {
    kind: 'chart',
    chart: 'doughnut',
    title: 'Cost by provider',
    description: 'Share of AI cost by provider',
    labels: PROVIDERS,
    series: [{ label: 'Cost', values: PROVIDERS.map(() => round2(random() * totalCost * 0.3)) }],
    yAxis: { title: 'Cost', format: 'money' },
  };
  const alerts: ReportAlert[] = customers
    .filter((customer) => customer.margin < 0)
    .map((customer) => ({
      severity: customer.margin < -customer.revenue ? 'critical' : 'warning',
      title: `${customer.id} costs more than it pays`,
      text: `AI cost ${money(customer.cost)} against revenue ${money(customer.revenue)} in the window.`,
      figures: { calls: customer.calls, cost: money(customer.cost), revenue: money(customer.revenue) },
    }));
  const recommendations = models.slice(0, 12).map((model, index) => {
    const target = models[(index + 5) % models.length] ?? model;
    const saving = round2(Math.abs(model.costPer1k - target.costPer1k) * 1_000 * (10 + index));
    return {
      text: `Move ${features[index % features.length]} calls on ${model.name} to ${target.name}`,
      figures: {
        calls: 1_000 + index * 37,
        'saving in window': money(saving),
        'saving a month': money(round2((saving * 30) / shape.days)),
      },
    };
  });
  const orgTable: TableBlock = {
    kind: 'table',
    title: 'Chargeback line items',
    columns: [
      { label: 'Organization', format: 'text' },
      { label: 'Feature', format: 'text' },
      { label: 'Calls', format: 'number' },
      { label: 'Cost', format: 'money' },
    ],
    rows: organizations.flatMap((organization) =>
      features.map((feature) => [
        organization,
        feature,
        Math.round(random() * 50_000),
        round2(random() * 4_000),
      ]),
    ),
  };
  const metrics: MetricCard[] = [
    { label: 'Total cost', value: money(totalCost), rawValue: totalCost, detail: `over ${shape.days} days` },
    { label: 'Calls', value: totalCalls.toLocaleString('en-US'), rawValue: totalCalls },
    { label: 'Customers', value: customers.length.toLocaleString('en-US'), rawValue: customers.length },
    {
      label: 'Daily burn',
      value: money(round2(totalCost / shape.days)),
      rawValue: round2(totalCost / shape.days),
    },
    { label: 'Models', value: String(models.length), rawValue: models.length },
  ];
  const sectionsFor = (index: number): ReportSection[] => {
    const charts = [dailyChart, modelChart, speedScatter, tierChart, providerShare];
    return [
      {
        title: 'Overview',
        intro: 'Figures of the whole window.',
        blocks: [charts[index % 5] as ChartBlock, charts[(index + 1) % 5] as ChartBlock],
      },
      {
        title: 'Details',
        blocks: [index % 2 === 0 ? customerTable : orgTable, charts[(index + 2) % 5] as ChartBlock],
      },
      {
        title: 'Actions',
        blocks: [
          { kind: 'alerts', title: 'Alerts', items: alerts },
          { kind: 'recommendations', title: 'Recommendations', items: recommendations },
          {
            kind: 'text',
            paragraphs: [`${alerts.length} of ${customers.length} customers cost more than they pay.`],
          },
        ],
      },
    ];
  };
  const documents = standardReports().map((report, index) => ({
    id: report.id,
    title: report.title,
    purpose: `${report.title} over ${shape.days} days of AI calls.`,
    category: report.category,
    window,
    source,
    metrics,
    sections: sectionsFor(index),
  }));
  const dataset: DatasetSummary = {
    path: source.path,
    bytes: source.bytes,
    window,
    rowsRead: totalCalls + 12,
    rowsKept: totalCalls,
    rowsWarned: 40,
    rowsRejected: 12,
    rejectedByReason: { invalid_cost: 7, missing_field: 5 },
    warningsByKind: { unknown_model: 40 },
  };
  return { documents, dataset };
}

function shapeFrom(context: BenchContext): Shape {
  const number = (key: keyof Shape): number => {
    const text = context.args[key];
    return text === undefined
      ? DEFAULT_SHAPE[key]
      : Math.max(1, Number.parseInt(text, 10) || DEFAULT_SHAPE[key]);
  };
  return {
    customers: number('customers'),
    days: number('days'),
    models: number('models'),
    features: number('features'),
    organizations: number('organizations'),
  };
}

function inputPath(context: BenchContext, shape: Shape): string {
  return join(context.dataDir, `render-documents-${shape.customers}c-${shape.days}d-${shape.models}m.json`);
}

/** Renders a saved set of documents into a fresh folder and measures it. */
async function renderFrom(inputFile: string, runContext: BenchContext): Promise<BenchFigures> {
  const { documents, dataset } = JSON.parse(await readFile(inputFile, 'utf8')) as ReturnType<
    typeof generateReportSet
  >;
  const outDir = join(runContext.dataDir, 'render-output');
  await rm(outDir, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const files = await renderReports(documents, { outDir, dataset });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const sizes = await Promise.all(files.map((file) => stat(file).then((info) => info.size)));
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  const rows = documents.reduce(
    (sum, document) =>
      sum +
      document.sections.reduce(
        (inner, section) =>
          inner +
          section.blocks.reduce(
            (count, block) => count + (block.kind === 'table' ? block.rows.length : 0),
            0,
          ),
        0,
      ),
    0,
  );
  return {
    wallMs,
    bytes,
    rows,
    extra: { files: files.length, 'output MB': round2(bytes / 1e6), 'table rows': rows },
  };
}

const render: Benchmark = {
  name: 'render',
  description:
    'Renders the eight report pages, the index and manifest.json (renderReports) into a fresh folder.',
  cases(context) {
    const shape = shapeFrom(context);
    return [
      {
        label: `all 8 pages + index + manifest; generated documents: ${shape.customers} customers in tables, ${shape.days}-day series, ${shape.models} models`,
        async prepare(prepareContext) {
          const path = inputPath(prepareContext, shape);
          await mkdir(prepareContext.dataDir, { recursive: true });
          const present = await stat(path).then(
            () => true,
            () => false,
          );
          if (present) return;
          prepareContext.log(`generating report documents into ${path}`);
          await writeFileAtomic(path, JSON.stringify(generateReportSet(shape)));
        },
        run: (runContext) => renderFrom(inputPath(runContext, shape), runContext),
      },
      {
        label:
          'all 8 pages + index + manifest from the results of a 50 MB log (analyzeCosts → toReportDocuments)',
        async prepare(prepareContext) {
          const path = join(prepareContext.dataDir, 'render-documents-from-50mb-log.json');
          const present = await stat(path).then(
            () => true,
            () => false,
          );
          if (present) return;
          const log = join(prepareContext.dataDir, 'read-50mb.csv');
          prepareContext.log(`analysing ${log} for the documents`);
          await ensureBenchLog(log, { bytes: 50 * 1024 * 1024 });
          const results = await analyzeCosts(log);
          const dataset = datasetSummary(results.meta, log);
          await writeFileAtomic(path, JSON.stringify({ documents: toReportDocuments(results), dataset }));
        },
        run: (runContext) =>
          renderFrom(join(runContext.dataDir, 'render-documents-from-50mb-log.json'), runContext),
      },
    ];
  },
};

export default render;
