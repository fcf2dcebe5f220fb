import type { LiveSource, LiveUpdate } from './live';
import { Counter, Gauge, Histogram, MetricsRegistry } from './metrics';

/** The route label of a request path: a handful of fixed values, so the series stay few. */
export function routeOf(pathname: string): string {
  if (pathname === '/' || pathname === '/index.html') return '/';
  if (pathname === '/manifest.json' || pathname === '/health' || pathname === '/metrics') return pathname;
  if (pathname === '/_viewer/events') return pathname;
  if (pathname.startsWith('/_viewer/')) return '/_viewer/*';
  if (pathname.startsWith('/assets/')) return '/assets/*';
  if (/^\/[A-Za-z0-9_-]+\.html$/.test(pathname)) return '/<report>.html';
  return 'other';
}

/** What the viewer measures, exposed at `/metrics`. */
export class ViewerMetrics {
  readonly registry = new MetricsRegistry();
  readonly requests = this.registry.register(
    new Counter('finops_viewer_http_requests_total', 'HTTP requests answered, by route, method and status.'),
  );
  readonly requestSeconds = this.registry.register(
    new Histogram(
      'finops_viewer_http_request_duration_seconds',
      'Time to answer an HTTP request (event streams excluded), by route.',
    ),
  );
  readonly analysisSeconds = this.registry.register(
    new Histogram(
      'finops_viewer_analysis_duration_seconds',
      'Time an update spent reading and analysing the log, by kind (initial, reuse, append, reset).',
    ),
  );
  readonly renderSeconds = this.registry.register(
    new Histogram(
      'finops_viewer_render_duration_seconds',
      'Time an update spent rendering and writing the reports.',
    ),
  );
  readonly updates = this.registry.register(
    new Counter('finops_viewer_live_updates_total', 'Live-mode updates done, by kind.'),
  );
  readonly failures = this.registry.register(
    new Counter(
      'finops_viewer_live_update_failures_total',
      'Live-mode updates that failed (the reports stayed).',
    ),
  );
  readonly rowsRead = this.registry.register(
    new Counter(
      'finops_viewer_rows_read_total',
      'Rows read by live-mode updates (log rows, or rows of new loads of a ClickHouse table).',
    ),
  );
  readonly bytesRead = this.registry.register(
    new Counter('finops_viewer_bytes_read_total', 'Log bytes read by live-mode updates.'),
  );
  readonly lagBytes = this.registry.register(
    new Gauge('finops_viewer_live_lag_bytes', 'Bytes of the watched log not yet in the served reports.'),
  );
  readonly lagSeconds = this.registry.register(
    new Gauge(
      'finops_viewer_live_lag_seconds',
      'From the last write to the log (the commit of the newest load of a table) to the moment its reports were served, at the last update.',
    ),
  );
  readonly lagLoads = this.registry.register(
    new Gauge(
      'finops_viewer_live_lag_loads',
      'Loads committed to the ClickHouse table and not yet in the served reports.',
    ),
  );
  readonly lagRows = this.registry.register(
    new Gauge('finops_viewer_live_lag_rows', 'Rows of those loads (ClickHouse).'),
  );
  readonly pendingSeconds = this.registry.register(
    new Gauge(
      'finops_viewer_live_pending_seconds',
      'Age of the oldest load not yet in the served reports, 0 when there is none (ClickHouse).',
    ),
  );
  readonly eventClients: Gauge;
  private readonly startSeconds = Date.now() / 1000;

  constructor(
    private readonly live: LiveSource | undefined,
    eventClients: () => number,
  ) {
    this.eventClients = this.registry.register(
      new Gauge('finops_viewer_sse_clients', 'Browsers connected to the event stream.', eventClients),
    );
    this.registry.register(
      new Gauge(
        'process_resident_memory_bytes',
        'Resident memory of the viewer process.',
        () => process.memoryUsage().rss,
      ),
    );
    this.registry.register(
      new Gauge('nodejs_heap_used_bytes', 'JavaScript heap in use.', () => process.memoryUsage().heapUsed),
    );
    this.registry.register(
      new Gauge(
        'process_start_time_seconds',
        'When the viewer started, in seconds since the epoch.',
        () => this.startSeconds,
      ),
    );
    live?.on('update', this.onUpdate);
    live?.on('error', this.onError);
  }

  private readonly onUpdate = (update: LiveUpdate): void => this.recordUpdate(update);
  private readonly onError = (): void => this.failures.inc();

  /** Stops listening to live mode. */
  detach(): void {
    this.live?.off('update', this.onUpdate);
    this.live?.off('error', this.onError);
  }

  /** Counts one answered request. */
  recordRequest(route: string, method: string, status: number, seconds: number | undefined): void {
    this.requests.inc({ route, method, status: String(status) });
    if (seconds !== undefined) this.requestSeconds.observe(seconds, { route });
  }

  /** Counts one live-mode update. */
  recordUpdate(update: LiveUpdate): void {
    this.updates.inc({ kind: update.kind });
    this.analysisSeconds.observe(update.analysisMs / 1000, { kind: update.kind });
    if (update.rendered) this.renderSeconds.observe(update.renderMs / 1000);
    this.rowsRead.inc({}, Math.max(0, update.newRows));
    this.bytesRead.inc({}, update.bytesRead);
    this.lagSeconds.set({}, update.lagMs / 1000);
  }

  /**
   * The metrics as Prometheus text; in live mode the data is looked at
   * first, for the lag (the log's size, or the loads committed since the
   * last update). A lag that cannot be measured now keeps its last value.
   */
  async text(): Promise<string> {
    const lag = await this.live?.lag().catch(() => undefined);
    if (lag?.bytes !== undefined) this.lagBytes.set({}, lag.bytes);
    if (lag?.loads !== undefined) this.lagLoads.set({}, lag.loads);
    if (lag?.rows !== undefined) this.lagRows.set({}, lag.rows);
    if (lag?.pendingSeconds !== undefined) this.pendingSeconds.set({}, lag.pendingSeconds);
    return this.registry.text();
  }
}
