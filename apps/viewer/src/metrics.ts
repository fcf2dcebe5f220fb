/** Label names and values of one series. */
export type Labels = Readonly<Record<string, string>>;

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Bucket bounds, in seconds, for request, analysis and render durations. */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  return `{${names.map((name) => `${name}="${escapeLabelValue(labels[name] ?? '')}"`).join(',')}}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function checkName(name: string): void {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`not a metric name: ${name}`);
}

/** A value that only goes up (requests served, bytes read). */
export class Counter implements Metric {
  readonly type = 'counter';
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {
    checkName(name);
  }

  /** Adds `amount` (0 or more) to the series of `labels`. */
  inc(labels: Labels = {}, amount = 1): void {
    if (!(amount >= 0)) throw new Error(`${this.name} can only grow, got ${amount}`);
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += amount;
    else this.values.set(key, { labels, value: amount });
  }

  /** The current value of a series (0 when never counted). */
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  lines(): string[] {
    return [...this.values.entries()].map(([key, entry]) => `${this.name}${key} ${numberText(entry.value)}`);
  }
}

/** A value read when scraped (clients connected, bytes behind). */
export class Gauge implements Metric {
  readonly type = 'gauge';
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect?: () => number | undefined,
  ) {
    checkName(name);
  }

  /** Sets the series of `labels`. */
  set(labels: Labels, value: number): void {
    this.values.set(labelText(labels), { labels, value });
  }

  lines(): string[] {
    if (this.collect) {
      const value = this.collect();
      return value === undefined ? [] : [`${this.name} ${numberText(value)}`];
    }
    return [...this.values.entries()].map(([key, entry]) => `${this.name}${key} ${numberText(entry.value)}`);
  }
}

interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram implements Metric {
  readonly type = 'histogram';
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = DURATION_BUCKETS,
  ) {
    checkName(name);
    for (let index = 1; index < buckets.length; index++) {
      if (!((buckets[index] ?? 0) > (buckets[index - 1] ?? 0)))
        throw new Error(`${name}: buckets must increase`);
    }
  }

  /** Counts one observation of `value` in the series of `labels`. */
  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let index = 0; index < this.buckets.length; index++) {
      if (value <= (this.buckets[index] ?? Infinity)) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    }
    entry.sum += value;
    entry.count++;
  }

  /** Observations counted in a series. */
  count(labels: Labels = {}): number {
    return this.series.get(labelText(labels))?.count ?? 0;
  }

  lines(): string[] {
    const lines: string[] = [];
    for (const entry of this.series.values()) {
      this.buckets.forEach((bound, index) => {
        const labels = labelText({ ...entry.labels, le: numberText(bound) });
        lines.push(`${this.name}_bucket${labels} ${entry.counts[index] ?? 0}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}`);
      lines.push(`${this.name}_sum${labelText(entry.labels)} ${numberText(entry.sum)}`);
      lines.push(`${this.name}_count${labelText(entry.labels)} ${entry.count}`);
    }
    return lines;
  }
}

/** A set of metrics written together in the Prometheus text format. */
export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  /** Adds a metric; names are unique. */
  register<T extends Metric>(metric: T): T {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  /** Every metric as Prometheus text (version 0.0.4): HELP, TYPE, then the samples. */
  text(): string {
    const out: string[] = [];
    for (const metric of this.metrics.values()) {
      out.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`);
      out.push(...metric.lines());
    }
    return `${out.join('\n')}\n`;
  }
}
