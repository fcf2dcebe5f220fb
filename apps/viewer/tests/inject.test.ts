import { describeAgo, escapeHtml, injectViewer, placeholderPage, progressPanel } from '../src/inject';
import type { LiveStatus } from '../src/live';

const status: LiveStatus = {
  state: 'ready',
  path: 'logs/<calls>.csv',
  fileBytes: 12_500_000,
  analysedBytes: 12_500_000,
  rowsRead: 65_432,
  rowsKept: 65_430,
  rowsRejected: 2,
  targetBytes: 50_000_000,
  percent: 25,
  lastAnalysisAt: '2025-11-01T10:00:00.000Z',
  lastUpdate: null,
  updates: 3,
  fullAnalyses: 1,
  bytesReadTotal: 12_500_000,
};

const INDEX = `<!doctype html><html><head><title>x</title>
</head>
<body class="index-page" data-manifest="manifest.json">
<main id="main" class="page">
<header class="report-header">
<dd><time id="generated-at" datetime="2025-11-01T10:00:00Z">2025-11-01 10:00 UTC</time></dd>
<p class="notice" id="update-notice" role="status" aria-live="polite"></p>
</header>
<section class="category"></section>
</main>
</body>
</html>`;

describe('injectViewer', () => {
  it('adds the live script and stylesheet as external files, and the index extras', () => {
    const html = injectViewer(INDEX, { live: status, now: new Date('2025-11-01T10:07:30Z') });
    expect(html).toContain('<link rel="stylesheet" href="/_viewer/live.css">\n</head>');
    expect(html).toContain('<script src="/_viewer/live.js" defer></script>\n</body>');
    expect(html).toContain('Updated <span id="viewer-updated-ago">7 minutes ago</span>');
    expect(html.indexOf('id="viewer-progress"')).toBeGreaterThan(html.indexOf('</header>'));
    expect(html.indexOf('id="viewer-progress"')).toBeLessThan(html.indexOf('class="category"'));
    expect(html).not.toMatch(/<script>|<style|style="/);
  });

  it('adds only the script and stylesheet to a report page', () => {
    const page = '<html><head></head><body class="report-page"><main></main></body></html>';
    const html = injectViewer(page, { live: status });
    expect(html).toContain('/_viewer/live.js');
    expect(html).not.toContain('viewer-progress');
    expect(html).not.toContain('viewer-updated');
  });

  it('leaves the progress out without live mode', () => {
    const html = injectViewer(INDEX, { now: new Date('2025-11-01T10:00:10Z') });
    expect(html).toContain('less than a minute ago');
    expect(html).not.toContain('viewer-progress');
  });
});

describe('progressPanel', () => {
  it('shows size, calls and percent of the target, escaping the path', () => {
    const html = progressPanel(status);
    expect(html).toContain('<strong id="viewer-progress-size">12.50 MB</strong>');
    expect(html).toContain('<strong id="viewer-progress-calls">65,432</strong>');
    expect(html).toContain('<strong id="viewer-progress-target">50.00 MB</strong>');
    expect(html).toContain('<strong id="viewer-progress-percent">25.0%</strong>');
    expect(html).toContain('<progress id="viewer-progress-bar" max="100" value="25"');
    expect(html).toContain('logs/&lt;calls&gt;.csv');
    const untargeted = progressPanel({ ...status, targetBytes: undefined, percent: undefined });
    expect(untargeted).not.toContain('<progress');
    expect(untargeted).not.toContain('viewer-progress-percent');
  });
});

describe('placeholderPage', () => {
  it('says what is being prepared, with the live script', () => {
    const html = placeholderPage({ ...status, state: 'error', error: 'bad <header>' });
    expect(html).toContain('data-viewer-placeholder');
    expect(html).toContain('<code>logs/&lt;calls&gt;.csv</code>');
    expect(html).toContain('Last update failed: bad &lt;header&gt;');
    expect(html).toContain('<script src="/_viewer/live.js" defer></script>');
    expect(placeholderPage(undefined)).toContain('There are no reports in this folder yet.');
  });
});

describe('helpers', () => {
  it('escape HTML and word ages', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const now = new Date('2025-11-03T12:00:00Z');
    expect(describeAgo('2025-11-03T11:59:00Z', now)).toBe('1 minute ago');
    expect(describeAgo('2025-11-03T11:00:00Z', now)).toBe('1 hour ago');
    expect(describeAgo('2025-11-03T09:00:00Z', now)).toBe('3 hours ago');
    expect(describeAgo('2025-10-30T12:00:00Z', now)).toBe('4 days ago');
    expect(describeAgo('not a time', now)).toBe('');
  });
});
