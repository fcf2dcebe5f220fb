import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startViewer, type RunningViewer } from '../src/app';
import { Counter, Gauge, Histogram, MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../src/metrics';
import { routeOf } from '../src/viewer-metrics';
import { append, csvRows, documentBuilder, eventually, sample, tempDir, writeLog } from './support/fixtures';

describe('the Prometheus text format', () => {
  it('writes HELP, TYPE and samples with escaped, sorted labels', () => {
    const registry = new MetricsRegistry();
    const counter = registry.register(new Counter('demo_requests_total', 'Requests.\nSecond line \\ here.'));
    counter.inc({ route: '/', status: '200' });
    counter.inc({ status: '200', route: '/' }, 2);
    counter.inc({ route: 'say "hi"\n', status: '404' });
    registry.register(new Gauge('demo_clients', 'Clients.', () => 3));
    expect(registry.text()).toBe(
      [
        '# HELP demo_requests_total Requests.\\nSecond line \\\\ here.',
        '# TYPE demo_requests_total counter',
        'demo_requests_total{route="/",status="200"} 3',
        'demo_requests_total{route="say \\"hi\\"\\n",status="404"} 1',
        '# HELP demo_clients Clients.',
        '# TYPE demo_clients gauge',
        'demo_clients 3',
        '',
      ].join('\n'),
    );
    expect(counter.get({ route: '/', status: '200' })).toBe(3);
  });

  it('writes histograms as cumulative buckets, +Inf, sum and count', () => {
    const registry = new MetricsRegistry();
    const histogram = registry.register(new Histogram('demo_seconds', 'Durations.', [0.1, 1]));
    histogram.observe(0.05, { kind: 'append' });
    histogram.observe(0.5, { kind: 'append' });
    histogram.observe(3, { kind: 'append' });
    expect(registry.text().split('\n').slice(2, 7)).toEqual([
      'demo_seconds_bucket{kind="append",le="0.1"} 1',
      'demo_seconds_bucket{kind="append",le="1"} 2',
      'demo_seconds_bucket{kind="append",le="+Inf"} 3',
      'demo_seconds_sum{kind="append"} 3.55',
      'demo_seconds_count{kind="append"} 3',
    ]);
    expect(histogram.count({ kind: 'append' })).toBe(3);
  });

  it('refuses bad names, shrinking counters, unsorted buckets and duplicates', () => {
    expect(() => new Counter('bad name', 'x')).toThrow(/not a metric name/);
    expect(() => new Counter('ok_total', 'x').inc({}, -1)).toThrow(/can only grow/);
    expect(() => new Histogram('h', 'x', [1, 0.5])).toThrow(/buckets must increase/);
    const registry = new MetricsRegistry();
    registry.register(new Gauge('g', 'x'));
    expect(() => registry.register(new Gauge('g', 'x'))).toThrow(/registered twice/);
  });
});

describe('route labels', () => {
  it.each([
    ['/', '/'],
    ['/index.html', '/'],
    ['/pricing.html', '/<report>.html'],
    ['/assets/chart.umd.js', '/assets/*'],
    ['/manifest.json', '/manifest.json'],
    ['/health', '/health'],
    ['/metrics', '/metrics'],
    ['/_viewer/events', '/_viewer/events'],
    ['/_viewer/live.js', '/_viewer/*'],
    ['/wp-admin/x.php', 'other'],
  ])('%s is %s', (path, route) => {
    expect(routeOf(path)).toBe(route);
  });
});

describe('/metrics of a live viewer', () => {
  let dir: string;
  let viewer: RunningViewer;
  let origin: string;

  beforeAll(async () => {
    dir = await tempDir('finops-viewer-metrics-');
    await writeLog(join(dir, 'calls.csv'), 40);
    viewer = await startViewer(
      {
        host: '127.0.0.1',
        port: 0,
        dir: join(dir, 'reports'),
        watch: join(dir, 'calls.csv'),
        debounceMs: 20,
        rateLimit: 0,
        rateBurst: 1,
      },
      () => undefined,
      documentBuilder(),
    );
    origin = viewer.url.replace(/\/$/, '');
    await eventually(
      async () => ((await fetch(`${origin}/manifest.json`)).ok ? true : undefined),
      10_000,
      'reports',
    );
  });
  afterAll(async () => {
    await viewer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts requests by route and status, updates, rows and bytes read, and event-stream clients', async () => {
    await fetch(`${origin}/`);
    await fetch(`${origin}/pricing.html`);
    await fetch(`${origin}/nothing-here.txt`);
    const controller = new AbortController();
    const stream = await fetch(`${origin}/_viewer/events`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    await eventually(() => (viewer.server.eventClients === 1 ? true : undefined), 5000, 'the client');
    const bytes = await append(join(dir, 'calls.csv'), csvRows(40, 55));
    await eventually(() => (viewer.live?.status().updates === 2 ? true : undefined), 10_000, 'the append');

    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    const text = await response.text();
    expect(sample(text, 'finops_viewer_http_requests_total{method="GET",route="/",status="200"}')).toBe(1);
    expect(
      sample(text, 'finops_viewer_http_requests_total{method="GET",route="/<report>.html",status="200"}'),
    ).toBe(1);
    expect(sample(text, 'finops_viewer_http_requests_total{method="GET",route="other",status="404"}')).toBe(
      1,
    );
    expect(sample(text, 'finops_viewer_http_request_duration_seconds_count{route="/"}')).toBe(1);
    expect(sample(text, 'finops_viewer_sse_clients')).toBe(1);
    expect(sample(text, 'finops_viewer_live_updates_total{kind="initial"}')).toBe(1);
    expect(sample(text, 'finops_viewer_live_updates_total{kind="append"}')).toBe(1);
    expect(sample(text, 'finops_viewer_analysis_duration_seconds_count{kind="append"}')).toBe(1);
    expect(sample(text, 'finops_viewer_render_duration_seconds_count')).toBe(2);
    expect(sample(text, 'finops_viewer_rows_read_total')).toBe(55);
    const status = viewer.live?.status();
    expect(sample(text, 'finops_viewer_bytes_read_total')).toBe(status?.bytesReadTotal);
    expect(status?.lastUpdate?.newBytes).toBe(bytes);
    expect(sample(text, 'finops_viewer_live_lag_bytes')).toBe(0);
    expect(sample(text, 'finops_viewer_live_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    controller.abort();
    await eventually(
      () => (viewer.server.eventClients === 0 ? true : undefined),
      5000,
      'the client to leave',
    );
  });

  it('shows bytes written to the log and not analysed yet as lag', async () => {
    await viewer.live?.stop();
    await append(join(dir, 'calls.csv'), csvRows(55, 60));
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(sample(text, 'finops_viewer_live_lag_bytes')).toBeGreaterThan(0);
  });
});
