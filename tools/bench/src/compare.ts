import type { ChildReport } from './types';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** Throughput figures of one measured run. */
export interface RunRates {
  /** MiB per second of the file read. */
  mbPerSecond: number;
  /** Rows per second. */
  rowsPerSecond: number;
  /** Peak resident memory of the process, bytes. */
  peakRssBytes: number;
}

const MB = 1024 * 1024;

/** The rates of one run from what its child process reported. */
export function ratesOf(report: ChildReport): RunRates {
  const seconds = report.figures.wallMs / 1000;
  return {
    mbPerSecond: (report.figures.bytes ?? 0) / MB / seconds,
    rowsPerSecond: (report.figures.rows ?? 0) / seconds,
    peakRssBytes: report.maxRssBytes,
  };
}

/** The median of each rate over several runs of one side. */
export function medianRates(reports: readonly ChildReport[]): RunRates {
  const rates = reports.map(ratesOf);
  return {
    mbPerSecond: median(rates.map((rate) => rate.mbPerSecond)),
    rowsPerSecond: median(rates.map((rate) => rate.rowsPerSecond)),
    peakRssBytes: median(rates.map((rate) => rate.peakRssBytes)),
  };
}

/** Pairwise ratios of runs measured in the same round, summarised. */
export interface RatioSummary {
  /** Each round's ratio, in round order. */
  ratios: number[];
  median: number;
  lowest: number;
  highest: number;
}

/**
 * Speed ratios `subject / reference` of runs paired by round: work per
 * second of the subject over work per second of the reference in the same
 * round, which is the reference's wall time over the subject's when both
 * do the same work. Pairing by round cancels out the machine's drift
 * between rounds; the median is robust to one disturbed round.
 *
 * @param subject runs of the side measured, one per round
 * @param reference runs of the side compared against, one per round
 * @param work what one run's work is (bytes, rows, ...); wall time alone by default
 */
export function pairedSpeedRatios(
  subject: readonly ChildReport[],
  reference: readonly ChildReport[],
  work: (report: ChildReport) => number = () => 1,
): RatioSummary {
  if (subject.length !== reference.length || subject.length === 0)
    throw new RangeError(`pairing ${subject.length} runs with ${reference.length}`);
  const ratios = subject.map((run, round) => {
    const other = reference[round] as ChildReport;
    return work(run) / run.figures.wallMs / (work(other) / other.figures.wallMs);
  });
  return { ratios, median: median(ratios), lowest: Math.min(...ratios), highest: Math.max(...ratios) };
}

/** Whether round `round` (from 0) runs the baseline first: alternately, so neither side always goes first. */
export function baselineGoesFirst(round: number): boolean {
  return round % 2 === 0;
}
