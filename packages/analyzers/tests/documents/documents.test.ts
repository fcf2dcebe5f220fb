/* eslint-disable @typescript-eslint/no-non-null-assertion -- the fixture log has known shapes */
import {
  type ChartBlock,
  type MetricCard,
  type ReportBlock,
  type ReportDocument,
  type TableBlock,
  checkReportDocument,
  formatUsd,
  usdToMicros,
} from '@finops/schema';
import { ANALYSES, type AnalysisResults, analyzeCosts } from '../../src';
import {
  DEFAULT_DOCUMENT_OPTIONS,
  alignmentDocument,
  featuresDocument,
  figureLabel,
  optimizationDocument,
  performanceDocument,
  presentFigures,
  pricingDocument,
  profitabilityDocument,
  realtimeDocument,
  reportAlert,
  resolveDocumentOptions,
  standardReports,
  toReportDocument,
  toReportDocuments,
  understandingDocument,
} from '../../src/documents';
import { HOSTILE_ID, HOSTILE_ORG, documentResults } from './log';

let results: AnalysisResults;
let documents: ReportDocument[];

beforeAll(async () => {
  results = await documentResults();
  documents = toReportDocuments(results);
});

const byId = (id: string): ReportDocument => documents.find((document) => document.id === id)!;

function blocks(document: ReportDocument): ReportBlock[] {
  return document.sections.flatMap((section) => section.blocks);
}

function tableOf(document: ReportDocument, title: string): TableBlock {
  const found = blocks(document).find(
    (block): block is TableBlock => block.kind === 'table' && block.title === title,
  );
  if (!found) throw new Error(`no table "${title}" in ${document.id}`);
  return found;
}

function chartOf(document: ReportDocument, title: string): ChartBlock {
  const found = blocks(document).find(
    (block): block is ChartBlock => block.kind === 'chart' && block.title === title,
  );
  if (!found) throw new Error(`no chart "${title}" in ${document.id}`);
  return found;
}

function card(document: ReportDocument, label: string): MetricCard {
  const found = document.metrics.find((metric) => metric.label === label);
  if (!found) throw new Error(`no card "${label}" in ${document.id}`);
  return found;
}

/** Sum of a money column over the rows, in micro-dollars (each cell rounded to the micro-dollar). */
function columnMicros(block: TableBlock, column: number): number {
  return block.rows.reduce((total, row) => total + usdToMicros(row[column] as number), 0);
}

function columnIndex(block: TableBlock, label: string): number {
  const index = block.columns.findIndex((column) => column.label === label);
  if (index < 0) throw new Error(`no column "${label}" in "${block.title}"`);
  return index;
}

describe('every document', () => {
  it('is one per analysis, in order, with the standard id, title and category', () => {
    expect(documents.map((document) => document.id)).toEqual([...ANALYSES]);
    documents.forEach((document, index) => {
      const report = standardReports()[index]!;
      expect(document).toMatchObject({ id: report.id, title: report.title, category: report.category });
    });
  });

  it('passes checkReportDocument', () => {
    for (const document of documents) expect(checkReportDocument(document)).toEqual([]);
  });

  it('has a purpose, the window and source of the results, 4–6 cards and titled sections', () => {
    for (const document of documents) {
      expect(document.purpose.length).toBeGreaterThan(20);
      expect(document.window).toEqual({
        start: results.meta.window.start!.slice(0, 10),
        end: results.meta.window.end!.slice(0, 10),
        days: results.meta.window.days,
      });
      expect(document.source).toEqual({
        path: 'fixtures/calls.csv',
        bytes: results.meta.bytesRead,
        rows: results.meta.rowsKept,
      });
      expect(document.metrics.length).toBeGreaterThanOrEqual(4);
      expect(document.metrics.length).toBeLessThanOrEqual(6);
      for (const metric of document.metrics) expect(metric.value).not.toBe('');
      expect(document.sections.length).toBeGreaterThan(1);
      for (const section of document.sections) expect(section.blocks.length).toBeGreaterThan(0);
    }
  });

  it('is JSON data and the same for the same results', () => {
    const again = toReportDocuments(JSON.parse(JSON.stringify(results)) as AnalysisResults);
    expect(again).toEqual(documents);
    expect(JSON.parse(JSON.stringify(documents))).toEqual(documents);
  });

  it('carries every recommendation of the result with figures as the sentence writes them', () => {
    for (const name of ANALYSES) {
      const document = byId(name);
      const items = blocks(document).flatMap((block) =>
        block.kind === 'recommendations' ? block.items : [],
      );
      const source = results[name]!.recommendations;
      expect(items.map((item) => item.text)).toEqual(source.map((item) => item.text));
      items.forEach((item, index) => {
        const figures = Object.values(item.figures);
        expect(figures).toHaveLength(Object.keys(source[index]!.figures).length);
        // Each figure is a string found in the sentence (the flat-pricing sentence leaves out the comparison).
        const keepsFlat = name === 'pricing' && item.text.startsWith('Keep flat');
        for (const value of figures) {
          expect(typeof value).toBe('string');
          if (!keepsFlat) expect(item.text).toContain(value);
        }
        // And no number in the sentence comes from elsewhere.
        let rest = item.text;
        for (const value of figures.map(String).sort((a, b) => b.length - a.length))
          rest = rest.split(value).join(' ');
        expect(rest.replace(/[^0-9]/g, '')).toBe('');
      });
    }
  });

  it('keeps hostile strings from the log as they are', () => {
    const text = JSON.stringify(documents);
    expect(text).toContain(JSON.stringify(HOSTILE_ID).slice(1, -1));
    const understanding = byId('understanding');
    const customers = tableOf(understanding, 'Customer breakdown');
    expect(customers.rows.map((row) => row[0])).toContain(HOSTILE_ID);
    const organizations = tableOf(understanding, 'Organization breakdown');
    expect(organizations.rows.map((row) => row[0])).toContain(HOSTILE_ORG);
    const invoice = tableOf(byId('alignment'), `Invoice: ${HOSTILE_ORG}`);
    expect(invoice.caption).toContain(HOSTILE_ORG);
    const profitability = tableOf(byId('profitability'), 'Customer economics');
    expect(profitability.rows.map((row) => row[0])).toContain(HOSTILE_ID);
  });
});

describe('toReportDocument', () => {
  it('builds the same document as the analysis builder', () => {
    expect(toReportDocument('pricing', results)).toEqual(pricingDocument(results.pricing!, results.meta));
    expect(toReportDocument('understanding', results, { topN: 3 })).toEqual(
      understandingDocument(results.understanding!, results.meta, { topN: 3 }),
    );
  });

  it('says clearly which analysis is missing', async () => {
    const partial = await documentResults(['features', 'performance']);
    expect(() => toReportDocument('profitability', partial)).toThrow(
      /no "profitability" analysis \(analysed: performance, features\)/,
    );
    expect(() => toReportDocument('nothing' as never, partial)).toThrow(/unknown analysis "nothing"/);
  });

  it('returns only the selected analyses, in the order of ANALYSES', async () => {
    const partial = await documentResults(['features', 'realtime', 'understanding']);
    expect(toReportDocuments(partial).map((document) => document.id)).toEqual([
      'understanding',
      'realtime',
      'features',
    ]);
  });

  it('rejects options that are not positive integers', () => {
    expect(resolveDocumentOptions()).toEqual(DEFAULT_DOCUMENT_OPTIONS);
    expect(resolveDocumentOptions({ topN: 5 })).toEqual({ ...DEFAULT_DOCUMENT_OPTIONS, topN: 5 });
    expect(() => toReportDocument('pricing', results, { topN: 0 })).toThrow(RangeError);
    expect(() => toReportDocuments(results, { chartTopN: 2.5 })).toThrow(/chartTopN/);
  });

  it('builds sound documents from a log with no call', async () => {
    const empty = await analyzeCosts([[]], { source: 'empty.csv' });
    const pages = toReportDocuments(empty);
    expect(pages).toHaveLength(ANALYSES.length);
    for (const page of pages) {
      expect(page.window).toBeNull();
      expect(checkReportDocument(page)).toEqual([]);
    }
  });
});

describe('understanding', () => {
  it('shows the totals on its cards', () => {
    const { totals, forecast } = results.understanding!;
    const document = byId('understanding');
    expect(card(document, 'Total cost')).toMatchObject({
      value: formatUsd(totals.costMicros),
      rawValue: totals.costUsd,
    });
    expect(card(document, 'Calls').rawValue).toBe(totals.calls);
    expect(card(document, 'Tokens').rawValue).toBe(totals.totalTokens);
    expect(card(document, 'Customers').value).toBe(String(totals.customers));
    expect(card(document, '30-day forecast').rawValue).toBe(forecast.days30.expectedUsd);
  });

  it('has breakdowns whose cost column adds up to the total, all others summed in one row', () => {
    const document = understandingDocument(results.understanding!, results.meta, { topN: 4 });
    const { totals, breakdowns } = results.understanding!;
    for (const title of ['Provider', 'Model', 'Customer', 'Organization', 'Feature', 'Task type', 'Tier']) {
      const block = tableOf(document, `${title} breakdown`);
      expect(block.rows.length).toBeLessThanOrEqual(5);
      expect(columnMicros(block, 2)).toBe(totals.costMicros);
      expect(block.rows.reduce((sum, row) => sum + (row[1] as number), 0)).toBe(totals.calls);
      expect(block.footer?.[2]).toBe(totals.costUsd);
    }
    const customers = tableOf(document, 'Customer breakdown');
    expect(customers.rows[4]![0]).toBe(`All other ${breakdowns.customer.length - 4} customers`);
    expect(customers.note).toContain(`of ${breakdowns.customer.length} customers`);
  });

  it('charts the daily and cumulative cost and the forecast interval', () => {
    const { daily, forecast } = results.understanding!;
    const document = byId('understanding');
    const dailyChart = chartOf(document, 'Daily cost');
    expect(dailyChart.chart).toBe('line');
    if (dailyChart.chart === 'scatter') throw new Error('unexpected');
    expect(dailyChart.labels).toEqual(daily.map((entry) => entry.day));
    const cumulative = chartOf(document, 'Cumulative cost');
    if (cumulative.chart === 'scatter') throw new Error('unexpected');
    expect(cumulative.series[0]!.values.at(-1)).toBe(results.understanding!.totals.costUsd);
    const projections = tableOf(document, 'Projections');
    expect(projections.rows[0]!.slice(1, 4)).toEqual([
      forecast.days30.expectedUsd,
      forecast.days30.lowUsd,
      forecast.days30.highUsd,
    ]);
    const hours = chartOf(document, 'Cost by hour of day');
    if (hours.chart === 'scatter') throw new Error('unexpected');
    expect(hours.labels).toHaveLength(24);
  });
});

describe('performance', () => {
  it('shows the overall latency, SLA and best model', () => {
    const { overall, sla, rankings, byModel } = results.performance!;
    const document = byId('performance');
    expect(card(document, 'Median latency').rawValue).toBe(overall.p50Ms);
    expect(card(document, 'p95 latency').rawValue).toBe(overall.p95Ms);
    expect(card(document, 'SLA compliance').rawValue).toBeCloseTo(sla.compliance * 100, 9);
    expect(card(document, 'Best overall model').value).toBe(rankings.byComposite[0]);
    const models = tableOf(document, 'Latency and efficiency by model');
    expect(models.rows).toHaveLength(Math.min(byModel.length, DEFAULT_DOCUMENT_OPTIONS.topN));
    expect(models.rows[0]!.slice(0, 7)).toEqual([
      byModel[0]!.model,
      byModel[0]!.provider,
      byModel[0]!.calls,
      byModel[0]!.meanMs,
      byModel[0]!.p50Ms,
      byModel[0]!.p95Ms,
      byModel[0]!.p99Ms,
    ]);
  });

  it('plots cost against speed for every model and the latency histogram for every call', () => {
    const { byModel, overall } = results.performance!;
    const document = byId('performance');
    const scatter = chartOf(document, 'Cost versus speed');
    if (scatter.chart !== 'scatter') throw new Error('expected a scatter chart');
    expect(scatter.series.flatMap((series) => series.points)).toHaveLength(byModel.length);
    const histogram = chartOf(document, 'Latency distribution');
    if (histogram.chart === 'scatter') throw new Error('unexpected');
    expect(histogram.series[0]!.values.reduce<number>((sum, value) => sum + (value ?? 0), 0)).toBe(
      overall.calls,
    );
    expect(histogram.labels[0]).toBe('0–250 ms');
    const best = tableOf(document, 'Best model per task type');
    expect(best.rows).toHaveLength(results.performance!.bestByTaskType.length);
  });
});

describe('realtime', () => {
  it('shows alerts, revenue at risk and spikes on its cards', () => {
    const { alerts, portfolio, spikes } = results.realtime!;
    const document = byId('realtime');
    expect(card(document, 'Alerts').rawValue).toBe(alerts.length);
    expect(card(document, 'Revenue at risk')).toMatchObject({
      value: formatUsd(portfolio.revenueAtRiskMicros),
      rawValue: portfolio.revenueAtRiskMicros / 1e6,
    });
    expect(card(document, 'Daily spikes').rawValue).toBe(spikes.length);
    expect(spikes.length).toBeGreaterThan(0);
  });

  it('lists alerts by severity with their figures and the action', () => {
    const { alerts } = results.realtime!;
    const block = blocks(byId('realtime')).find((entry) => entry.kind === 'alerts');
    if (block?.kind !== 'alerts') throw new Error('no alerts block');
    expect(block.items).toHaveLength(Math.min(alerts.length, DEFAULT_DOCUMENT_OPTIONS.topN));
    block.items.forEach((item, index) => {
      const alert = alerts[index]!;
      expect(item.title.startsWith(alert.customer)).toBe(true);
      expect(item.text).toContain(alert.message);
      expect(item.figures).toMatchObject({ Rule: alert.rule, Risk: alert.severity, Action: alert.action });
    });
    const critical = alerts.find((alert) => alert.severity === 'critical')!;
    expect(reportAlert(critical).severity).toBe('critical');
    expect(reportAlert({ ...critical, severity: 'low', revenueAtRiskMicros: 0 })).toMatchObject({
      severity: 'info',
    });
    const byRule = tableOf(byId('realtime'), 'Alerts by rule');
    expect(byRule.footer?.at(-1)).toBe(alerts.length);
  });

  it('draws the portfolio risk doughnut from all customers', () => {
    const { portfolio } = results.realtime!;
    const doughnut = chartOf(byId('realtime'), 'Customers by risk level');
    if (doughnut.chart === 'scatter') throw new Error('unexpected');
    expect(doughnut.chart).toBe('doughnut');
    expect(doughnut.series[0]!.values.reduce<number>((sum, value) => sum + (value ?? 0), 0)).toBe(
      portfolio.customers.length,
    );
  });
});

describe('optimization', () => {
  it('shows the total potential and its levers, which add up', () => {
    const { total, matrix } = results.optimization!;
    const document = byId('optimization');
    expect(card(document, 'Total potential').value).toBe(formatUsd(total.totalMicros));
    expect(card(document, 'Model switching').rawValue).toBe(total.switchingMicros / 1e6);
    const levers = tableOf(document, 'Savings by lever');
    expect(columnMicros(levers, 1)).toBe(total.totalMicros);
    const switches = tableOf(
      optimizationDocument(results.optimization!, results.meta, { topN: 2 }),
      'Switch matrix',
    );
    expect(columnMicros(switches, 3)).toBe(results.optimization!.switchSavingsMicros);
    expect(switches.rows.length).toBe(Math.min(3, matrix.length));
  });

  it('lists every commitment option', () => {
    const { reserved } = results.optimization!;
    const options = tableOf(byId('optimization'), 'Commitment options');
    expect(options.rows).toHaveLength(reserved.options.length);
    expect(options.rows.filter((row) => row.at(-1) === 'yes')).toHaveLength(reserved.best ? 1 : 0);
  });
});

describe('alignment', () => {
  it('has invoices whose lines add up to each invoice and invoices to the grand total, to the cent', () => {
    const alignment = results.alignment!;
    const document = alignmentDocument(alignment, results.meta, { topN: 3 });
    const cents = (block: TableBlock, column: number): number =>
      block.rows.reduce((sum, row) => sum + Math.round((row[column] as number) * 100), 0);
    const summary = tableOf(document, 'Invoices');
    expect(cents(summary, 3)).toBe(alignment.grandTotalCents);
    expect(summary.footer?.[3]).toBe(alignment.grandTotalCents / 100);
    for (const invoice of alignment.invoices.slice(0, 3)) {
      const block = tableOf(document, `Invoice: ${invoice.organization}`);
      expect(cents(block, 5)).toBe(invoice.totalCents);
      expect(block.rows.reduce((sum, row) => sum + (row[2] as number), 0)).toBe(invoice.calls);
    }
    expect(card(byId('alignment'), 'Charged back').rawValue).toBe(alignment.grandTotalCents / 100);
    const organizations = tableOf(document, 'Organizations');
    expect(columnMicros(organizations, 2)).toBe(alignment.grandTotalMicros);
  });

  it('names the best and worst organizations and the gap', () => {
    const { crossTeam, showback } = results.alignment!;
    const document = byId('alignment');
    expect(card(document, 'Efficiency gap').value).toBe(formatUsd(crossTeam.gapMicros));
    expect(tableOf(document, 'Showback').rows).toHaveLength(showback.length);
  });
});

describe('profitability', () => {
  it('shows revenue, cost, margin and the unprofitable customers', () => {
    const { totals, unprofitable, customers } = results.profitability!;
    const document = byId('profitability');
    expect(card(document, 'Revenue').value).toBe(formatUsd(totals.revenueMicros));
    expect(card(document, 'Margin').rawValue).toBe(totals.marginMicros / 1e6);
    expect(card(document, 'Unprofitable customers').rawValue).toBe(unprofitable.count);
    expect(unprofitable.count).toBeGreaterThan(0);
    expect(tableOf(document, 'Worst unprofitable customers').rows[0]![0]).toBe(customers[0]!.customer);
  });

  it('has tables by tier and by customer that add up to the totals', () => {
    const { totals } = results.profitability!;
    const document = profitabilityDocument(results.profitability!, results.meta, { topN: 5 });
    const tiers = tableOf(document, 'Tiers');
    expect(tiers.rows.reduce((sum, row) => sum + (row[1] as number), 0)).toBe(totals.customers);
    expect(columnMicros(tiers, 2)).toBe(totals.revenueMicros);
    expect(columnMicros(tiers, 3)).toBe(totals.costMicros);
    const customers = tableOf(document, 'Customer economics');
    expect(customers.rows).toHaveLength(6);
    expect(columnMicros(customers, columnIndex(customers, 'Revenue'))).toBe(totals.revenueMicros);
    expect(columnMicros(customers, columnIndex(customers, 'Margin'))).toBe(totals.marginMicros);
  });

  it('draws the margin distribution over all customers', () => {
    const doughnut = chartOf(byId('profitability'), 'Customers by margin band');
    if (doughnut.chart === 'scatter') throw new Error('unexpected');
    expect(doughnut.series[0]!.values.reduce<number>((sum, value) => sum + (value ?? 0), 0)).toBe(
      results.profitability!.totals.customers,
    );
  });
});

describe('pricing', () => {
  it('compares the four models and names the recommendation', () => {
    const { models, recommended } = results.pricing!;
    const document = byId('pricing');
    const table = tableOf(document, 'Pricing models');
    expect(table.rows).toHaveLength(4);
    table.rows.forEach((row, index) => {
      expect(row[1]).toBe(models[index]!.revenueMicros / 1e6);
      expect(row[3]).toBe(models[index]!.marginMicros / 1e6);
    });
    expect(card(document, 'Recommended pricing').value).toBe(recommended ?? 'none');
    expect(card(document, 'Margin today').rawValue).toBe(models[0]!.marginMicros / 1e6);
    const segments = tableOf(document, 'Segments');
    expect(segments.rows).toHaveLength(12);
    for (const model of models) {
      const rows = segments.rows.filter((row) => row[0] === model.model);
      expect(rows.reduce((sum, row) => sum + usdToMicros(row[4] as number), 0)).toBe(model.revenueMicros);
    }
  });
});

describe('features', () => {
  it('shows per-feature economics that add up, the quadrant and the bundles', () => {
    const { features, bundles } = results.features!;
    const document = featuresDocument(results.features!, results.meta, { topN: 3 });
    const cost = features.reduce((sum, row) => sum + row.costMicros, 0);
    expect(card(document, 'Feature cost').value).toBe(formatUsd(cost));
    const table = tableOf(document, 'Per-feature economics');
    expect(columnMicros(table, 2)).toBe(results.understanding!.totals.costMicros);
    expect(columnMicros(table, 7)).toBe(results.profitability!.totals.revenueMicros);
    const scatter = chartOf(document, 'Adoption against margin');
    if (scatter.chart !== 'scatter') throw new Error('expected a scatter chart');
    for (const series of scatter.series) {
      for (const point of series.points) {
        const row = features.find((entry) => entry.feature === point.label)!;
        expect(row.quadrant).toBe(series.label);
      }
    }
    expect(tableOf(document, 'Feature pairs').rows).toHaveLength(bundles.length);
    const quadrants = tableOf(document, 'Features by quadrant');
    expect(quadrants.rows.reduce((sum, row) => sum + (row[1] as number), 0)).toBe(features.length);
  });
});

describe('figures', () => {
  it('reads figure names as words', () => {
    expect(figureLabel('monthlySavingsMicros')).toBe('Monthly savings');
    expect(figureLabel('costPer1kMicros')).toBe('Cost per 1K tokens');
    expect(figureLabel('sharePct')).toBe('Share %');
    expect(figureLabel('thresholdMs')).toBe('Threshold (ms)');
    expect(figureLabel('customer')).toBe('Customer');
  });

  it('writes figures as the sentence does and keeps names apart', () => {
    expect(
      presentFigures({ day: '2025-11-03', dayMicros: 1_500_000, marginPct: 12.34, marginMicros: -2_000_000 }),
    ).toEqual({
      Day: '2025-11-03',
      'Day amount': '$1.50',
      'Margin %': '12.3%',
      Margin: '-$2.00',
    });
  });
});

describe('the other analyses on the same results', () => {
  it('have builders that take a result and the meta', () => {
    expect(performanceDocument(results.performance!, results.meta).id).toBe('performance');
    expect(realtimeDocument(results.realtime!, results.meta, { topN: 1 }).id).toBe('realtime');
  });
});
