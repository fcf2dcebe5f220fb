/**
 * Report documents: the data a report page shows, independent of how it is
 * rendered. An analysis builds a {@link ReportDocument} from its result; a
 * renderer turns any document into a page. Everything here is plain data
 * (JSON-serialisable), so documents can be written to disk, sent over a wire
 * or built by code that knows nothing of the analyses.
 */
import type { ReadCoverage, ReadTally, RejectionReason, WarningKind } from './quality';
import type { ExecutiveSummary } from './summary';

/** The two families of reports: FinOps domains and usage-based revenue. */
export type ReportCategory = 'finops' | 'ubr';

/** A report category with the name people read. */
export interface ReportCategoryInfo {
  id: ReportCategory;
  /** e.g. `FinOps Domain Analysis`. */
  title: string;
}

/** The report categories in the order pages and the index list them. */
export const REPORT_CATEGORIES: readonly ReportCategoryInfo[] = [
  { id: 'finops', title: 'FinOps Domain Analysis' },
  { id: 'ubr', title: 'Usage-Based Revenue Analysis' },
];

/**
 * A report as the index lists it: id (the page's file name without
 * `.html`), title and category. The list of reports comes from the analyses
 * that produced the documents (the analyzers' registry), not from here.
 */
export interface StandardReport {
  /** Stable id; also the page's file name without `.html`. */
  id: string;
  title: string;
  category: ReportCategory;
}

/** The name of a category (`finops` → `FinOps Domain Analysis`). */
export function reportCategoryTitle(category: ReportCategory): string {
  return REPORT_CATEGORIES.find((entry) => entry.id === category)?.title ?? category;
}

/** The time span a log covers, in UTC days. */
export interface ReportWindow {
  /** First UTC day, `YYYY-MM-DD`. */
  start: string;
  /** Last UTC day, `YYYY-MM-DD`. */
  end: string;
  /** Calendar days from `start` to `end`, inclusive. */
  days: number;
}

/** The data file a report was computed from. */
export interface ReportSource {
  /** The file's path as the user gave it. */
  path: string;
  /** Size in bytes, when known. */
  bytes?: number;
  /** Rows kept (analysed), when known. */
  rows?: number;
}

/** Direction of a change shown on a metric card. */
export type TrendDirection = 'up' | 'down' | 'flat';

/** Whether a change is good or bad news for the reader. */
export type TrendSentiment = 'good' | 'bad' | 'neutral';

/** A change shown under a metric card's value. */
export interface MetricTrend {
  direction: TrendDirection;
  /** e.g. `+12.4 % on the previous 7 days`. */
  text: string;
  /** Colours the trend; `neutral` when left out. */
  sentiment?: TrendSentiment;
}

/** One headline figure at the top of a report. */
export interface MetricCard {
  /** e.g. `Total cost`. */
  label: string;
  /** The figure as shown, already formatted: `$12,345.67`. */
  value: string;
  /** The figure as a number (dollars for money), for the manifest and other tools. */
  rawValue?: number;
  /** A short line under the value: `over 30 days`. */
  detail?: string;
  trend?: MetricTrend;
}

/**
 * How a table cell or chart value is formatted:
 * - `text`: shown as given;
 * - `number`: grouped digits (`12,345`), `decimals` places (0 by default);
 * - `money`: dollars as a number (`1234.5` → `$1,234.50`), 2 places by default;
 * - `percent`: a percentage in 0–100 units (`12.5` → `12.5%`), 1 place by default.
 */
export type ValueFormat = 'text' | 'number' | 'money' | 'percent';

/** Horizontal alignment of a table column. */
export type ColumnAlign = 'left' | 'right' | 'center';

/** A column of a table. */
export interface TableColumn {
  label: string;
  format: ValueFormat;
  /** Decimal places for `number`, `money` and `percent`. */
  decimals?: number;
  /** `right` for numeric formats and `left` for text when left out. */
  align?: ColumnAlign;
}

/**
 * A table cell: a number is formatted by its column's format, a string is
 * shown as given (already formatted or text), `null` is shown as a dash.
 */
export type TableCell = string | number | null;

/** A table of rows under typed columns. */
export interface TableBlock {
  kind: 'table';
  title?: string;
  /** A sentence saying what the table shows (its caption). */
  caption?: string;
  columns: TableColumn[];
  /** One array per row, one cell per column. */
  rows: TableCell[][];
  /** A closing row (totals), one cell per column. */
  footer?: TableCell[];
  /** A note under the table, e.g. `showing the top 50 of 1,000 customers`. */
  note?: string;
}

/** The kinds of chart a document can ask for. */
export type ChartKind = 'bar' | 'stacked-bar' | 'line' | 'doughnut' | 'pie' | 'scatter';

/** An axis of a chart. */
export interface ChartAxis {
  title: string;
  /** How values on this axis are formatted (ticks, tooltips and the chart's table). */
  format?: Exclude<ValueFormat, 'text'>;
  decimals?: number;
}

/** A series of a bar, stacked bar, line, doughnut or pie chart: one value per label. */
export interface ChartSeries {
  label: string;
  /** One value per entry of the chart's `labels`; `null` for a gap. */
  values: (number | null)[];
}

/** A point of a scatter chart. */
export interface ScatterPoint {
  x: number;
  y: number;
  /** What the point is, e.g. a model or a feature name. */
  label: string;
}

/** A series of a scatter chart. */
export interface ScatterSeries {
  label: string;
  points: ScatterPoint[];
}

/** Fields every chart has. */
interface ChartBlockBase {
  kind: 'chart';
  /** The chart's heading and accessible name. */
  title: string;
  /** A sentence describing what the chart shows, for screen readers and the caption. */
  description: string;
}

/** A bar, stacked bar, line, doughnut or pie chart over category labels. */
export interface CategoryChartBlock extends ChartBlockBase {
  chart: Exclude<ChartKind, 'scatter'>;
  /** Category labels (x axis, or slices of a doughnut/pie). */
  labels: string[];
  series: ChartSeries[];
  /** Axis of the categories (ignored by doughnut and pie). */
  xAxis?: ChartAxis;
  /** Axis of the values (its `format` also formats doughnut and pie values). */
  yAxis?: ChartAxis;
  /** Bars drawn horizontally (bar and stacked bar only). */
  horizontal?: boolean;
}

/** A scatter chart of labelled points. */
export interface ScatterChartBlock extends ChartBlockBase {
  chart: 'scatter';
  series: ScatterSeries[];
  xAxis: ChartAxis;
  yAxis: ChartAxis;
}

/** A chart; every chart is also shown as a table of its numbers. */
export type ChartBlock = CategoryChartBlock | ScatterChartBlock;

/** How urgent an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Alert severities from the least to the most urgent. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** Named figures behind an alert or a recommendation; numbers are shown with grouped digits. */
export type ReportFigures = Record<string, number | string>;

/** One alert. */
export interface ReportAlert {
  severity: AlertSeverity;
  /** e.g. `Customer cust_0042 is 3.2× ahead of pace`. */
  title: string;
  /** What happened and what to do. */
  text?: string;
  figures?: ReportFigures;
}

/** A list of alert boxes. */
export interface AlertsBlock {
  kind: 'alerts';
  title?: string;
  items: ReportAlert[];
  /** Shown when `items` is empty, e.g. `No customer is over budget.` */
  emptyText?: string;
}

/** A recommendation with the figures it rests on. */
export interface Recommendation {
  /** e.g. `Move qa calls on gpt-4 to gpt-4o-mini`. */
  text: string;
  figures: ReportFigures;
}

/** A numbered list of recommendations. */
export interface RecommendationsBlock {
  kind: 'recommendations';
  title?: string;
  items: Recommendation[];
  /** Shown when `items` is empty. */
  emptyText?: string;
}

/** Free paragraphs of text. */
export interface TextBlock {
  kind: 'text';
  paragraphs: string[];
}

/** Anything a section holds. */
export type ReportBlock = TableBlock | ChartBlock | AlertsBlock | RecommendationsBlock | TextBlock;

/** A titled part of a report. */
export interface ReportSection {
  title: string;
  /** A sentence under the section title. */
  intro?: string;
  blocks: ReportBlock[];
}

/** Everything one report page shows. */
export interface ReportDocument {
  /** Stable id, letters, digits, `-` and `_`; the page is `<id>.html`. */
  id: string;
  title: string;
  /** One line: what the report answers. */
  purpose: string;
  category: ReportCategory;
  /** The data window, `null` when the log held no call. */
  window: ReportWindow | null;
  source: ReportSource;
  /** The 4–6 headline figures. */
  metrics: MetricCard[];
  sections: ReportSection[];
}

/** The data file and what reading it found, as the index page and the manifest show them. */
export interface DatasetSummary {
  /** The file's path as the user gave it. */
  path: string;
  /** File size in bytes. */
  bytes: number;
  window: ReportWindow | null;
  rowsRead: number;
  rowsKept: number;
  rowsWarned: number;
  rowsRejected: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  warningsByKind: Partial<Record<WarningKind, number>>;
  /** Where the kept rows' costs come from, and what they lack (ids, latencies). */
  coverage?: ReadCoverage;
}

/** A {@link DatasetSummary} from a read's tally. */
export function datasetSummaryFromTally(
  path: string,
  bytes: number,
  tally: ReadTally,
  window: ReportWindow | null,
): DatasetSummary {
  return {
    path,
    bytes,
    window: window === null ? null : { ...window },
    rowsRead: tally.rowsRead,
    rowsKept: tally.rowsKept,
    rowsWarned: tally.rowsWarned,
    rowsRejected: tally.rowsRejected,
    rejectedByReason: { ...tally.rejectedByReason },
    warningsByKind: { ...tally.warningsByKind },
    coverage: { ...tally.coverage },
  };
}

/** A headline figure of a report in the manifest. */
export interface ManifestFigure {
  label: string;
  /** As shown on the page. */
  value: string;
  /** As a number, when the document gave one. */
  raw?: number;
}

/** A report in the manifest. */
export interface ManifestReport {
  id: string;
  title: string;
  category: ReportCategory;
  /** The page's file name, relative to the manifest. */
  filename: string;
  /** The report's one-line purpose. */
  description: string;
  headline_figures: ManifestFigure[];
}

/** A category in the manifest with its reports' ids in order. */
export interface ManifestCategory {
  id: ReportCategory;
  title: string;
  reports: string[];
}

/** The data file in the manifest. */
export interface ManifestDataFile {
  path: string;
  bytes: number;
  /** Size in megabytes (10^6 bytes), two decimals. */
  mb: number;
  rows_read: number;
  rows_kept: number;
  rows_warned: number;
  rows_rejected: number;
  rejected_by_reason: Partial<Record<RejectionReason, number>>;
  warnings_by_kind: Partial<Record<WarningKind, number>>;
  window: ReportWindow | null;
  /** Kept rows by where their cost comes from, and rows without a call id or a latency (absent in older manifests). */
  coverage?: {
    rows_reported: number;
    rows_priced: number;
    rows_unpriced: number;
    unpriced_tokens: number;
    rows_without_call_id: number;
    rows_without_latency: number;
  };
}

/** `manifest.json`: what a report folder holds, for the viewer and other tools. */
export interface ReportManifest {
  /** Version of this format; bumped on an incompatible change. */
  manifest_version: 1;
  /** ISO 8601 UTC time the reports were written. */
  generated_at: string;
  data_file: ManifestDataFile;
  reports: ManifestReport[];
  categories: ManifestCategory[];
  /** The executive summary shown at the top of the index (absent when none was given). */
  summary?: ExecutiveSummary;
}

const REPORT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const CHART_KINDS: readonly ChartKind[] = ['bar', 'stacked-bar', 'line', 'doughnut', 'pie', 'scatter'];
const VALUE_FORMATS: readonly ValueFormat[] = ['text', 'number', 'money', 'percent'];

function isFiniteOrNull(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

function checkFigures(figures: unknown, where: string, problems: string[]): void {
  if (typeof figures !== 'object' || figures === null || Array.isArray(figures)) {
    problems.push(`${where}: figures must be an object`);
    return;
  }
  for (const [name, value] of Object.entries(figures)) {
    if (typeof value === 'string') continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`${where}: figure "${name}" must be a string or a finite number`);
    }
  }
}

function checkChart(block: ChartBlock, where: string, problems: string[]): void {
  if (!CHART_KINDS.includes(block.chart))
    problems.push(`${where}: unknown chart kind "${String(block.chart)}"`);
  if (typeof block.title !== 'string' || block.title === '') problems.push(`${where}: a chart needs a title`);
  if (typeof block.description !== 'string' || block.description === '') {
    problems.push(`${where}: a chart needs a description`);
  }
  if (block.chart === 'scatter') {
    if (!block.xAxis || !block.yAxis) problems.push(`${where}: a scatter chart needs both axes`);
    block.series.forEach((series, index) => {
      series.points.forEach((point, pointIndex) => {
        if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
          problems.push(`${where} series ${index} point ${pointIndex}: x and y must be finite numbers`);
        }
      });
    });
    return;
  }
  const labelCount = block.labels.length;
  block.series.forEach((series, index) => {
    if (series.values.length !== labelCount) {
      problems.push(`${where} series ${index}: ${series.values.length} values for ${labelCount} labels`);
    }
    if (!series.values.every(isFiniteOrNull)) {
      problems.push(`${where} series ${index}: values must be finite numbers or null`);
    }
  });
}

function checkBlock(block: ReportBlock, where: string, problems: string[]): void {
  switch (block.kind) {
    case 'table': {
      const width = block.columns.length;
      block.columns.forEach((column, index) => {
        if (!VALUE_FORMATS.includes(column.format)) {
          problems.push(`${where} column ${index}: unknown format "${String(column.format)}"`);
        }
      });
      block.rows.forEach((row, index) => {
        if (row.length !== width)
          problems.push(`${where} row ${index}: ${row.length} cells for ${width} columns`);
      });
      if (block.footer && block.footer.length !== width) {
        problems.push(`${where} footer: ${block.footer.length} cells for ${width} columns`);
      }
      const badNumber = block.rows.some((row) =>
        row.some((cell) => typeof cell === 'number' && !Number.isFinite(cell)),
      );
      if (badNumber) problems.push(`${where}: numeric cells must be finite`);
      return;
    }
    case 'chart':
      checkChart(block, where, problems);
      return;
    case 'alerts':
      block.items.forEach((alert, index) => {
        if (!ALERT_SEVERITIES.includes(alert.severity)) {
          problems.push(`${where} alert ${index}: unknown severity "${String(alert.severity)}"`);
        }
        if (alert.figures !== undefined) checkFigures(alert.figures, `${where} alert ${index}`, problems);
      });
      return;
    case 'recommendations':
      block.items.forEach((item, index) => checkFigures(item.figures, `${where} item ${index}`, problems));
      return;
    case 'text':
      if (!block.paragraphs.every((paragraph) => typeof paragraph === 'string')) {
        problems.push(`${where}: paragraphs must be strings`);
      }
      return;
    default:
      problems.push(`${where}: unknown block kind "${String((block as { kind: unknown }).kind)}"`);
  }
}

/**
 * Checks a document's shape beyond what the types say (an id usable as a
 * file name, one value per chart label, one cell per column, finite numbers)
 * and returns the problems found, empty when the document is sound.
 */
export function checkReportDocument(document: ReportDocument): string[] {
  const problems: string[] = [];
  const name = `report "${String(document.id)}"`;
  if (typeof document.id !== 'string' || !REPORT_ID_PATTERN.test(document.id)) {
    problems.push(
      `${name}: the id must be 1–64 letters, digits, "-" or "_", starting with a letter or digit`,
    );
  }
  if (document.category !== 'finops' && document.category !== 'ubr') {
    problems.push(`${name}: unknown category "${String(document.category)}"`);
  }
  if (document.window !== null) {
    const { start, end, days } = document.window;
    if (!DAY_PATTERN.test(start) || !DAY_PATTERN.test(end) || !Number.isInteger(days) || days < 1) {
      problems.push(
        `${name}: the window needs start and end days (YYYY-MM-DD) and a positive number of days`,
      );
    }
  }
  document.sections.forEach((section, sectionIndex) => {
    section.blocks.forEach((block, blockIndex) => {
      checkBlock(block, `${name} section ${sectionIndex} block ${blockIndex}`, problems);
    });
  });
  return problems;
}
