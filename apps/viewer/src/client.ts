/**
 * The browser side of the viewer, served as files of its own (never inline,
 * so that the Content-Security-Policy `script-src 'self'` holds).
 */

/** URL folder of the viewer's own files; no report folder entry can shadow it. */
export const VIEWER_PREFIX = '/_viewer/';
/** URL of the live script. */
export const LIVE_SCRIPT_PATH = `${VIEWER_PREFIX}live.js`;
/** URL of the live stylesheet. */
export const LIVE_STYLE_PATH = `${VIEWER_PREFIX}live.css`;
/** URL of the server-sent-events stream announcing new manifests. */
export const EVENTS_PATH = `${VIEWER_PREFIX}events`;
/** Longest time between two looks at the manifest when the event stream is down. */
export const POLL_FALLBACK_MS = 10_000;

/**
 * `live.js`: on the index, listens for new manifests (server-sent events,
 * polling every {@link POLL_FALLBACK_MS} when the stream is down), shows a
 * short notice, swaps in the new report list and figures without a reload,
 * keeps the progress toward the log's target and "updated N minutes ago"
 * current. On a report page, offers a reload when a newer version exists.
 */
export const LIVE_JS = `(function () {
  'use strict';
  var doc = document;
  var body = doc.body;
  if (!body || window.__finopsViewerLive) return;
  window.__finopsViewerLive = true;
  var isIndex = body.classList.contains('index-page') || body.hasAttribute('data-viewer-placeholder');
  var isReport = body.classList.contains('report-page');
  var timeElement = doc.getElementById('generated-at') || doc.querySelector('.report-meta time');
  var current = timeElement ? timeElement.getAttribute('datetime') : null;
  var lastKey = null;
  var pollTimer = null;
  var noticeTimer = null;
  var refreshing = null;
  var POLL_MS = ${POLL_FALLBACK_MS};

  function groupDigits(value) {
    return String(Math.round(value)).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',');
  }
  function formatBytes(bytes) {
    if (bytes >= 1000000) return (bytes / 1000000).toFixed(2).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',') + ' MB';
    if (bytes >= 1000) return groupDigits(bytes / 1000) + ' KB';
    return groupDigits(bytes) + ' bytes';
  }
  function ago(iso) {
    var time = Date.parse(iso || '');
    if (isNaN(time)) return '';
    var minutes = Math.floor(Math.max(0, Date.now() - time) / 60000);
    if (minutes < 1) return 'less than a minute ago';
    if (minutes < 60) return minutes === 1 ? '1 minute ago' : minutes + ' minutes ago';
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return hours === 1 ? '1 hour ago' : hours + ' hours ago';
    return Math.floor(hours / 24) + ' days ago';
  }
  function setText(id, text) {
    var element = doc.getElementById(id);
    if (element && element.textContent !== text) element.textContent = text;
  }
  function refreshAgo() {
    if (current) setText('viewer-updated-ago', ago(current));
  }
  function keyOf(manifest) {
    var file = manifest.data_file || {};
    return manifest.generated_at + ':' + file.bytes + ':' + file.rows_read;
  }

  function showProgress(live) {
    if (!live) return;
    setText('viewer-progress-size', formatBytes(live.fileBytes || 0));
    if (typeof live.loads === 'number') setText('viewer-progress-loads', groupDigits(live.loads));
    setText('viewer-progress-calls', groupDigits(live.rowsRead || 0));
    setText('viewer-progress-state', live.state === 'error' ? 'update failed: ' + (live.error || 'unknown error') : live.state);
    if (typeof live.percent === 'number') {
      setText('viewer-progress-percent', live.percent.toFixed(1) + '%');
      var bar = doc.getElementById('viewer-progress-bar');
      if (bar) {
        bar.value = live.percent;
        bar.textContent = live.percent.toFixed(1) + '%';
      }
    }
  }

  function notify(text) {
    var notice = doc.getElementById('update-notice');
    if (!notice) return;
    notice.textContent = text;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.textContent = ''; }, 15000);
  }

  function replaceById(fresh, id) {
    var now = doc.getElementById(id);
    var next = fresh.getElementById(id);
    if (now && next) now.replaceWith(doc.importNode(next, true));
  }

  function refreshIndex(manifest) {
    if (!doc.querySelector('section.category')) {
      location.reload();
      return;
    }
    var before = doc.getElementById('dataset-rows-read');
    var rowsBefore = before ? Number(before.getAttribute('data-value')) : NaN;
    var url = location.pathname + location.search;
    refreshing = fetch(url, { cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(new Error(String(response.status))); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        var main = doc.getElementById('main');
        var anchor = doc.getElementById('dataset');
        var sections = fresh.querySelectorAll('section.category');
        if (main && anchor && sections.length > 0) {
          doc.querySelectorAll('section.category').forEach(function (section) { section.remove(); });
          sections.forEach(function (section) { main.insertBefore(doc.importNode(section, true), anchor); });
        }
        ['dataset', 'dataset-window', 'dataset-path', 'generated-at', 'viewer-progress'].forEach(function (id) {
          replaceById(fresh, id);
        });
        current = manifest.generated_at;
        var rows = manifest.data_file ? manifest.data_file.rows_read : NaN;
        var text = 'Reports updated: ' + groupDigits(rows) + ' rows';
        if (!isNaN(rowsBefore) && rows > rowsBefore) text += ' (+' + groupDigits(rows - rowsBefore) + ' new)';
        notify(text + '.');
        refreshAgo();
      })
      .catch(function () { /* the next announcement or poll tries again */ lastKey = null; })
      .then(function () { refreshing = null; });
  }

  function offerReload(manifest) {
    if (doc.getElementById('viewer-reload')) {
      setText('viewer-reload-text', 'A newer version of this report is available (' + ago(manifest.generated_at) + ').');
      return;
    }
    var bar = doc.createElement('div');
    bar.id = 'viewer-reload';
    bar.className = 'viewer-reload';
    bar.setAttribute('role', 'status');
    var text = doc.createElement('span');
    text.id = 'viewer-reload-text';
    text.textContent = 'A newer version of this report is available (' + ago(manifest.generated_at) + ').';
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = 'viewer-reload__button';
    button.textContent = 'Reload';
    button.addEventListener('click', function () { location.reload(); });
    bar.appendChild(text);
    bar.appendChild(button);
    body.insertBefore(bar, body.firstChild);
  }

  function announce(data) {
    if (!data) return;
    if (data.live) showProgress(data.live);
    var manifest = data.manifest;
    if (!manifest || !manifest.generated_at) return;
    var key = keyOf(manifest);
    if (lastKey === null) {
      lastKey = key;
      if (manifest.generated_at === current) return;
    } else if (key === lastKey) {
      return;
    }
    lastKey = key;
    if (isIndex) {
      if (refreshing) refreshing.then(function () { refreshIndex(manifest); });
      else refreshIndex(manifest);
    } else if (isReport) {
      offerReload(manifest);
    }
  }

  function getJson(url) {
    return fetch(url, { cache: 'no-store', credentials: 'same-origin' }).then(function (response) {
      return response.ok ? response.json() : null;
    });
  }
  function pollOnce() {
    Promise.all([getJson('/manifest.json'), getJson('/health')])
      .then(function (found) { announce({ manifest: found[0], live: found[1] && found[1].live }); })
      .catch(function () { /* the server is away; try again on the next tick */ });
  }
  function startPolling() {
    if (pollTimer !== null) return;
    pollOnce();
    pollTimer = setInterval(pollOnce, POLL_MS);
  }
  function stopPolling() {
    if (pollTimer === null) return;
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (typeof EventSource === 'undefined') {
      startPolling();
      return;
    }
    var source = new EventSource('${EVENTS_PATH}');
    source.addEventListener('open', stopPolling);
    source.addEventListener('manifest', function (event) {
      stopPolling();
      try { announce(JSON.parse(event.data)); } catch (error) { /* a malformed event is ignored */ }
    });
    source.addEventListener('error', function () {
      startPolling();
      // A closed stream (an error status) is not retried by the browser: try again later.
      if (source.readyState === 2) setTimeout(connect, 30000);
    });
  }

  refreshAgo();
  setInterval(refreshAgo, 30000);
  connect();
})();
`;

/** `live.css`: the progress panel, the "updated" line and the reload bar, in the reports' design tokens. */
export const LIVE_CSS = `.viewer-updated {
  margin: var(--space-2, 0.5rem) 0 0;
  color: var(--color-text-muted, #4b5361);
  font-size: var(--text-sm, 0.875rem);
}

.viewer-progress {
  margin: 0 0 var(--space-5, 1.5rem);
  padding: var(--space-3, 0.75rem) var(--space-4, 1rem);
  border: 1px solid var(--color-border, #cfd5de);
  border-radius: var(--radius, 0.5rem);
  background: var(--color-surface, #ffffff);
}

.viewer-progress h2 {
  margin: 0 0 var(--space-2, 0.5rem);
  font-size: var(--text-lg, 1.125rem);
}

.viewer-progress__figures {
  display: flex;
  flex-wrap: wrap;
  gap: var(--space-2, 0.5rem) var(--space-5, 1.5rem);
  margin: 0 0 var(--space-2, 0.5rem);
  padding: 0;
  list-style: none;
}

.viewer-progress__figures strong {
  font-variant-numeric: tabular-nums;
}

.viewer-progress progress {
  width: 100%;
  height: 0.75rem;
  accent-color: var(--color-accent, #1d4fa3);
}

.viewer-reload {
  position: sticky;
  top: 0;
  z-index: 10;
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  justify-content: center;
  gap: var(--space-3, 0.75rem);
  padding: var(--space-2, 0.5rem) var(--space-4, 1rem);
  background: var(--color-info-bg, #e8f0fc);
  color: var(--color-text, #15181e);
  border-bottom: 1px solid var(--color-border, #cfd5de);
}

.viewer-reload__button {
  font: inherit;
  padding: var(--space-1, 0.25rem) var(--space-3, 0.75rem);
  border: 0;
  border-radius: var(--radius, 0.5rem);
  background: var(--color-accent, #1d4fa3);
  color: var(--color-accent-text, #ffffff);
  cursor: pointer;
}

.viewer-reload__button:focus-visible {
  outline: 3px solid var(--color-focus, #c2410c);
  outline-offset: 2px;
}

@media print {
  .viewer-reload,
  .viewer-progress {
    display: none;
  }
}
`;
