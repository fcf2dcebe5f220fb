/// <reference path="./text-modules.d.ts" />
/**
 * Handlebars templates and partials, one `.hbs` file each under `templates/`,
 * inlined as strings at build time so that the package needs no template file
 * at run time (it works bundled, unbundled and from any install location).
 * Values go through `{{…}}` (HTML-escaped); the only triple-stash is chart
 * JSON, which is escaped for script elements first. Every byte of a template
 * reaches the page: the files keep their line breaks exactly as the pages
 * need them.
 */
import alertsPartial from './templates/block-alerts.hbs';
import chartPartial from './templates/block-chart.hbs';
import recommendationsPartial from './templates/block-recommendations.hbs';
import tablePartial from './templates/block-table.hbs';
import textPartial from './templates/block-text.hbs';
import figuresPartial from './templates/figures.hbs';
import headPartial from './templates/head.hbs';
import indexPageTemplate from './templates/index-page.hbs';
import metricCardPartial from './templates/metric-card.hbs';
import reportPageTemplate from './templates/report-page.hbs';
import tableBodyPartial from './templates/table-body.hbs';

/** `<head>` of every page; context: `title`, `assetsHref`. */
export const HEAD_PARTIAL: string = headPartial;

/** A headline figure; context: a metric view. */
export const METRIC_CARD_PARTIAL: string = metricCardPartial;

/** Head, rows and footer of a table; context: a table view. */
export const TABLE_BODY_PARTIAL: string = tableBodyPartial;

/** Named figures as a definition list; context: an array of `{ name, value }`. */
export const FIGURES_PARTIAL: string = figuresPartial;

/** A table block. */
export const TABLE_PARTIAL: string = tablePartial;

/** A chart block: canvas, caption, its numbers as a table, and its data as inert JSON. */
export const CHART_PARTIAL: string = chartPartial;

/** An alerts block. */
export const ALERTS_PARTIAL: string = alertsPartial;

/** A recommendations block. */
export const RECOMMENDATIONS_PARTIAL: string = recommendationsPartial;

/** A block of free paragraphs. */
export const TEXT_PARTIAL: string = textPartial;

/** A report page. */
export const REPORT_PAGE_TEMPLATE: string = reportPageTemplate;

/** The index page. */
export const INDEX_PAGE_TEMPLATE: string = indexPageTemplate;
