import type { Aggregate } from './aggregate';
import { modelOf, numberOf } from './aggregate';

/** Calls per fixed-width latency bin per model (the chart's bins; the last one takes everything above). */
export const modelLatencyBins: Aggregate = {
  name: 'model-latency-bins',
  query: (scope, builder) => ({
    sql: `SELECT provider, model, least(intDiv(latency_ms, {bin_ms:UInt64}), {last_bin:UInt64}) AS bin, sum(calls) AS count ${scope.from} AND latency_ms IS NOT NULL GROUP BY provider, model, bin`,
    params: {
      ...scope.params,
      bin_ms: builder.settings.latencyBinMs,
      last_bin: builder.settings.latencyBinCount - 1,
    },
  }),
  fold(builder, row) {
    const bins = builder.modelLatencyBins[modelOf(builder, row)] as number[];
    const bin = numberOf(row, 'bin');
    bins[bin] = (bins[bin] as number) + numberOf(row, 'count');
  },
};
