import {
  reportCategoryTitle,
  type AlertsBlock,
  type ChartAxis,
  type ChartBlock,
  type ColumnAlign,
  type MetricCard,
  type RecommendationsBlock,
  type ReportBlock,
  type ReportDocument,
  type ReportFigures,
  type ReportWindow,
  type TableBlock,
  type TableCell,
  type ValueFormat,
} from '@finops/schema';
import { formatFigure, formatNumber, formatValue } from './format';
import { serializeJsonForScript } from './json-script';

/** A table cell ready for a template. */
export interface CellView {
  text: string;
  align: ColumnAlign;
}

/** A table ready for a template. */
export interface TableView {
  head: CellView[];
  rows: CellView[][];
  footer: CellView[] | null;
}

/** Any block ready for a template; `partial` names the partial that renders it. */
export type BlockView = { partial: string } & Record<string, unknown>;

/** A link in the page's navigation. */
export interface NavLink {
  href: string;
  title: string;
  current: boolean;
}

const SEVERITY_LABELS = { info: 'Info', warning: 'Warning', critical: 'Critical' } as const;
const TREND_ARROWS = { up: '▲', down: '▼', flat: '▶' } as const;

function defaultAlign(format: ValueFormat): ColumnAlign {
  return format === 'text' ? 'left' : 'right';
}

/** A window as people read it: `2025-01-01 to 2025-01-30 (30 days)`. */
export function describeWindow(window: ReportWindow | null): string {
  if (window === null) return 'no calls in the log';
  const days = `${formatNumber(window.days)} ${window.days === 1 ? 'day' : 'days'}`;
  return window.start === window.end
    ? `${window.start} (${days})`
    : `${window.start} to ${window.end} (${days})`;
}

/** An ISO time as people read it: `2025-03-01 14:05 UTC`. */
export function describeTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function tableView(block: TableBlock): TableView {
  const columns = block.columns;
  const formatRow = (row: TableCell[]): CellView[] =>
    columns.map((column, index) => ({
      text: formatValue(row[index], column.format, column.decimals),
      align: column.align ?? defaultAlign(column.format),
    }));
  return {
    head: columns.map((column) => ({
      text: column.label,
      align: column.align ?? defaultAlign(column.format),
    })),
    rows: block.rows.map(formatRow),
    footer: block.footer ? formatRow(block.footer) : null,
  };
}

function axisFormat(axis: ChartAxis | undefined): { format: ValueFormat; decimals: number | undefined } {
  return { format: axis?.format ?? 'number', decimals: axis?.decimals };
}

function chartTable(block: ChartBlock): TableView {
  const right = (text: string): CellView => ({ text, align: 'right' });
  const left = (text: string): CellView => ({ text, align: 'left' });
  if (block.chart === 'scatter') {
    const x = axisFormat(block.xAxis);
    const y = axisFormat(block.yAxis);
    const withSeries = block.series.length > 1;
    const head = [
      ...(withSeries ? [left('Series')] : []),
      left('Point'),
      right(block.xAxis.title),
      right(block.yAxis.title),
    ];
    const rows = block.series.flatMap((series) =>
      series.points.map((point) => [
        ...(withSeries ? [left(series.label)] : []),
        left(point.label),
        right(formatValue(point.x, x.format, x.decimals)),
        right(formatValue(point.y, y.format, y.decimals)),
      ]),
    );
    return { head, rows, footer: null };
  }
  const y = axisFormat(block.yAxis);
  const isShare = block.chart === 'doughnut' || block.chart === 'pie';
  const onlySeries = block.series.length === 1 ? block.series[0] : undefined;
  const total =
    isShare && onlySeries ? onlySeries.values.reduce<number>((sum, value) => sum + (value ?? 0), 0) : 0;
  const head = [
    left(block.xAxis?.title ?? 'Category'),
    ...block.series.map((series) => right(series.label)),
    ...(isShare && onlySeries ? [right('Share')] : []),
  ];
  const rows = block.labels.map((label, index) => {
    const cells = [
      left(label),
      ...block.series.map((series) => right(formatValue(series.values[index], y.format, y.decimals))),
    ];
    if (isShare && onlySeries) {
      const value = onlySeries.values[index] ?? 0;
      cells.push(right(total > 0 ? formatValue((value / total) * 100, 'percent', 1) : '—'));
    }
    return cells;
  });
  return { head, rows, footer: null };
}

function chartSize(block: ChartBlock): string {
  if (block.chart === 'doughnut' || block.chart === 'pie') return 'round';
  if (block.chart !== 'scatter' && block.horizontal) {
    const count = block.labels.length;
    if (count <= 6) return 'short';
    if (count <= 12) return 'medium';
    if (count <= 20) return 'tall';
    return 'x-tall';
  }
  return 'medium';
}

/** The data the page script turns into a Chart.js chart (no functions: JSON only). */
function chartSpec(block: ChartBlock): unknown {
  if (block.chart === 'scatter') {
    return {
      kind: 'scatter',
      series: block.series.map((series) => ({ label: series.label, points: series.points })),
      x: { title: block.xAxis.title, ...axisFormat(block.xAxis) },
      y: { title: block.yAxis.title, ...axisFormat(block.yAxis) },
    };
  }
  return {
    kind: block.chart,
    labels: block.labels,
    series: block.series.map((series) => ({ label: series.label, values: series.values })),
    x: { title: block.xAxis?.title ?? '', ...axisFormat(block.xAxis) },
    y: { title: block.yAxis?.title ?? '', ...axisFormat(block.yAxis) },
    horizontal: block.horizontal === true,
  };
}

function figuresView(figures: ReportFigures | undefined): { name: string; value: string }[] {
  if (!figures) return [];
  return Object.entries(figures).map(([name, value]) => ({ name, value: formatFigure(value) }));
}

function alertsView(block: AlertsBlock): BlockView {
  return {
    partial: 'block-alerts',
    title: block.title,
    emptyText: block.emptyText ?? 'No alerts.',
    items: block.items.map((alert) => ({
      severity: alert.severity,
      severityLabel: SEVERITY_LABELS[alert.severity],
      title: alert.title,
      text: alert.text,
      figures: figuresView(alert.figures),
    })),
  };
}

function recommendationsView(block: RecommendationsBlock): BlockView {
  return {
    partial: 'block-recommendations',
    title: block.title,
    emptyText: block.emptyText ?? 'No recommendations.',
    items: block.items.map((item) => ({ text: item.text, figures: figuresView(item.figures) })),
  };
}

/** Numbers the charts of one page so that their element ids are unique and stable. */
class ChartCounter {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

function blockView(block: ReportBlock, charts: ChartCounter): BlockView {
  switch (block.kind) {
    case 'table':
      return {
        partial: 'block-table',
        title: block.title,
        caption: block.caption,
        note: block.note,
        label: block.title ?? block.caption ?? 'Table',
        table: tableView(block),
      };
    case 'chart': {
      const number = charts.take();
      return {
        partial: 'block-chart',
        id: `chart-${number}`,
        chart: block.chart,
        title: block.title,
        description: block.description,
        size: chartSize(block),
        json: serializeJsonForScript(chartSpec(block)),
        table: chartTable(block),
      };
    }
    case 'alerts':
      return alertsView(block);
    case 'recommendations':
      return recommendationsView(block);
    case 'text':
      return { partial: 'block-text', paragraphs: block.paragraphs };
  }
}

function metricView(card: MetricCard): Record<string, unknown> {
  return {
    label: card.label,
    value: card.value,
    detail: card.detail,
    trend: card.trend
      ? {
          arrow: TREND_ARROWS[card.trend.direction],
          direction: card.trend.direction,
          text: card.trend.text,
          sentiment: card.trend.sentiment ?? 'neutral',
        }
      : undefined,
  };
}

/** Where a page finds the shared assets and the index. */
export interface PageLinks {
  /** Folder of `report.css`, `report.js` and `chart.umd.js`, relative to the page. */
  assetsHref: string;
  indexHref: string;
  nav: NavLink[];
}

/** Everything the report page template shows. */
export function reportPageView(
  document: ReportDocument,
  generatedAt: string,
  links: PageLinks,
): Record<string, unknown> {
  const charts = new ChartCounter();
  const sections = document.sections.map((section, index) => ({
    id: `section-${index + 1}`,
    title: section.title,
    intro: section.intro,
    blocks: section.blocks.map((block) => blockView(block, charts)),
  }));
  const sourceParts = [document.source.path];
  if (document.source.bytes !== undefined) sourceParts.push(`${formatNumber(document.source.bytes)} bytes`);
  if (document.source.rows !== undefined) sourceParts.push(`${formatNumber(document.source.rows)} rows`);
  return {
    id: document.id,
    title: document.title,
    purpose: document.purpose,
    category: document.category,
    categoryTitle: reportCategoryTitle(document.category),
    windowText: describeWindow(document.window),
    generatedAt,
    generatedText: describeTime(generatedAt),
    sourcePath: document.source.path,
    sourceText: sourceParts.join(', '),
    metrics: document.metrics.map(metricView),
    sections,
    hasCharts: charts.take() > 1,
    assetsHref: links.assetsHref,
    indexHref: links.indexHref,
    nav: links.nav,
  };
}
