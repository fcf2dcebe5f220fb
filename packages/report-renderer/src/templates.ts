/**
 * Handlebars templates and partials, inlined as strings so that the package
 * needs no template file at run time (it works bundled, unbundled and from
 * any install location). Values go through `{{…}}` (HTML-escaped); the only
 * triple-stash is chart JSON, which is escaped for script elements first.
 */

/** `<head>` of every page; context: `title`, `assetsHref`. */
export const HEAD_PARTIAL = `<!doctype html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="color-scheme" content="light dark">
<title>{{title}}</title>
<link rel="stylesheet" href="{{assetsHref}}/report.css">
</head>
`;

/** A headline figure; context: a metric view. */
export const METRIC_CARD_PARTIAL = `<li class="metric">
<p class="metric__label">{{label}}</p>
<p class="metric__value">{{value}}</p>
{{#if detail}}<p class="metric__detail">{{detail}}</p>{{/if}}
{{#if trend}}<p class="metric__trend trend--{{trend.sentiment}}" data-direction="{{trend.direction}}"><span aria-hidden="true">{{trend.arrow}}</span> {{trend.text}}</p>{{/if}}
</li>
`;

/** Head, rows and footer of a table; context: a table view. */
export const TABLE_BODY_PARTIAL = `<thead><tr>{{#each head}}<th scope="col" class="align-{{align}}">{{text}}</th>{{/each}}</tr></thead>
<tbody>
{{#each rows}}<tr>{{#each this}}<td class="align-{{align}}">{{text}}</td>{{/each}}</tr>
{{/each}}</tbody>
{{#if footer}}<tfoot><tr>{{#each footer}}<td class="align-{{align}}">{{text}}</td>{{/each}}</tr></tfoot>{{/if}}
`;

/** Named figures as a definition list; context: an array of `{ name, value }`. */
export const FIGURES_PARTIAL = `<dl class="figures">{{#each this}}<div class="figure"><dt>{{name}}</dt><dd>{{value}}</dd></div>{{/each}}</dl>
`;

/** A table block. */
export const TABLE_PARTIAL = `<div class="block block-table">
{{#if title}}<h3 class="block__title">{{title}}</h3>{{/if}}
<div class="table-scroll" role="region" aria-label="{{label}}" tabindex="0">
<table>
{{#if caption}}<caption>{{caption}}</caption>{{/if}}
{{> table-body table}}</table>
</div>
{{#if note}}<p class="note">{{note}}</p>{{/if}}
</div>
`;

/** A chart block: canvas, caption, its numbers as a table, and its data as inert JSON. */
export const CHART_PARTIAL = `<figure class="block block-chart" data-chart="{{id}}" data-chart-kind="{{chart}}">
<figcaption class="chart-caption">
<h3 class="block__title" id="{{id}}-title">{{title}}</h3>
<p class="chart-description" id="{{id}}-desc">{{description}}</p>
</figcaption>
<div class="chart-box chart-box--{{size}}">
<canvas id="{{id}}" role="img" aria-label="{{title}}" aria-describedby="{{id}}-desc">{{description}}</canvas>
</div>
<details class="chart-data">
<summary>Data table: {{title}}</summary>
<div class="table-scroll" role="region" aria-label="Data of {{title}}" tabindex="0">
<table>
{{> table-body table}}</table>
</div>
</details>
<script type="application/json" id="{{id}}-data">{{{json}}}</script>
</figure>
`;

/** An alerts block. */
export const ALERTS_PARTIAL = `<div class="block block-alerts">
{{#if title}}<h3 class="block__title">{{title}}</h3>{{/if}}
{{#if items.length}}<ul class="alert-list">
{{#each items}}<li class="alert alert--{{severity}}" data-severity="{{severity}}">
<p class="alert__title"><span class="badge badge--{{severity}}">{{severityLabel}}</span> {{title}}</p>
{{#if text}}<p class="alert__text">{{text}}</p>{{/if}}
{{#if figures.length}}{{> figures figures}}{{/if}}
</li>
{{/each}}</ul>
{{else}}<p class="empty">{{emptyText}}</p>
{{/if}}
</div>
`;

/** A recommendations block. */
export const RECOMMENDATIONS_PARTIAL = `<div class="block block-recommendations">
{{#if title}}<h3 class="block__title">{{title}}</h3>{{/if}}
{{#if items.length}}<ol class="recommendation-list">
{{#each items}}<li class="recommendation">
<p class="recommendation__text">{{text}}</p>
{{#if figures.length}}{{> figures figures}}{{/if}}
</li>
{{/each}}</ol>
{{else}}<p class="empty">{{emptyText}}</p>
{{/if}}
</div>
`;

/** A block of free paragraphs. */
export const TEXT_PARTIAL = `<div class="block block-text">
{{#each paragraphs}}<p>{{this}}</p>
{{/each}}</div>
`;

/** A report page. */
export const REPORT_PAGE_TEMPLATE = `{{> head}}<body class="report-page" data-report-id="{{id}}" data-category="{{category}}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<nav class="site-nav" aria-label="Reports">
<a class="site-nav__home" href="{{indexHref}}">All reports</a>
<ul class="site-nav__list">
{{#each nav}}<li><a href="{{href}}"{{#if current}} aria-current="page"{{/if}}>{{title}}</a></li>
{{/each}}</ul>
</nav>
</header>
<main id="main" class="page">
<header class="report-header">
<p class="eyebrow">{{categoryTitle}}</p>
<h1>{{title}}</h1>
<p class="purpose">{{purpose}}</p>
<dl class="report-meta">
<div><dt>Data window</dt><dd>{{windowText}}</dd></div>
<div><dt>Generated</dt><dd><time datetime="{{generatedAt}}">{{generatedText}}</time></dd></div>
<div><dt>Source</dt><dd class="report-meta__source">{{sourceText}}</dd></div>
</dl>
</header>
{{#if metrics.length}}<section class="metrics" aria-label="Headline figures">
<ul class="metric-grid">
{{#each metrics}}{{> metric-card}}{{/each}}</ul>
</section>
{{/if}}
{{#if sections.length}}<nav class="toc" aria-label="On this page">
<ol>
{{#each sections}}<li><a href="#{{id}}">{{title}}</a></li>
{{/each}}</ol>
</nav>
{{/if}}
{{#each sections}}<section class="report-section" id="{{id}}" aria-labelledby="{{id}}-title">
<h2 id="{{id}}-title">{{title}}</h2>
{{#if intro}}<p class="section-intro">{{intro}}</p>{{/if}}
{{#each blocks}}{{> (lookup . "partial")}}{{/each}}
</section>
{{/each}}
</main>
<footer class="site-footer">
<p>{{title}} · data window {{windowText}} · generated <time datetime="{{generatedAt}}">{{generatedText}}</time></p>
</footer>
{{#if hasCharts}}<script src="{{assetsHref}}/chart.umd.js"></script>
<script src="{{assetsHref}}/report.js"></script>
{{/if}}
</body>
</html>
`;

/** The index page. */
export const INDEX_PAGE_TEMPLATE = `{{> head}}<body class="index-page" data-manifest="{{manifestHref}}">
<a class="skip-link" href="#main">Skip to content</a>
<main id="main" class="page">
<header class="report-header">
<p class="eyebrow">FinOps for AI usage</p>
<h1>{{title}}</h1>
<p class="purpose">Where the money goes, what needs action now, how to pay less, and which customers, plans and features make or lose money.</p>
<dl class="report-meta">
<div><dt>Data window</dt><dd id="dataset-window" data-field="window">{{windowText}}</dd></div>
<div><dt>Generated</dt><dd><time id="generated-at" datetime="{{generatedAt}}">{{generatedText}}</time></dd></div>
<div><dt>Source</dt><dd id="dataset-path" data-field="path" class="report-meta__source">{{dataset.path}}</dd></div>
</dl>
<p class="notice" id="update-notice" role="status" aria-live="polite"></p>
</header>
{{#each categories}}<section class="category" id="category-{{id}}" data-category="{{id}}" aria-labelledby="category-{{id}}-title">
<h2 id="category-{{id}}-title">{{title}}</h2>
{{#if reports.length}}<ul class="report-list">
{{#each reports}}<li class="report-card" data-report-id="{{id}}">
<h3 class="report-card__title"><a href="{{filename}}">{{title}}</a></h3>
<p class="report-card__description">{{description}}</p>
{{#if figures.length}}{{> figures figures}}{{/if}}
</li>
{{/each}}</ul>
{{else}}<p class="empty">No report in this category.</p>
{{/if}}
</section>
{{/each}}
<section class="dataset" id="dataset" aria-labelledby="dataset-title">
<h2 id="dataset-title">Data file and data quality</h2>
<ul class="metric-grid">
{{#each datasetFigures}}<li class="metric">
<p class="metric__label">{{label}}</p>
<p class="metric__value" id="dataset-{{key}}" data-field="{{field}}"{{#if raw}} data-value="{{raw}}"{{/if}}>{{value}}</p>
{{#if detail}}<p class="metric__detail">{{detail}}</p>{{/if}}
</li>
{{/each}}</ul>
<div class="quality-grid">
<div class="block block-table" id="rejected-by-reason">
<h3 class="block__title">Rejected rows by reason</h3>
{{#if rejected.rows.length}}<div class="table-scroll" role="region" aria-label="Rejected rows by reason" tabindex="0">
<table>
{{> table-body rejected}}</table>
</div>
{{else}}<p class="empty">No row was rejected.</p>
{{/if}}
</div>
<div class="block block-table" id="warnings-by-kind">
<h3 class="block__title">Warnings by kind</h3>
{{#if warnings.rows.length}}<div class="table-scroll" role="region" aria-label="Warnings by kind" tabindex="0">
<table>
{{> table-body warnings}}</table>
</div>
{{else}}<p class="empty">No kept row carries a warning.</p>
{{/if}}
</div>
</div>
</section>
</main>
<footer class="site-footer">
<p>Machine-readable summary: <a href="{{manifestHref}}">manifest.json</a> · generated <time datetime="{{generatedAt}}">{{generatedText}}</time></p>
</footer>
</body>
</html>
`;
