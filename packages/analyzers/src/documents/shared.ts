/**
 * What every report document shares: options, the header (id, title,
 * category, window, source), formatting of headline figures, tables of
 * breakdowns with a closing "all others" row, and recommendations with their
 * figures as they read in the sentence.
 */
import {
  type AlertsBlock,
  type CategoryChartBlock,
  type DatasetSummary,
  type MetricCard,
  type Recommendation as ReportRecommendation,
  type RecommendationsBlock,
  type ReportDocument,
  type ReportFigures,
  type ReportWindow,
  type ReportSource,
  type TableBlock,
  type TableCell,
  type TableColumn,
  formatUsd,
  microsToUsd,
  usdToMicros,
} from '@finops/schema';
import type { AnalysisAbout } from '../analyses/definition';
import type { AnalysisMeta } from '../engine';
import { type Recommendation, formatFigure } from '../recommend';

/** How documents are built. */
export interface DocumentOptions {
  /**
   * Rows a long table shows (customers, alerts, spikes, switches, invoice
   * lines…); what is left out is summed into one closing row where the table
   * is a breakdown, so that the table still adds up. 20 by default.
   */
  topN?: number;
  /** Categories a bar or doughnut chart over many keys shows. 12 by default. */
  chartTopN?: number;
  /** Points a scatter chart over customers shows (the largest by cost). 100 by default. */
  maxScatterPoints?: number;
}

/** {@link DocumentOptions} with every setting filled in. */
export interface ResolvedDocumentOptions {
  topN: number;
  chartTopN: number;
  maxScatterPoints: number;
}

/** The settings used when {@link DocumentOptions} leaves them out. */
export const DEFAULT_DOCUMENT_OPTIONS: Readonly<ResolvedDocumentOptions> = Object.freeze({
  topN: 20,
  chartTopN: 12,
  maxScatterPoints: 100,
});

/** Fills in the defaults; throws a `RangeError` for a setting that is not a positive integer. */
export function resolveDocumentOptions(options: DocumentOptions = {}): ResolvedDocumentOptions {
  const resolved = { ...DEFAULT_DOCUMENT_OPTIONS };
  for (const key of Object.keys(DEFAULT_DOCUMENT_OPTIONS) as (keyof ResolvedDocumentOptions)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`document option ${key} must be a positive integer, got ${String(value)}`);
    }
    resolved[key] = value;
  }
  return resolved;
}

/** The data window of a document (UTC days), `null` when the log held no call. */
export function reportWindow(meta: AnalysisMeta): ReportWindow | null {
  const { start, end, days } = meta.window;
  if (start === null || end === null || days < 1) return null;
  return { start: start.slice(0, 10), end: end.slice(0, 10), days };
}

/**
 * The data file and data-quality figures of an analysis, as a report index
 * and manifest show them: the file's path as the user gave it and its size
 * in bytes (the bytes read when the size is not known).
 */
export function datasetSummary(
  meta: AnalysisMeta,
  path: string = meta.source,
  bytes: number = meta.bytesRead,
): DatasetSummary {
  return {
    path,
    bytes,
    window: reportWindow(meta),
    rowsRead: meta.rowsRead,
    rowsKept: meta.rowsKept,
    rowsWarned: meta.rowsWarned,
    rowsRejected: meta.rowsRejected,
    rejectedByReason: { ...meta.rejectedByReason },
    warningsByKind: { ...meta.warningsByKind },
    coverage: { ...meta.coverage },
  };
}

/** The data file of a document. */
export function reportSource(meta: AnalysisMeta): ReportSource {
  const source: ReportSource = { path: meta.source, rows: meta.rowsKept };
  if (meta.bytesRead > 0) source.bytes = meta.bytesRead;
  return source;
}

/** A document with an analysis' name (the page id), title, category and purpose, and the window and source of `meta`. */
export function standardDocument(
  about: AnalysisAbout,
  meta: AnalysisMeta,
  metrics: MetricCard[],
  sections: ReportDocument['sections'],
): ReportDocument {
  return {
    id: about.name,
    title: about.title,
    purpose: about.purpose,
    category: about.category,
    window: reportWindow(meta),
    source: reportSource(meta),
    metrics,
    sections: sections.filter((section) => section.blocks.length > 0),
  };
}

/** Micro-dollars as dollars (for money cells and chart values); never `-0`, which JSON cannot keep. */
export function usd(micros: number): number {
  return microsToUsd(micros) + 0;
}

/** Micro-dollars as people read them: `$1,234.57` (`decimals` places). */
export function money(micros: number, decimals = 2): string {
  return formatUsd(micros, { decimals });
}

/** Dollars (a result's `…Usd` figure) as people read them. */
export function moneyOfUsd(dollars: number, decimals = 2): string {
  return formatUsd(usdToMicros(dollars), { decimals });
}

/** A number with grouped digits and `decimals` places: `12,345`. */
export function count(value: number, decimals = 0): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const negative = value < 0 && Number(fixed) !== 0;
  const [whole = '0', fraction] = fixed.split('.');
  return (
    (negative ? '-' : '') + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '')
  );
}

/** A percentage in 0–100 units as people read it: `12.5%`. */
export function percent(value: number, decimals = 1): string {
  return `${count(value, decimals)}%`;
}

/** A share (0–1) in percent units (0–100), for percent cells and charts. */
export function pct(share: number): number {
  return share * 100;
}

/** `1 day` / `30 days`. */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}

/** A money metric card (dollars as the raw value). */
export function moneyCard(label: string, micros: number, detail?: string): MetricCard {
  return withDetail({ label, value: money(micros), rawValue: usd(micros) }, detail);
}

/** A count metric card. */
export function countCard(label: string, value: number, detail?: string, decimals = 0): MetricCard {
  return withDetail({ label, value: count(value, decimals), rawValue: value }, detail);
}

/** A percentage metric card (0–100 as the raw value). */
export function percentCard(label: string, value: number, detail?: string, decimals = 1): MetricCard {
  return withDetail({ label, value: percent(value, decimals), rawValue: value }, detail);
}

/** A metric card whose value is a name (a model, a feature). */
export function textCard(label: string, value: string, detail?: string): MetricCard {
  return withDetail({ label, value }, detail);
}

function withDetail(card: MetricCard, detail: string | undefined): MetricCard {
  if (detail !== undefined && detail !== '') card.detail = detail;
  return card;
}

/** Column shorthands. */
export const col = {
  text: (label: string): TableColumn => ({ label, format: 'text' }),
  number: (label: string, decimals?: number): TableColumn =>
    decimals === undefined ? { label, format: 'number' } : { label, format: 'number', decimals },
  money: (label: string, decimals?: number): TableColumn =>
    decimals === undefined ? { label, format: 'money' } : { label, format: 'money', decimals },
  percent: (label: string, decimals?: number): TableColumn =>
    decimals === undefined ? { label, format: 'percent' } : { label, format: 'percent', decimals },
};

/** Cells with `-0` written as `0` (JSON cannot keep a negative zero). */
function plainCells(row: TableCell[]): TableCell[] {
  return row.map((cell) => (typeof cell === 'number' ? cell + 0 : cell));
}

/** Builds a table block, leaving out the optional parts that are not given. */
export function table(
  title: string,
  caption: string,
  columns: TableColumn[],
  rows: TableCell[][],
  extra: { footer?: TableCell[]; note?: string } = {},
): TableBlock {
  const block: TableBlock = { kind: 'table', title, caption, columns, rows: rows.map(plainCells) };
  if (extra.footer) block.footer = plainCells(extra.footer);
  if (extra.note) block.note = extra.note;
  return block;
}

/** `showing the top 20 of 1,000 customers`, or nothing when everything is shown. */
export function shownNote(shown: number, total: number, noun: string): string | undefined {
  return shown < total ? `Showing the first ${count(shown)} of ${count(total)} ${noun}.` : undefined;
}

/**
 * The first `limit` rows, and the rest summed into one row by `sumRest`
 * (when there is a rest): a top-N view of a breakdown that still adds up.
 */
export function topWithRest<T>(
  rows: readonly T[],
  limit: number,
  toRow: (row: T) => TableCell[],
  sumRest: (rest: readonly T[]) => TableCell[],
): TableCell[][] {
  const shown = rows.slice(0, limit).map(toRow);
  const rest = rows.slice(limit);
  if (rest.length > 0) shown.push(sumRest(rest));
  return shown;
}

/** Sum of a numeric field over rows. */
export function sum<T>(rows: readonly T[], value: (row: T) => number): number {
  let total = 0;
  for (const row of rows) total += value(row);
  return total;
}

/**
 * Labels and values for a chart over many keys: the first `limit`, and the
 * rest summed as `All others` when `withRest` (for doughnuts, so that slices
 * cover the whole).
 */
export function chartTop<T>(
  rows: readonly T[],
  limit: number,
  label: (row: T) => string,
  value: (row: T) => number,
  withRest: boolean,
): { labels: string[]; values: number[] } {
  const shown = rows.slice(0, limit);
  const labels = shown.map(label);
  const values = shown.map(value);
  const rest = rows.slice(limit);
  if (withRest && rest.length > 0) {
    labels.push(`All others (${count(rest.length)})`);
    values.push(sum(rest, value));
  }
  return { labels, values };
}

/** A bar, stacked-bar, line, doughnut or pie chart with one or more series over labels. */
export function categoryChart(
  chart: CategoryChartBlock['chart'],
  title: string,
  description: string,
  labels: string[],
  series: { label: string; values: (number | null)[] }[],
  axes: Pick<CategoryChartBlock, 'xAxis' | 'yAxis' | 'horizontal'> = {},
): CategoryChartBlock {
  const plain = series.map((entry) => ({
    label: entry.label,
    values: entry.values.map((value) => (value === null ? null : value + 0)),
  }));
  return { kind: 'chart', chart, title, description, labels, series: plain, ...axes };
}

const SUFFIX_LABELS: [suffix: string, label: string][] = [
  ['Per1kMicros', ' per 1K tokens'],
  ['Micros', ''],
  ['Pct', ' %'],
  ['Ms', ' (ms)'],
];

/** A figure's name as people read it: `monthlySavingsMicros` → `Monthly savings`, `sharePct` → `Share %`. */
export function figureLabel(name: string): string {
  let base = name;
  let suffix = '';
  for (const [ending, label] of SUFFIX_LABELS) {
    if (name.endsWith(ending) && name.length > ending.length) {
      base = name.slice(0, -ending.length);
      suffix = label;
      break;
    }
  }
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1) + suffix;
}

/**
 * A result's figures as a document shows them: each under a readable name,
 * each value written exactly as the sentence writes it (money in dollars,
 * percentages with `%`), so that every figure can be found in the text.
 */
export function presentFigures(figures: Record<string, number | string>): ReportFigures {
  const shown: ReportFigures = {};
  for (const [name, value] of Object.entries(figures)) {
    let label = figureLabel(name);
    // `day` and `dayMicros` in one sentence: the money one reads as an amount.
    if (label in shown) label = name.endsWith('Micros') ? `${label} amount` : name;
    if (label in shown) label = name;
    shown[label] = formatFigure(name, value);
  }
  return shown;
}

/** A result's recommendations as document items. */
export function recommendationItems(recommendations: readonly Recommendation[]): ReportRecommendation[] {
  return recommendations.map((item) => ({ text: item.text, figures: presentFigures(item.figures) }));
}

/** A recommendations block of a result's recommendations. */
export function recommendationsBlock(
  recommendations: readonly Recommendation[],
  emptyText: string,
): RecommendationsBlock {
  return {
    kind: 'recommendations',
    title: 'Recommendations',
    items: recommendationItems(recommendations),
    emptyText,
  };
}

/** An alerts block. */
export function alertsBlock(title: string, items: AlertsBlock['items'], emptyText: string): AlertsBlock {
  return { kind: 'alerts', title, items, emptyText };
}

/** `yes` / `no` for a flag cell. */
export function yesNo(flag: boolean): string {
  return flag ? 'yes' : 'no';
}

/** The first letter in capitals: `critical` → `Critical`. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
