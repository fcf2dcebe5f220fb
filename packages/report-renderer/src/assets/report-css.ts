/**
 * The stylesheet every page links as `assets/report.css`: one design system
 * (palette, type scale and spacing as custom properties), light and dark
 * themes, responsive layout and print styles. Chart colours are custom
 * properties too, so that the page script draws charts in the theme's
 * colours. Text colours meet WCAG AA contrast on their backgrounds.
 */
export const REPORT_CSS = `:root {
  color-scheme: light dark;
  --font-sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --font-mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  --text-xs: 0.75rem;
  --text-sm: 0.875rem;
  --text-base: 1rem;
  --text-lg: 1.125rem;
  --text-xl: 1.375rem;
  --text-2xl: 1.75rem;
  --text-3xl: 2.125rem;
  --space-1: 0.25rem;
  --space-2: 0.5rem;
  --space-3: 0.75rem;
  --space-4: 1rem;
  --space-5: 1.5rem;
  --space-6: 2rem;
  --space-7: 3rem;
  --radius: 0.5rem;
  --page-width: 72rem;

  --color-bg: #f5f6f8;
  --color-surface: #ffffff;
  --color-surface-alt: #eef1f5;
  --color-text: #15181e;
  --color-text-muted: #4b5361;
  --color-border: #cfd5de;
  --color-grid: #e1e5eb;
  --color-accent: #1d4fa3;
  --color-accent-text: #ffffff;
  --color-good: #1b6e3a;
  --color-bad: #b0251b;
  --color-info: #1d4fa3;
  --color-info-bg: #e8f0fc;
  --color-warning: #8a5300;
  --color-warning-bg: #fdf3e0;
  --color-critical: #b0251b;
  --color-critical-bg: #fdeceb;
  --color-focus: #c2410c;

  --chart-1: #2563c9;
  --chart-2: #e07b1a;
  --chart-3: #2a9d5c;
  --chart-4: #c8364a;
  --chart-5: #7b52c7;
  --chart-6: #158f9e;
  --chart-7: #b5892a;
  --chart-8: #5c6b80;
}

@media (prefers-color-scheme: dark) {
  :root {
    --color-bg: #0f1216;
    --color-surface: #181c22;
    --color-surface-alt: #212730;
    --color-text: #e8ebf0;
    --color-text-muted: #aab3c0;
    --color-border: #343c48;
    --color-grid: #2b323c;
    --color-accent: #8ab4ff;
    --color-accent-text: #0f1216;
    --color-good: #6fd49a;
    --color-bad: #ff8f85;
    --color-info: #8ab4ff;
    --color-info-bg: #17243a;
    --color-warning: #f3bd5c;
    --color-warning-bg: #2e2413;
    --color-critical: #ff8f85;
    --color-critical-bg: #3a1a18;
    --color-focus: #fdba74;

    --chart-1: #6ea2ff;
    --chart-2: #f5a051;
    --chart-3: #5fcf8e;
    --chart-4: #f07a8a;
    --chart-5: #b394f0;
    --chart-6: #4fc7d6;
    --chart-7: #dcb65a;
    --chart-8: #9aa8bd;
  }
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

html {
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}

body {
  margin: 0;
  background: var(--color-bg);
  color: var(--color-text);
  font-family: var(--font-sans);
  font-size: var(--text-base);
  line-height: 1.5;
}

a {
  color: var(--color-accent);
}

a:focus-visible,
summary:focus-visible,
.table-scroll:focus-visible {
  outline: 3px solid var(--color-focus);
  outline-offset: 2px;
}

h1,
h2,
h3 {
  line-height: 1.25;
  margin: 0 0 var(--space-3);
}

h1 {
  font-size: var(--text-3xl);
}

h2 {
  font-size: var(--text-2xl);
}

h3 {
  font-size: var(--text-lg);
}

p {
  margin: 0 0 var(--space-3);
}

.skip-link {
  position: absolute;
  left: var(--space-2);
  top: -4rem;
  padding: var(--space-2) var(--space-3);
  background: var(--color-accent);
  color: var(--color-accent-text);
  border-radius: var(--radius);
  z-index: 10;
}

.skip-link:focus {
  top: var(--space-2);
}

.site-header {
  background: var(--color-surface);
  border-bottom: 1px solid var(--color-border);
}

.site-nav {
  max-width: var(--page-width);
  margin: 0 auto;
  padding: var(--space-2) var(--space-4);
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: var(--space-2) var(--space-4);
  font-size: var(--text-sm);
}

.site-nav__home {
  font-weight: 600;
  white-space: nowrap;
  flex: none;
}

.site-nav__list {
  list-style: none;
  margin: 0;
  padding: 0;
  display: flex;
  flex-wrap: wrap;
  gap: var(--space-1) var(--space-3);
}

.site-nav__list a {
  color: var(--color-text-muted);
  text-decoration: none;
}

.site-nav__list a:hover {
  text-decoration: underline;
}

.site-nav__list a[aria-current="page"] {
  color: var(--color-text);
  font-weight: 600;
  text-decoration: underline;
  text-underline-offset: 0.2em;
}

.page {
  max-width: var(--page-width);
  margin: 0 auto;
  padding: var(--space-5) var(--space-4) var(--space-7);
}

.report-header {
  margin-bottom: var(--space-5);
}

.eyebrow {
  color: var(--color-text-muted);
  font-size: var(--text-sm);
  font-weight: 600;
  letter-spacing: 0.04em;
  text-transform: uppercase;
  margin-bottom: var(--space-1);
}

.purpose {
  font-size: var(--text-lg);
  color: var(--color-text-muted);
  max-width: 48rem;
}

.report-meta {
  display: flex;
  flex-wrap: wrap;
  gap: var(--space-2) var(--space-5);
  margin: var(--space-4) 0 0;
  font-size: var(--text-sm);
}

.report-meta dt {
  color: var(--color-text-muted);
}

.report-meta dd {
  margin: 0;
  font-weight: 600;
}

.report-meta__source {
  overflow-wrap: anywhere;
}

.notice:empty {
  display: none;
}

.notice {
  margin-top: var(--space-3);
  padding: var(--space-2) var(--space-3);
  border-radius: var(--radius);
  background: var(--color-info-bg);
  color: var(--color-text);
}

.metric-grid {
  list-style: none;
  margin: 0 0 var(--space-5);
  padding: 0;
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
  gap: var(--space-3);
}

.metric {
  background: var(--color-surface);
  border: 1px solid var(--color-border);
  border-radius: var(--radius);
  padding: var(--space-3) var(--space-4);
  min-width: 0;
}

.metric__label {
  color: var(--color-text-muted);
  font-size: var(--text-sm);
  margin-bottom: var(--space-1);
}

.metric__value {
  font-size: var(--text-xl);
  font-weight: 700;
  margin-bottom: var(--space-1);
  font-variant-numeric: tabular-nums;
  overflow-wrap: anywhere;
}

.metric__detail,
.metric__trend {
  font-size: var(--text-sm);
  color: var(--color-text-muted);
  margin: 0;
}

.trend--good {
  color: var(--color-good);
}

.trend--bad {
  color: var(--color-bad);
}

.toc {
  margin-bottom: var(--space-5);
  font-size: var(--text-sm);
}

.toc ol {
  list-style: none;
  margin: 0;
  padding: 0;
  display: flex;
  flex-wrap: wrap;
  gap: var(--space-2);
}

.toc a {
  display: inline-block;
  padding: var(--space-1) var(--space-3);
  border: 1px solid var(--color-border);
  border-radius: 999px;
  background: var(--color-surface);
  text-decoration: none;
}

.report-section,
.category,
.dataset {
  margin-bottom: var(--space-6);
}

.report-section > h2,
.category > h2,
.dataset > h2 {
  padding-bottom: var(--space-2);
  border-bottom: 2px solid var(--color-border);
}

.section-intro {
  color: var(--color-text-muted);
  max-width: 48rem;
}

.block {
  background: var(--color-surface);
  border: 1px solid var(--color-border);
  border-radius: var(--radius);
  padding: var(--space-4);
  margin: 0 0 var(--space-4);
  min-width: 0;
}

.block-text {
  background: transparent;
  border: 0;
  padding: 0;
  max-width: 48rem;
}

.table-scroll {
  overflow-x: auto;
  max-width: 100%;
}

.block-table .table-scroll {
  max-height: 36rem;
  overflow-y: auto;
}

table {
  border-collapse: collapse;
  width: 100%;
  font-size: var(--text-sm);
  font-variant-numeric: tabular-nums;
}

caption {
  text-align: left;
  color: var(--color-text-muted);
  padding-bottom: var(--space-2);
}

th,
td {
  padding: var(--space-2) var(--space-3);
  border-bottom: 1px solid var(--color-grid);
  vertical-align: top;
}

thead th {
  position: sticky;
  top: 0;
  background: var(--color-surface-alt);
  color: var(--color-text);
  font-weight: 600;
  white-space: nowrap;
}

tfoot td {
  font-weight: 700;
  border-top: 2px solid var(--color-border);
}

td.align-right,
td.align-center {
  white-space: nowrap;
}

.align-left {
  text-align: left;
}

.align-right {
  text-align: right;
}

.align-center {
  text-align: center;
}

tbody tr:hover {
  background: var(--color-surface-alt);
}

.note,
.empty {
  color: var(--color-text-muted);
  font-size: var(--text-sm);
  margin: var(--space-2) 0 0;
}

.block-chart {
  margin-left: 0;
  margin-right: 0;
}

.chart-caption {
  margin-bottom: var(--space-3);
}

.chart-description {
  color: var(--color-text-muted);
  font-size: var(--text-sm);
}

.chart-box {
  position: relative;
  width: 100%;
  height: 20rem;
  display: none;
}

.js .chart-box {
  display: block;
}

.chart-box canvas {
  max-width: 100%;
}

.chart-box--short {
  height: 14rem;
}

.chart-box--medium {
  height: 20rem;
}

.chart-box--tall {
  height: 28rem;
}

.chart-box--x-tall {
  height: 40rem;
}

.chart-box--round {
  height: 18rem;
}

.chart-failed .chart-box {
  display: none;
}

.chart-data {
  margin-top: var(--space-3);
  font-size: var(--text-sm);
}

.chart-data summary {
  cursor: pointer;
  color: var(--color-accent);
  padding: var(--space-1) 0;
}

.chart-data .table-scroll {
  max-height: 24rem;
  overflow-y: auto;
  margin-top: var(--space-2);
}

.alert-list,
.recommendation-list,
.report-list {
  margin: 0;
  padding: 0;
}

.alert-list,
.report-list {
  list-style: none;
}

.alert {
  border: 1px solid var(--color-border);
  border-left: 0.375rem solid var(--color-info);
  background: var(--color-info-bg);
  border-radius: var(--radius);
  padding: var(--space-3) var(--space-4);
  margin-bottom: var(--space-3);
}

.alert--warning {
  border-left-color: var(--color-warning);
  background: var(--color-warning-bg);
}

.alert--critical {
  border-left-color: var(--color-critical);
  background: var(--color-critical-bg);
}

.alert__title {
  font-weight: 600;
  margin-bottom: var(--space-1);
  overflow-wrap: anywhere;
}

.alert__text {
  margin-bottom: var(--space-2);
}

.badge {
  display: inline-block;
  font-size: var(--text-xs);
  font-weight: 700;
  letter-spacing: 0.04em;
  text-transform: uppercase;
  padding: 0 var(--space-2);
  border-radius: 999px;
  border: 1px solid currentColor;
  margin-right: var(--space-2);
  vertical-align: 0.1em;
}

.badge--info {
  color: var(--color-info);
}

.badge--warning {
  color: var(--color-warning);
}

.badge--critical {
  color: var(--color-critical);
}

.recommendation-list {
  padding-left: var(--space-5);
}

.recommendation {
  margin-bottom: var(--space-4);
}

.recommendation__text {
  font-weight: 600;
  margin-bottom: var(--space-1);
  overflow-wrap: anywhere;
}

.figures {
  display: flex;
  flex-wrap: wrap;
  gap: var(--space-1) var(--space-4);
  margin: 0;
  font-size: var(--text-sm);
}

.figure {
  display: flex;
  gap: var(--space-1);
  min-width: 0;
}

.figure dt {
  color: var(--color-text-muted);
}

.figure dt::after {
  content: ":";
}

.figure dd {
  margin: 0;
  font-weight: 600;
  font-variant-numeric: tabular-nums;
  overflow-wrap: anywhere;
}

.report-list {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr));
  gap: var(--space-4);
}

.report-card {
  background: var(--color-surface);
  border: 1px solid var(--color-border);
  border-radius: var(--radius);
  padding: var(--space-4);
  min-width: 0;
}

.report-card__title a {
  text-decoration: none;
}

.report-card__title a:hover {
  text-decoration: underline;
}

.report-card__description {
  color: var(--color-text-muted);
  font-size: var(--text-sm);
}

.report-card .figures {
  flex-direction: column;
}

.quality-grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
  gap: var(--space-4);
}

.site-footer {
  border-top: 1px solid var(--color-border);
  color: var(--color-text-muted);
  font-size: var(--text-sm);
  padding: var(--space-4);
  text-align: center;
}

@media (max-width: 40rem) {
  h1 {
    font-size: var(--text-2xl);
  }

  h2 {
    font-size: var(--text-xl);
  }

  .page {
    padding: var(--space-4) var(--space-3) var(--space-6);
  }

  .site-nav {
    flex-wrap: nowrap;
    padding: var(--space-2) var(--space-3);
  }

  .site-nav__list {
    flex-wrap: nowrap;
    overflow-x: auto;
    white-space: nowrap;
    padding-bottom: var(--space-1);
  }

  .report-meta {
    flex-direction: column;
  }

  .metric-grid {
    grid-template-columns: repeat(2, minmax(0, 1fr));
  }

  .metric__value {
    font-size: var(--text-lg);
  }

  .block {
    padding: var(--space-3);
  }

  .chart-box--medium,
  .chart-box--round {
    height: 16rem;
  }

  .report-list {
    grid-template-columns: minmax(0, 1fr);
  }

  th,
  td {
    padding: var(--space-1) var(--space-2);
  }
}

@media print {
  :root {
    color-scheme: light;
    --color-bg: #ffffff;
    --color-surface: #ffffff;
    --color-surface-alt: #f0f0f0;
    --color-text: #000000;
    --color-text-muted: #333333;
    --color-border: #999999;
  }

  .site-header,
  .skip-link,
  .toc,
  .notice {
    display: none;
  }

  .page {
    max-width: none;
    padding: 0;
  }

  .block,
  .metric,
  .alert,
  .recommendation,
  .report-card {
    break-inside: avoid;
  }

  .table-scroll,
  .block-table .table-scroll,
  .chart-data .table-scroll {
    max-height: none;
    overflow: visible;
  }

  thead th {
    position: static;
  }

  a {
    color: inherit;
  }
}
`;
