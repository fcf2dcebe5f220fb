import { formatBytes, formatNumber } from '@finops/report-renderer';
import { LIVE_SCRIPT_PATH, LIVE_STYLE_PATH } from './client';
import type { LiveStatus } from './live';

/** What the served HTML shows beyond the page as written. */
export interface InjectContext {
  /** Live mode's state: the index shows the log's progress. */
  live?: LiveStatus;
  /** The clock, for "updated N minutes ago". */
  now?: Date;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** "3 minutes ago" for an ISO time, as the live script words it. */
export function describeAgo(iso: string, now: Date = new Date()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const minutes = Math.floor(Math.max(0, now.getTime() - time) / 60_000);
  if (minutes < 1) return 'less than a minute ago';
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

function insertBefore(html: string, marker: string, addition: string): string {
  const at = html.lastIndexOf(marker);
  return at === -1 ? html + addition : html.slice(0, at) + addition + html.slice(at);
}

function insertAfter(html: string, marker: RegExp, addition: string): string | undefined {
  const match = marker.exec(html);
  if (!match) return undefined;
  const at = match.index + match[0].length;
  return html.slice(0, at) + addition + html.slice(at);
}

/** The progress panel of the index in live mode: the log's size (a table's loads), calls and share of its target. */
export function progressPanel(live: LiveStatus): string {
  const percent = live.percent;
  // A table has no size to show: its loads stand in for it.
  const table = live.source === 'clickhouse';
  const size = table
    ? `<li>Loads <strong id="viewer-progress-loads">${formatNumber(live.loads ?? 0)}</strong></li>`
    : `<li>Size <strong id="viewer-progress-size">${escapeHtml(formatBytes(live.fileBytes))}</strong></li>`;
  const target =
    live.targetBytes === undefined
      ? ''
      : `<li>Target <strong id="viewer-progress-target">${escapeHtml(formatBytes(live.targetBytes))}</strong></li>
<li>Progress <strong id="viewer-progress-percent">${percent === undefined ? '—' : `${percent.toFixed(1)}%`}</strong></li>`;
  const bar =
    percent === undefined
      ? ''
      : `<progress id="viewer-progress-bar" max="100" value="${percent}" aria-labelledby="viewer-progress-title">${percent.toFixed(1)}%</progress>\n`;
  return `<section class="viewer-progress" id="viewer-progress" aria-labelledby="viewer-progress-title">
<h2 id="viewer-progress-title">${table ? 'Live table' : 'Live log'}</h2>
<ul class="viewer-progress__figures">
<li>${table ? 'Table' : 'File'} <strong id="viewer-progress-path">${escapeHtml(live.path)}</strong></li>
${size}
<li>Calls <strong id="viewer-progress-calls">${formatNumber(live.rowsRead)}</strong></li>
${target}<li>State <strong id="viewer-progress-state">${escapeHtml(live.state)}</strong></li>
</ul>
${bar}</section>
`;
}

/**
 * Adds the viewer's stylesheet and script (external files, so the page's
 * Content-Security-Policy still holds) to a served page; on the index, also
 * an "updated N minutes ago" line and, in live mode, the progress panel.
 */
export function injectViewer(html: string, context: InjectContext = {}): string {
  let page = insertBefore(html, '</head>', `<link rel="stylesheet" href="${LIVE_STYLE_PATH}">\n`);
  page = insertBefore(page, '</body>', `<script src="${LIVE_SCRIPT_PATH}" defer></script>\n`);
  if (!/<body[^>]*class="[^"]*\bindex-page\b/.test(page)) return page;
  const generatedAt = /id="generated-at" datetime="([^"]*)"/.exec(page)?.[1] ?? '';
  const updated = `\n<p class="viewer-updated" id="viewer-updated">Updated <span id="viewer-updated-ago">${escapeHtml(describeAgo(generatedAt, context.now))}</span></p>`;
  page = insertAfter(page, /<p class="notice" id="update-notice"[^>]*><\/p>/, updated) ?? page;
  if (context.live) {
    page = insertAfter(page, /<main[^>]*>[\s\S]*?<\/header>\n?/, progressPanel(context.live)) ?? page;
  }
  return page;
}

/** The page served in place of the index while live mode prepares the first reports. */
export function placeholderPage(live: LiveStatus | undefined): string {
  const what = live
    ? `The viewer is analysing <code>${escapeHtml(live.path)}</code>. This page shows the reports as soon as they are ready.`
    : 'There are no reports in this folder yet.';
  const error = live?.error ? `<p class="notice">Last update failed: ${escapeHtml(live.error)}</p>\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI usage reports</title>
<link rel="stylesheet" href="${LIVE_STYLE_PATH}">
</head>
<body class="placeholder-page" data-viewer-placeholder>
<main id="main" class="page">
<h1>Preparing the reports</h1>
<p>${what}</p>
${error}${live ? progressPanel(live) : ''}</main>
<script src="${LIVE_SCRIPT_PATH}" defer></script>
</body>
</html>
`;
}
