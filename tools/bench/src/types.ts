/** Figures one benchmark case reports. */
export interface BenchFigures {
  /** Wall time in milliseconds of the measured work. */
  wallMs: number;
  /** Bytes processed (printed as MB/s). */
  bytes?: number;
  /** Rows processed (printed as rows/s). */
  rows?: number;
  /** Any further named figures, printed as they are. */
  extra?: Record<string, string | number>;
}

/** Context given to a benchmark. */
export interface BenchContext {
  /** A folder for generated inputs, kept between runs (inputs are reused when present). */
  dataDir: string;
  /** `--key=value` options after the benchmark name. */
  args: Readonly<Record<string, string>>;
  /** Log a progress line to stderr. */
  log(message: string): void;
}

/** One measured case of a benchmark; each runs in a fresh process so that its peak memory is its own. */
export interface BenchCase {
  /** What is measured, e.g. `read + validate, 50 MB unquoted, 1 core`. */
  label: string;
  /** Prepares inputs (in the parent process, not measured). */
  prepare?(context: BenchContext): Promise<void>;
  /** Does the measured work (in a child process) and reports figures. */
  run(context: BenchContext): Promise<BenchFigures>;
}

/** What a case's child process reports: its figures and its own peak memory. */
export interface ChildReport {
  figures: BenchFigures;
  /** Peak resident memory of the child process, bytes. */
  maxRssBytes: number;
}

/** How a benchmark with its own schedule runs its cases. */
export interface BenchRunner {
  /** Runs case `index` of the benchmark in a fresh process, with `args` (`--key=value`) added to its options. */
  runCase(index: number, args?: readonly string[]): Promise<ChildReport>;
  /** Prints a case's report as the default schedule does. */
  print(label: string, report: ChildReport): void;
}

/** A named benchmark of `npm run bench -- <name>`. */
export interface Benchmark {
  name: string;
  description: string;
  cases(context: BenchContext): BenchCase[];
  /**
   * Its own schedule (e.g. rounds of cases run alternately, side by side);
   * without one, each case is prepared, run once and printed in turn.
   */
  run?(context: BenchContext, runner: BenchRunner): Promise<void>;
}
