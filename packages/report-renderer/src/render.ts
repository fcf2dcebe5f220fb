import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  checkReportDocument,
  isExecutiveSummary,
  mergeSummaries,
  REPORT_CATEGORIES,
  writeFileAtomic,
  type DatasetSummary,
  type ExecutiveSummary,
  type ManifestReport,
  type SummaryAction,
  type ManifestDataFile,
  type ReportDocument,
  type ReportManifest,
} from '@finops/schema';
import { REPORT_CSS } from './assets/report-css';
import { REPORT_JS } from './assets/report-js';
import { chartJsBundlePath } from './chart-asset';
import { bytesToMb, formatBytes, formatNumber, formatValue } from './format';
import { templates } from './handlebars-env';
import {
  describeTime,
  describeWindow,
  reportPageView,
  type CellView,
  type NavLink,
  type TableView,
} from './view-model';

/** Folder of the shared assets inside the output folder. */
export const ASSETS_FOLDER = 'assets';
/** File names of the shared assets inside {@link ASSETS_FOLDER}. */
export const ASSET_FILES = { css: 'report.css', script: 'report.js', chartJs: 'chart.umd.js' } as const;
/** File name of the index page. */
export const INDEX_FILENAME = 'index.html';
/** File name of the manifest. */
export const MANIFEST_FILENAME = 'manifest.json';

/** How many headline figures each report shows on the index. */
const INDEX_FIGURES_PER_REPORT = 4;

/** A report in the navigation of a page. */
export interface NavigationEntry {
  id: string;
  title: string;
}

/** Options of {@link renderReportPage}. */
export interface ReportPageOptions {
  /** Generation time shown on the page; now when left out. */
  generatedAt?: Date | string;
  /** Folder of the shared assets, relative to the page; `assets` by default. */
  assetsHref?: string;
  /** Link to the index; `index.html` by default. */
  indexHref?: string;
  /** Reports listed in the page's navigation (links to `<id>.html`); the page's own report when left out. */
  navigation?: readonly NavigationEntry[];
}

/** Options of {@link renderIndexPage}. */
export interface IndexPageOptions {
  /** Folder of the shared assets, relative to the index; `assets` by default. */
  assetsHref?: string;
  /** Link to the manifest; `manifest.json` by default. */
  manifestHref?: string;
  /** Heading of the index; `AI usage reports` by default. */
  title?: string;
}

/** Options of {@link renderReports}. */
export interface RenderReportsOptions {
  /** Output folder; created when missing. */
  outDir: string;
  /** The data file and the data-quality figures shown on the index and written to the manifest. */
  dataset: DatasetSummary;
  /** Generation time written to pages and manifest; now when left out (fix it for reproducible output). */
  generatedAt?: Date | string;
  /** Heading of the index. */
  title?: string;
  /** The executive summary shown at the top of the index and written to the manifest. */
  summary?: ExecutiveSummary;
  /**
   * Keep the reports of an earlier run in `outDir` that these documents do
   * not replace, when that run read the same data file (by path) and their
   * pages are still there: the index, the navigation and the manifest list
   * them beside the new ones, in the earlier order, and the summary ranks
   * their candidate actions with the new ones. Off by default: the folder
   * then lists only these documents.
   */
  keepReports?: boolean;
}

/** The time as an ISO 8601 UTC string to the second. */
export function normalizeGeneratedAt(value: Date | string | undefined): string {
  const date = value === undefined ? new Date() : typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid generation time: ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The file name of a report's page: `<id>.html`. */
export function reportFilename(id: string): string {
  return `${id}.html`;
}

function assertRenderable(document: ReportDocument): void {
  const problems = checkReportDocument(document);
  if (problems.length > 0)
    throw new Error(`cannot render report "${document.id}":\n  ${problems.join('\n  ')}`);
}

/**
 * Renders one report document as a complete HTML page. The page links the
 * shared assets (`report.css`, `report.js`, `chart.umd.js`) from
 * `assetsHref`; it holds no inline script or style, so it runs under a
 * Content-Security-Policy of `default-src 'self'`.
 */
export function renderReportPage(document: ReportDocument, options: ReportPageOptions = {}): string {
  assertRenderable(document);
  const navigation = options.navigation ?? [{ id: document.id, title: document.title }];
  const nav: NavLink[] = navigation.map((entry) => ({
    href: reportFilename(entry.id),
    title: entry.title,
    current: entry.id === document.id,
  }));
  const view = reportPageView(document, normalizeGeneratedAt(options.generatedAt), {
    assetsHref: options.assetsHref ?? ASSETS_FOLDER,
    indexHref: options.indexHref ?? INDEX_FILENAME,
    nav,
  });
  return templates().reportPage(view);
}

/** Orders documents by category (FinOps first), keeping their order within a category. */
function byCategory(documents: readonly ReportDocument[]): ReportDocument[] {
  return REPORT_CATEGORIES.flatMap((category) =>
    documents.filter((document) => document.category === category.id),
  );
}

/**
 * The manifest of a set of reports: generation time, the data file with its
 * row counts and window, each report with its file name and headline
 * figures, and the categories with their reports.
 */
export function buildReportManifest(
  documents: readonly ReportDocument[],
  dataset: DatasetSummary,
  generatedAt?: Date | string,
  summary?: ExecutiveSummary,
): ReportManifest {
  const ordered = byCategory(documents);
  const manifest: ReportManifest = {
    manifest_version: 1,
    generated_at: normalizeGeneratedAt(generatedAt),
    data_file: {
      path: dataset.path,
      bytes: dataset.bytes,
      mb: bytesToMb(dataset.bytes),
      rows_read: dataset.rowsRead,
      rows_kept: dataset.rowsKept,
      rows_warned: dataset.rowsWarned,
      rows_rejected: dataset.rowsRejected,
      rejected_by_reason: sortedCounts(dataset.rejectedByReason),
      warnings_by_kind: sortedCounts(dataset.warningsByKind),
      window: dataset.window === null ? null : { ...dataset.window },
      ...(dataset.coverage === undefined ? {} : { coverage: manifestCoverage(dataset.coverage) }),
    },
    reports: ordered.map((document) => ({
      id: document.id,
      title: document.title,
      category: document.category,
      filename: reportFilename(document.id),
      description: document.purpose,
      headline_figures: document.metrics.map((metric) =>
        metric.rawValue === undefined
          ? { label: metric.label, value: metric.value }
          : { label: metric.label, value: metric.value, raw: metric.rawValue },
      ),
    })),
    categories: REPORT_CATEGORIES.map((category) => ({
      id: category.id,
      title: category.title,
      reports: ordered.filter((document) => document.category === category.id).map((document) => document.id),
    })),
  };
  if (summary !== undefined) manifest.summary = linkedSummary(summary, documents);
  return manifest;
}

/** The link to the page of an analysis and, when the page has a section of that title, to the section. */
function actionHref(action: SummaryAction, documents: readonly ReportDocument[]): string | undefined {
  const document = documents.find((entry) => entry.id === action.analysis);
  if (document === undefined) return action.href;
  const section = document.sections.findIndex((entry) => entry.title === action.section);
  // The page gives its sections the ids section-1, section-2, … (see the view model).
  return section < 0 ? reportFilename(document.id) : `${reportFilename(document.id)}#section-${section + 1}`;
}

/** A summary whose actions link the page and section that show their figures. */
function linkedSummary(summary: ExecutiveSummary, documents: readonly ReportDocument[]): ExecutiveSummary {
  const link = (action: SummaryAction): SummaryAction => {
    const href = actionHref(action, documents);
    return href === undefined ? action : { ...action, href };
  };
  return { ...summary, actions: summary.actions.map(link), candidates: summary.candidates.map(link) };
}

/**
 * The manifest of an earlier run in `outDir`, when it can be read and was
 * made from the same data file; undefined otherwise.
 */
async function earlierManifest(outDir: string, dataset: DatasetSummary): Promise<ReportManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, MANIFEST_FILENAME), 'utf8')) as ReportManifest;
    if (manifest?.manifest_version !== 1 || !Array.isArray(manifest.reports)) return undefined;
    return manifest.data_file?.path === dataset.path ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A manifest with the reports of an earlier one that it does not replace and
 * whose pages are still in `outDir`, in the earlier order (new reports after
 * those of their category), and the summary ranked again over both.
 */
async function keepEarlierReports(
  manifest: ReportManifest,
  earlier: ReportManifest,
  outDir: string,
): Promise<ReportManifest> {
  const fresh = new Set(manifest.reports.map((report) => report.id));
  const kept: ManifestReport[] = [];
  for (const report of earlier.reports) {
    if (fresh.has(report.id)) continue;
    const present = await access(join(outDir, report.filename)).then(
      () => true,
      () => false,
    );
    if (present) kept.push(report);
  }
  if (kept.length === 0) return manifest;
  const byId = new Map([...kept, ...manifest.reports].map((report) => [report.id, report]));
  const earlierOrder = earlier.reports.map((report) => report.id).filter((id) => byId.has(id));
  const order = [
    ...earlierOrder,
    ...manifest.reports.map((report) => report.id).filter((id) => !earlierOrder.includes(id)),
  ];
  const reports = REPORT_CATEGORIES.flatMap((category) =>
    order.map((id) => byId.get(id) as ManifestReport).filter((report) => report.category === category.id),
  );
  const merged: ReportManifest = {
    ...manifest,
    reports,
    categories: REPORT_CATEGORIES.map((category) => ({
      id: category.id,
      title: category.title,
      reports: reports.filter((report) => report.category === category.id).map((report) => report.id),
    })),
  };
  const keptIds = new Set(kept.map((report) => report.id));
  if (manifest.summary !== undefined && isExecutiveSummary(earlier.summary)) {
    const older: ExecutiveSummary = {
      ...earlier.summary,
      candidates: earlier.summary.candidates.filter((action) => keptIds.has(action.analysis)),
      analyses: earlier.summary.analyses.filter((name) => keptIds.has(name)),
    };
    // The earlier summary lists its analyses in registry order: ties rank in that order again.
    const summaryOrder = [
      ...earlier.summary.analyses,
      ...manifest.summary.analyses.filter((name) => !earlier.summary?.analyses.includes(name)),
    ];
    merged.summary = mergeSummaries(older, manifest.summary, summaryOrder);
  }
  return merged;
}

/** Counts with their keys in a stable order (largest first, then by name), so output bytes do not depend on insertion order. */
function sortedCounts<K extends string>(counts: Partial<Record<K, number>>): Partial<Record<K, number>> {
  const entries = (Object.entries(counts) as [K, number][]).filter(([, count]) => count > 0);
  entries.sort(
    ([nameA, countA], [nameB, countB]) => countB - countA || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0),
  );
  return Object.fromEntries(entries) as Partial<Record<K, number>>;
}

function countsTable(counts: Record<string, number | undefined>, label: string, total: number): TableView {
  const left = (text: string): CellView => ({ text, align: 'left' });
  const right = (text: string): CellView => ({ text, align: 'right' });
  const rows = Object.entries(counts)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .map(([name, count]) => [
      left(name.replace(/_/g, ' ')),
      right(formatNumber(count)),
      right(total > 0 ? formatValue((count / total) * 100, 'percent', 2) : '—'),
    ]);
  return { head: [left(label), right('Rows'), right('Share of rows read')], rows, footer: null };
}

function share(part: number, whole: number): string | undefined {
  return whole > 0 ? `${formatValue((part / whole) * 100, 'percent', 2)} of rows read` : undefined;
}

/**
 * Renders the index page from a manifest: the reports by category with their
 * headline figures and links, the data file's figures and the data-quality
 * summary. Each dataset figure sits in an element with a stable id
 * (`dataset-rows-read`, …) and a `data-field` naming its manifest field, and
 * each report card carries `data-report-id`, so that a live page can update
 * them in place.
 */
export function renderIndexPage(manifest: ReportManifest, options: IndexPageOptions = {}): string {
  const file = manifest.data_file;
  const reportsById = new Map(manifest.reports.map((report) => [report.id, report]));
  const categories = manifest.categories.map((category) => ({
    id: category.id,
    title: category.title,
    reports: category.reports.flatMap((id) => {
      const report = reportsById.get(id);
      if (!report) return [];
      return [
        {
          id: report.id,
          title: report.title,
          filename: report.filename,
          description: report.description,
          figures: report.headline_figures
            .slice(0, INDEX_FIGURES_PER_REPORT)
            .map((figure) => ({ name: figure.label, value: figure.value })),
        },
      ];
    }),
  }));
  const datasetFigures = [
    {
      key: 'size',
      field: 'bytes',
      label: 'File size',
      value: formatBytes(file.bytes),
      raw: file.bytes,
      detail: `${formatNumber(file.bytes)} bytes`,
    },
    {
      key: 'rows-read',
      field: 'rows_read',
      label: 'Rows read',
      value: formatNumber(file.rows_read),
      raw: file.rows_read,
    },
    {
      key: 'rows-kept',
      field: 'rows_kept',
      label: 'Rows kept',
      value: formatNumber(file.rows_kept),
      raw: file.rows_kept,
      detail: share(file.rows_kept, file.rows_read),
    },
    {
      key: 'rows-warned',
      field: 'rows_warned',
      label: 'Rows with warnings',
      value: formatNumber(file.rows_warned),
      raw: file.rows_warned,
      detail: share(file.rows_warned, file.rows_read),
    },
    {
      key: 'rows-rejected',
      field: 'rows_rejected',
      label: 'Rows rejected',
      value: formatNumber(file.rows_rejected),
      raw: file.rows_rejected,
      detail: share(file.rows_rejected, file.rows_read),
    },
    ...coverageFigures(file),
    {
      key: 'days',
      field: 'window.days',
      label: 'Days in window',
      value: file.window ? formatNumber(file.window.days) : '—',
      raw: file.window?.days,
    },
  ].map((figure) => ({ ...figure, raw: figure.raw === undefined ? undefined : String(figure.raw) }));
  const title = options.title ?? 'AI usage reports';
  return templates().indexPage({
    title,
    summary: summaryView(manifest),
    assetsHref: options.assetsHref ?? ASSETS_FOLDER,
    manifestHref: options.manifestHref ?? MANIFEST_FILENAME,
    generatedAt: manifest.generated_at,
    generatedText: describeTime(manifest.generated_at),
    windowText: describeWindow(file.window),
    dataset: file,
    categories,
    datasetFigures,
    rejected: countsTable(file.rejected_by_reason, 'Reason', file.rows_read),
    warnings: countsTable(file.warnings_by_kind, 'Warning', file.rows_read),
  });
}

/**
 * Writes a complete report folder: one page per document (`<id>.html`), the
 * shared assets (`assets/report.css`, `assets/report.js` and a copy of the
 * installed Chart.js as `assets/chart.umd.js`), `index.html` and, last,
 * `manifest.json`. Each file is written atomically (temporary file, then
 * rename), so a reader never sees a half-written file. Returns the absolute
 * paths of the files written, in the order written.
 */
export async function renderReports(
  documents: readonly ReportDocument[],
  options: RenderReportsOptions,
): Promise<string[]> {
  const seen = new Set<string>();
  for (const document of documents) {
    assertRenderable(document);
    if (seen.has(document.id)) throw new Error(`two reports have the id "${document.id}"`);
    if (reportFilename(document.id) === INDEX_FILENAME)
      throw new Error('a report cannot have the id "index"');
    seen.add(document.id);
  }
  const outDir = resolve(options.outDir);
  const assetsDir = join(outDir, ASSETS_FOLDER);
  await mkdir(assetsDir, { recursive: true });
  const generatedAt = normalizeGeneratedAt(options.generatedAt);
  let manifest = buildReportManifest(documents, options.dataset, generatedAt, options.summary);
  const earlier = options.keepReports ? await earlierManifest(outDir, options.dataset) : undefined;
  if (earlier !== undefined) manifest = await keepEarlierReports(manifest, earlier, outDir);
  const navigation = manifest.reports.map((report) => ({ id: report.id, title: report.title }));

  const chartJs = await readFile(chartJsBundlePath());
  const outputs: [string, string | Uint8Array][] = [
    [join(assetsDir, ASSET_FILES.chartJs), chartJs],
    [join(assetsDir, ASSET_FILES.css), REPORT_CSS],
    [join(assetsDir, ASSET_FILES.script), REPORT_JS],
    ...byCategory(documents).map((document): [string, string] => [
      join(outDir, reportFilename(document.id)),
      renderReportPage(document, { generatedAt, navigation }),
    ]),
    [join(outDir, INDEX_FILENAME), renderIndexPage(manifest, { title: options.title })],
  ];
  await Promise.all(outputs.map(([path, data]) => writeFileAtomic(path, data)));
  // The manifest goes last: whoever reads it finds every file it names in place.
  const manifestPath = join(outDir, MANIFEST_FILENAME);
  await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return [...outputs.map(([path]) => path), manifestPath];
}

/** The executive summary as the index shows it: each action with its worth, its sentence and the page that shows it. */
function summaryView(manifest: ReportManifest) {
  const summary = manifest.summary;
  if (summary === undefined) return undefined;
  const titles = new Map(manifest.reports.map((report) => [report.id, report.title]));
  const money = (usd: number): string => formatValue(usd, 'money');
  const actions = summary.actions.map((action) => ({
    analysis: action.analysis,
    title: action.title,
    text: action.text,
    worth: money(action.monthlyUsd),
    href: action.href ?? reportFilename(action.analysis),
    shownOn: [titles.get(action.analysis) ?? action.analysis, action.section].filter(Boolean).join(' › '),
  }));
  const analyses = summary.analyses.length;
  return {
    actions,
    emptyText: `No finding worth acting on: none of the ${formatNumber(analyses)} analyses run found anything worth ${money(summary.minMonthlyUsd)} or more a month in this log.`,
    note:
      `Ranked by what each is worth a month; figures over the ${formatNumber(summary.windowDays)}-day window are prorated × 30 / ${formatNumber(summary.windowDays)}. ` +
      `${formatNumber(summary.candidates.length)} candidate actions from ${formatNumber(analyses)} analyses; at most ${formatNumber(summary.maxActions)} worth at least ${money(summary.minMonthlyUsd)} a month are listed.`,
  };
}

/** The manifest form of a read's coverage. */
function manifestCoverage(
  coverage: NonNullable<DatasetSummary['coverage']>,
): NonNullable<ManifestDataFile['coverage']> {
  return {
    rows_reported: coverage.rowsReported,
    rows_priced: coverage.rowsPriced,
    rows_unpriced: coverage.rowsUnpriced,
    unpriced_tokens: coverage.unpricedTokens,
    rows_without_call_id: coverage.rowsWithoutCallId,
    rows_without_latency: coverage.rowsWithoutLatency,
  };
}

/** Index figures of what the log lacks: costs priced or unpriced, rows without a call id or a latency (only those that occur). */
function coverageFigures(
  file: ManifestDataFile,
): { key: string; field: string; label: string; value: string; raw: number; detail: string }[] {
  const coverage = file.coverage;
  if (coverage === undefined) return [];
  const figures = [
    {
      key: 'rows-priced',
      field: 'coverage.rows_priced',
      label: 'Costs priced from the catalog',
      raw: coverage.rows_priced,
      detail: 'rows without a cost',
    },
    {
      key: 'rows-unpriced',
      field: 'coverage.rows_unpriced',
      label: 'Unpriced rows',
      raw: coverage.rows_unpriced,
      detail: `${formatNumber(coverage.unpriced_tokens)} tokens of models the catalog does not know, counted at $0`,
    },
    {
      key: 'rows-without-call-id',
      field: 'coverage.rows_without_call_id',
      label: 'Rows without a call id',
      raw: coverage.rows_without_call_id,
      detail: 'duplicates among them cannot be detected',
    },
    {
      key: 'rows-without-latency',
      field: 'coverage.rows_without_latency',
      label: 'Rows without a latency',
      raw: coverage.rows_without_latency,
      detail: 'left out of latency figures',
    },
  ];
  return figures
    .filter((figure) => figure.raw > 0)
    .map((figure) => ({ ...figure, value: formatNumber(figure.raw) }));
}
