import type { Output } from './output';

/** One progress reading: how far, out of how much, and what to say beside the bar. */
export interface ProgressReading {
  /** Done so far, in the unit of `total` (e.g. bytes). */
  done: number;
  /** The goal, when known. */
  total?: number;
  /** Figures shown after the bar, e.g. `212,345 calls · 510K calls/s`. */
  detail: string;
}

/**
 * Draws progress on stderr: a bar redrawn in place on a terminal (at most ten
 * times a second), a plain line at each tenth of the way otherwise, nothing
 * when quiet.
 */
export class ProgressReporter {
  private lastDraw = -Infinity;
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly output: Output,
    private readonly label: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Shows a reading. */
  update(reading: ProgressReading): void {
    if (this.output.quiet) return;
    const fraction = reading.total ? Math.min(1, reading.done / reading.total) : undefined;
    if (this.output.interactive) {
      const time = this.now();
      if (time - this.lastDraw < 100 && fraction !== 1) return;
      this.lastDraw = time;
      const width = 24;
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '-')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      process.stderr.write(`\r\u001b[2K${this.label} ${bar}${reading.detail}`);
      this.drawn = true;
      return;
    }
    const decile = fraction === undefined ? -1 : Math.floor(fraction * 10);
    if (fraction !== undefined && decile <= this.lastDecile) return;
    this.lastDecile = decile;
    const percent = fraction === undefined ? '' : ` ${(fraction * 100).toFixed(0)}%`;
    this.output.err(`${this.label}${percent} ${reading.detail}`);
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.drawn) process.stderr.write('\n');
    this.drawn = false;
  }
}

/** `12.3 MB` from bytes (decimal megabytes, as size targets are given). */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * `1,234,567`. Grouped by hand: the first `toLocaleString` call loads the
 * number formats (about 50 ms), and progress details are built on every
 * update, even when nothing is drawn.
 */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${digits}` : digits;
}

/** `512K/s` style rate. */
export function formatRate(perSecond: number, unit: string): string {
  if (perSecond >= 1_000_000) return `${(perSecond / 1_000_000).toFixed(1)}M ${unit}/s`;
  if (perSecond >= 1_000) return `${(perSecond / 1_000).toFixed(0)}K ${unit}/s`;
  return `${perSecond.toFixed(0)} ${unit}/s`;
}
