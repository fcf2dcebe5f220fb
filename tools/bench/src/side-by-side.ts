import { median, pairedSpeedRatios, type RatioSummary } from './compare';
import type { ProcessRun } from './processes';
import type { ChildReport } from './types';

/** `--rounds=N`: a whole number of at least 1 (`fallback` when absent). */
export function parseRounds(text: string | undefined, fallback = 5): number {
  if (text === undefined) return fallback;
  const rounds = Number(text);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a whole number of at least 1, not "${text}"`);
  return rounds;
}

/** `--sizes=50,500`: positive sizes in MB, in the order given, without repeats. */
export function parseSizes(text: string | undefined, fallback: readonly number[]): number[] {
  if (text === undefined) return [...fallback];
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || sizes.some((size) => !Number.isFinite(size) || size <= 0))
    throw new Error(
      `--sizes must be positive sizes in MB separated by commas, such as 50,500, not "${text}"`,
    );
  return [...new Set(sizes)];
}

/**
 * The order the sides run in, round by round: every side once a round, the
 * order rotated by one each round, so that no side always goes first (with
 * two sides: A B, B A, A B, ...).
 */
export function alternatingSchedule(rounds: number, sides: number): number[][] {
  return Array.from({ length: rounds }, (_, round) =>
    Array.from({ length: sides }, (_, slot) => (slot + round) % sides),
  );
}

/** A whole-process run as the comparison helpers take it: the same `bytes` of work for every side. */
export function asReport(run: ProcessRun, bytes: number): ChildReport {
  return { figures: { wallMs: run.wallMs, bytes }, maxRssBytes: run.peakRssBytes };
}

/** One side's medians over its runs. */
export interface SideSummary {
  wallSeconds: number;
  mbPerSecond: number;
  peakRssMb: number;
}

const MB = 1024 * 1024;

/** The median wall time, MiB/s and peak RSS of one side's runs. */
export function summarizeSide(runs: readonly ChildReport[]): SideSummary {
  if (runs.length === 0) throw new RangeError('a side with no runs');
  return {
    wallSeconds: median(runs.map((run) => run.figures.wallMs)) / 1000,
    mbPerSecond: median(runs.map((run) => (run.figures.bytes ?? 0) / MB / (run.figures.wallMs / 1000))),
    peakRssMb: median(runs.map((run) => run.maxRssBytes)) / MB,
  };
}

/**
 * Time ratios `subject / reference` of runs paired by round (how many times
 * the reference's time the subject takes): the inverse of the speed ratio.
 */
export function pairedTimeRatios(
  subject: readonly ChildReport[],
  reference: readonly ChildReport[],
): RatioSummary {
  const speed = pairedSpeedRatios(subject, reference);
  const ratios = speed.ratios.map((ratio) => 1 / ratio);
  return { ratios, median: median(ratios), lowest: Math.min(...ratios), highest: Math.max(...ratios) };
}

function decimal(value: number, digits: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A side's medians as one line: `name  1.06 s · 47.2 MB/s · peak RSS 144 MB`. */
export function sideLine(name: string, summary: SideSummary, width = 40): string {
  return (
    `    ${name.padEnd(width)} ${decimal(summary.wallSeconds, 2)} s · ${decimal(summary.mbPerSecond, 1)} MB/s · ` +
    `peak RSS ${decimal(summary.peakRssMb, 0)} MB`
  );
}

/** `×1.74 (median of 5 pairwise ratios, 1.61–1.92)`. */
export function ratioText(summary: RatioSummary): string {
  const range =
    summary.ratios.length > 1 ? `, ${decimal(summary.lowest, 2)}–${decimal(summary.highest, 2)}` : '';
  const count = summary.ratios.length;
  return `×${decimal(summary.median, 2)} (median of ${count} pairwise ratio${count === 1 ? '' : 's'}${range})`;
}

/** `×1.74 the reference's time (median of 5 pairwise ratios, 1.61–1.92)`. */
export function ratioLine(summary: RatioSummary, reference: string): string {
  return ratioText(summary).replace(' (', ` ${reference}'s time (`);
}
