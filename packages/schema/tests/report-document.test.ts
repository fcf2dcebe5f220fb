import { describe, expect, it } from '@jest/globals';
import {
  checkReportDocument,
  datasetSummaryFromTally,
  emptyTally,
  REPORT_CATEGORIES,
  reportCategoryTitle,
  type ReportDocument,
} from '../src';

function document(overrides: Partial<ReportDocument> = {}): ReportDocument {
  return {
    id: 'understanding',
    title: 'Understanding Usage & Cost',
    purpose: 'Where the money goes',
    category: 'finops',
    window: { start: '2025-01-01', end: '2025-01-30', days: 30 },
    source: { path: 'calls.csv' },
    metrics: [{ label: 'Total cost', value: '$1.00', rawValue: 1 }],
    sections: [
      {
        title: 'All',
        blocks: [
          {
            kind: 'table',
            columns: [
              { label: 'Model', format: 'text' },
              { label: 'Cost', format: 'money' },
            ],
            rows: [['a', 1]],
          },
          {
            kind: 'chart',
            chart: 'bar',
            title: 'Cost',
            description: 'Cost by model',
            labels: ['a', 'b'],
            series: [{ label: 'Cost', values: [1, null] }],
          },
          {
            kind: 'chart',
            chart: 'scatter',
            title: 'Speed',
            description: 'Cost versus speed',
            series: [{ label: 'models', points: [{ x: 1, y: 2, label: 'a' }] }],
            xAxis: { title: 'Cost' },
            yAxis: { title: 'Speed' },
          },
          { kind: 'alerts', items: [{ severity: 'critical', title: 'Over budget', figures: { cost: 3 } }] },
          { kind: 'recommendations', items: [{ text: 'Switch', figures: { saving: '$1.00', calls: 2 } }] },
          { kind: 'text', paragraphs: ['Hello'] },
        ],
      },
    ],
    ...overrides,
  };
}

describe('report categories', () => {
  it('names the categories', () => {
    expect(REPORT_CATEGORIES.map((category) => category.id)).toEqual(['finops', 'ubr']);
    expect(reportCategoryTitle('ubr')).toBe('Usage-Based Revenue Analysis');
  });
});

describe('checkReportDocument', () => {
  it('accepts a sound document with every block kind', () => {
    expect(checkReportDocument(document())).toEqual([]);
    expect(checkReportDocument(document({ window: null }))).toEqual([]);
  });

  it('survives a JSON round trip unchanged', () => {
    const original = document();
    expect(JSON.parse(JSON.stringify(original))).toEqual(original);
  });

  it('reports ids that cannot be file names, unknown categories and bad windows', () => {
    expect(checkReportDocument(document({ id: '../x' }))[0]).toMatch(/id/);
    expect(checkReportDocument(document({ id: '' }))[0]).toMatch(/id/);
    expect(checkReportDocument(document({ category: 'other' as 'finops' }))[0]).toMatch(/category/);
    expect(
      checkReportDocument(document({ window: { start: '2025-1-1', end: '2025-01-30', days: 30 } }))[0],
    ).toMatch(/window/);
    expect(
      checkReportDocument(document({ window: { start: '2025-01-01', end: '2025-01-30', days: 0 } }))[0],
    ).toMatch(/window/);
  });

  it('reports blocks whose data does not fit their shape', () => {
    const problems = checkReportDocument(
      document({
        sections: [
          {
            title: 'Broken',
            blocks: [
              {
                kind: 'table',
                columns: [
                  { label: 'A', format: 'text' },
                  { label: 'B', format: 'date' as 'text' },
                ],
                rows: [['a'], ['a', Number.NaN]],
                footer: ['x'],
              },
              {
                kind: 'chart',
                chart: 'bar',
                title: '',
                description: '',
                labels: ['a'],
                series: [{ label: 's', values: [1, Infinity] }],
              },
              {
                kind: 'chart',
                chart: 'radar' as 'bar',
                title: 't',
                description: 'd',
                labels: [],
                series: [],
              },
              {
                kind: 'chart',
                chart: 'scatter',
                title: 't',
                description: 'd',
                series: [{ label: 's', points: [{ x: Number.NaN, y: 1, label: 'p' }] }],
                xAxis: { title: 'x' },
                yAxis: undefined as unknown as { title: string },
              },
              {
                kind: 'alerts',
                items: [{ severity: 'fatal' as 'info', title: 'x', figures: { a: Number.NaN } }],
              },
              {
                kind: 'recommendations',
                items: [{ text: 'x', figures: null as unknown as Record<string, number> }],
              },
              { kind: 'text', paragraphs: [3 as unknown as string] },
              { kind: 'video' } as unknown as { kind: 'text'; paragraphs: string[] },
            ],
          },
        ],
      }),
    );
    const expectations = [
      /column 1: unknown format "date"/,
      /row 0: 1 cells for 2 columns/,
      /footer: 1 cells for 2 columns/,
      /numeric cells must be finite/,
      /needs a title/,
      /needs a description/,
      /2 values for 1 labels/,
      /finite numbers or null/,
      /unknown chart kind "radar"/,
      /needs both axes/,
      /x and y must be finite/,
      /unknown severity "fatal"/,
      /figure "a" must be a string or a finite number/,
      /figures must be an object/,
      /paragraphs must be strings/,
      /unknown block kind "video"/,
    ];
    for (const expected of expectations)
      expect(problems.some((problem) => expected.test(problem))).toBe(true);
  });
});

describe('datasetSummaryFromTally', () => {
  it('copies the counts of a tally so that later reads do not change the summary', () => {
    const tally = emptyTally();
    tally.rowsRead = 10;
    tally.rowsKept = 8;
    tally.rowsRejected = 2;
    tally.rowsWarned = 1;
    tally.rejectedByReason.invalid_cost = 2;
    tally.warningsByKind.unknown_model = 1;
    tally.coverage.rowsPriced = 3;
    const window = { start: '2025-01-01', end: '2025-01-02', days: 2 };
    const summary = datasetSummaryFromTally('calls.csv', 1_234, tally, window);
    tally.rejectedByReason.invalid_cost = 5;
    tally.coverage.rowsPriced = 4;
    window.days = 9;
    expect(summary).toEqual({
      path: 'calls.csv',
      bytes: 1_234,
      window: { start: '2025-01-01', end: '2025-01-02', days: 2 },
      rowsRead: 10,
      rowsKept: 8,
      rowsWarned: 1,
      rowsRejected: 2,
      rejectedByReason: { invalid_cost: 2 },
      warningsByKind: { unknown_model: 1 },
      coverage: { ...emptyTally().coverage, rowsPriced: 3 },
    });
    expect(datasetSummaryFromTally('empty.csv', 0, emptyTally(), null).window).toBeNull();
  });
});
