/**
 * Forecasts of daily cost: a least-squares line through the complete days of
 * the window, projected with a prediction interval. A shared computation
 * with its users declared below.
 */
import { MS_PER_DAY, MS_PER_HOUR } from '@finops/schema';
import type { AnalysisName } from '../analyses/registry';

/** The analyses that use this module (a test holds this list to their imports). */
export const FORECAST_USERS: readonly AnalysisName[] = ['understanding'];

/** One projection of the forecast. */
export interface ForecastHorizon {
  expectedUsd: number;
  lowUsd: number;
  highUsd: number;
}

const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Two-sided Student t critical value for a confidence (exact table for 95 %, normal approximation otherwise). */
function tCritical(confidence: number, degrees: number): number {
  if (Math.abs(confidence - 0.95) < 1e-9)
    return degrees <= 30 ? (T_975[degrees - 1] as number) : 1.96 + 2.4 / degrees;
  // Normal quantile by Acklam's rational approximation, widened for small samples.
  const p = 1 - (1 - confidence) / 2;
  const q = Math.sqrt(-2 * Math.log(1 - p));
  const z =
    q -
    (2.515517 + 0.802853 * q + 0.010328 * q * q) /
      (1 + 1.432788 * q + 0.189269 * q * q + 0.001308 * q * q * q);
  return z * (1 + (z * z + 1) / (4 * degrees));
}

/**
 * Least-squares line through the daily cost (day index → USD), projected over
 * the next `horizon` days, with a prediction interval for the sum. The points
 * are days `offset`, `offset + 1`, … and the projection starts at day `from`
 * (the day after the window, by default right after the points). A line that
 * falls below zero within a horizon counts as zero from there on.
 */
export function forecastDaily(
  dailyUsd: readonly number[],
  horizons: readonly number[],
  confidence: number,
  placement: { offset?: number; from?: number } = {},
) {
  const n = dailyUsd.length;
  const offset = placement.offset ?? 0;
  const from = placement.from ?? offset + n;
  const total = dailyUsd.reduce((sum, value) => sum + value, 0);
  const mean = n === 0 ? 0 : total / n;
  if (n < 3) {
    return {
      slope: 0,
      projections: horizons.map((h) => ({ expectedUsd: mean * h, lowUsd: mean * h, highUsd: mean * h })),
    };
  }
  const xMean = offset + (n - 1) / 2;
  let sxx = 0;
  let sxy = 0;
  for (let index = 0; index < n; index++) {
    const x = offset + index;
    sxx += (x - xMean) ** 2;
    sxy += (x - xMean) * ((dailyUsd[index] as number) - mean);
  }
  const slope = sxy / sxx;
  const intercept = mean - slope * xMean;
  let sse = 0;
  for (let index = 0; index < n; index++)
    sse += ((dailyUsd[index] as number) - (intercept + slope * (offset + index))) ** 2;
  const s = Math.sqrt(sse / (n - 2));
  const t = tCritical(confidence, n - 2);
  const projections = horizons.map((h) => {
    // Sum over x = from … from + h − 1 of the fitted line (never below zero a day), and the variance
    // of that sum's prediction error.
    let expected = 0;
    for (let x = from; x < from + h; x++) expected += Math.max(0, intercept + slope * x);
    const sumX = h * from + (h * (h - 1)) / 2;
    const sumDeviation = sumX - h * xMean;
    const se = s * Math.sqrt(h + (h * h) / n + (sumDeviation * sumDeviation) / sxx);
    return {
      expectedUsd: expected,
      lowUsd: Math.max(0, expected - t * se),
      highUsd: Math.max(0, expected + t * se),
    };
  });
  return { slope, projections };
}

/**
 * The days the forecast rests on: the window's days less a first or last day
 * that the log covers only in part (its first call over an hour after the
 * day began, or its last call over an hour before it ended) and that cost
 * under half of its neighbour — a log cut mid-day, not a quiet day.
 */
export function completeDays(
  dailyMicros: readonly number[],
  firstMs: number,
  lastMs: number,
): { offset: number; days: number[] } {
  let start = 0;
  let end = dailyMicros.length;
  if (end - start >= 7) {
    const startsLate = firstMs - Math.floor(firstMs / MS_PER_DAY) * MS_PER_DAY > MS_PER_HOUR;
    if (startsLate && (dailyMicros[0] as number) * 2 < (dailyMicros[1] as number)) start = 1;
    const endsEarly = Math.floor(lastMs / MS_PER_DAY) * MS_PER_DAY + MS_PER_DAY - lastMs > MS_PER_HOUR;
    if (endsEarly && (dailyMicros[end - 1] as number) * 2 < (dailyMicros[end - 2] as number)) end -= 1;
  }
  return { offset: start, days: dailyMicros.slice(start, end) };
}
