/// <reference path="../text-modules.d.ts" />
import pageScript from './report.browser.js';

/**
 * The page script every report page loads as `assets/report.js` (the content
 * of `report.browser.js`, inlined at build time), after Chart.js: it reads
 * each chart's data from its inert JSON element, draws it with the colours of
 * the current theme (CSS custom properties) and redraws when the theme
 * changes. It runs no code from the data and writes no markup: labels reach
 * the canvas as text only.
 */
export const REPORT_JS: string = pageScript;
