/// <reference path="../text-modules.d.ts" />
import stylesheet from './report.css';

/**
 * The stylesheet every page links as `assets/report.css` (the content of
 * `report.css`, inlined at build time): one design system (palette, type
 * scale and spacing as custom properties), light and dark themes, responsive
 * layout and print styles. Chart colours are custom properties too, so that
 * the page script draws charts in the theme's colours. Text colours meet WCAG
 * AA contrast on their backgrounds.
 */
export const REPORT_CSS: string = stylesheet;
