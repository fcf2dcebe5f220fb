/**
 * A small analysis written the way any analysis is: a definition with its
 * settings, the grouping it reads, a finish step and a document. It lives
 * here, outside the analyzers package, to show that adding an analysis
 * needs no change anywhere else: the store fills its grouping by the generic
 * path, workers fill it from the grouping's declaration alone.
 */
import {
  type AggregateReader,
  type AnalysisMeta,
  defineAnalysis,
  grouping,
  integer,
  reportSource,
  reportWindow,
  setting,
} from '@finops/analyzers';
import { formatUsd } from '@finops/schema';

/** Calls, cost and latency per provider × hour of day. */
export const PROVIDER_HOUR = grouping({
  name: 'providerHour',
  dimensions: ['provider', 'hour'],
  measures: [
    'calls',
    'cost',
    'latencySum',
    'timedCalls',
    { name: 'fast', countLatencyAtMost: 'peakHours.fastMs' },
  ],
  histograms: ['latency'],
});

/** The settings of the peak-hours analysis. */
export interface PeakHoursSettings {
  /** Hours listed. */
  top: number;
  /** A call at or under this latency (ms) is fast. */
  fastMs: number;
}

/** One hour of the day with its calls, cost and fast calls. */
export interface PeakHour {
  hour: number;
  calls: number;
  costMicros: number;
  fastCalls: number;
}

/** The result: every hour of the day, and the busiest ones by cost. */
export interface PeakHoursResult {
  hours: PeakHour[];
  busiest: PeakHour[];
  /** Per provider, the hour it cost most in. */
  peakByProvider: { provider: string; hour: number; costMicros: number }[];
}

function finishPeakHours(aggregates: AggregateReader, settings: PeakHoursSettings): PeakHoursResult {
  const table = aggregates.grouping('providerHour');
  const providers = aggregates.values('provider');
  const cellProvider = table.keys('provider');
  const cellHour = table.keys('hour');
  const hours: PeakHour[] = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    calls: 0,
    costMicros: 0,
    fastCalls: 0,
  }));
  const peaks = new Map<number, { hour: number; costMicros: number }>();
  for (let cell = 0; cell < table.size; cell++) {
    const hour = hours[cellHour[cell] as number] as PeakHour;
    const cost = table.measure('cost')[cell] as number;
    hour.calls += table.measure('calls')[cell] as number;
    hour.costMicros += cost;
    hour.fastCalls += table.measure('fast')[cell] as number;
    const provider = cellProvider[cell] as number;
    const peak = peaks.get(provider);
    if (peak === undefined || cost > peak.costMicros)
      peaks.set(provider, { hour: hour.hour, costMicros: cost });
  }
  return {
    hours,
    busiest: hours
      .filter((hour) => hour.calls > 0)
      .sort((a, b) => b.costMicros - a.costMicros || a.hour - b.hour)
      .slice(0, settings.top),
    peakByProvider: [...peaks].map(([provider, peak]) => ({
      provider: providers[provider] as string,
      ...peak,
    })),
  };
}

function peakHoursDocument(result: PeakHoursResult, meta: AnalysisMeta) {
  return {
    id: PEAK_HOURS.name,
    title: PEAK_HOURS.title,
    purpose: PEAK_HOURS.purpose,
    category: PEAK_HOURS.category,
    window: reportWindow(meta),
    source: reportSource(meta),
    metrics: [{ label: 'Busiest hour (UTC)', value: String(result.busiest[0]?.hour ?? '–') }],
    sections: [
      {
        title: 'Busiest hours',
        blocks: [
          {
            kind: 'table' as const,
            columns: [
              { label: 'Hour (UTC)', format: 'number' as const },
              { label: 'Calls', format: 'number' as const },
              { label: 'Cost', format: 'text' as const },
            ],
            rows: result.busiest.map((hour) => [hour.hour, hour.calls, formatUsd(hour.costMicros)]),
          },
        ],
      },
    ],
  };
}

/** The peak-hours analysis: which hours of the day the AI money is spent in. */
export const PEAK_HOURS = defineAnalysis<'peakHours', PeakHoursSettings, PeakHoursResult>({
  name: 'peakHours',
  title: 'Peak Hours',
  category: 'finops',
  purpose: 'Which hours of the day (UTC) the AI money is spent in, and each provider’s dearest hour.',
  settings: {
    top: setting(3, integer({ min: 1 }), 'Hours listed.'),
    fastMs: setting(1000, integer({ min: 0 }), 'A call at or under this latency (ms) is fast.'),
  },
  groupings: [PROVIDER_HOUR],
  finish: (context, settings) => finishPeakHours(context.aggregates, settings),
  document: peakHoursDocument,
});
