/**
 * `@finops/report-renderer`: turns report documents (`ReportDocument` of
 * `@finops/schema`) into offline HTML pages with Chart.js charts, an index
 * page and `manifest.json`.
 *
 * @packageDocumentation
 */
export {
  ASSET_FILES,
  ASSETS_FOLDER,
  INDEX_FILENAME,
  MANIFEST_FILENAME,
  buildReportManifest,
  normalizeGeneratedAt,
  renderIndexPage,
  renderReportPage,
  renderReports,
  reportFilename,
  type IndexPageOptions,
  type NavigationEntry,
  type RenderReportsOptions,
  type ReportPageOptions,
} from './render';
export { serializeJsonForScript } from './json-script';
export { bytesToMb, formatBytes, formatNumber, formatValue } from './format';
export { chartJsBundlePath } from './chart-asset';
export { REPORT_CSS } from './assets/report-css';
export { REPORT_JS } from './assets/report-js';
