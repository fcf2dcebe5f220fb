import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYSES, analyzeCosts } from '@finops/analyzers';
import { CallLogParser } from '@finops/schema';
import { ensureBenchLog } from '../generate';
import { timed } from '../measure';
import { parseRounds } from '../side-by-side';
import { analyzeBesideDuckdb, meterFor } from './duckdb-side';
import type { Benchmark, BenchCase, BenchContext, BenchRunner, ChildReport } from '../types';

const MB = 1024 * 1024;

function logFile(sizeMb: number): string {
  // The same inputs as the read benchmark, so that generated files are shared.
  return `read-${sizeMb}mb.csv`;
}

function prepareLog(sizeMb: number): (context: BenchContext) => Promise<void> {
  return async (context) => {
    context.log(`generating ${logFile(sizeMb)} (${sizeMb} MB) if missing`);
    await ensureBenchLog(join(context.dataDir, logFile(sizeMb)), { bytes: sizeMb * MB });
  };
}

/** The schema's parser alone over the same file (no analysis): the floor of the analysis figures. */
function readerCase(sizeMb: number): BenchCase {
  return {
    label: `reader alone (parse + validate), ${sizeMb} MB, 1 core`,
    prepare: prepareLog(sizeMb),
    async run(context) {
      const path = join(context.dataDir, logFile(sizeMb));
      const { size } = await stat(path);
      const cpuBefore = process.cpuUsage();
      const { result, wallMs } = await timed(async () => {
        const parser = new CallLogParser({ source: path });
        const handle = await open(path, 'r');
        const buffer = Buffer.allocUnsafe(1 << 18);
        let position = 0;
        let costMicros = 0;
        try {
          for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
            if (bytesRead === 0) break;
            position += bytesRead;
            parser.push(buffer.subarray(0, bytesRead));
            for (const record of parser.take().records) costMicros += record.costMicros;
          }
        } finally {
          await handle.close();
        }
        parser.end();
        for (const record of parser.take().records) costMicros += record.costMicros;
        return { rows: parser.tally.rowsRead, costMicros };
      });
      const cpu = process.cpuUsage(cpuBefore);
      return {
        wallMs,
        bytes: size,
        rows: result.rows,
        extra: {
          'cpu s': ((cpu.user + cpu.system) / 1e6).toFixed(2),
          'cost ($)': (result.costMicros / 1e6).toFixed(2),
        },
      };
    },
  };
}

/** The first eight analyses: the reference the later ones are measured against (their cost is the time above these). */
const FIRST_EIGHT = ANALYSES.slice(0, 8);

/** Some analyses (all by default) in one pass with `workers` threads. */
function analyzeCase(sizeMb: number, workers: number, analyses: readonly string[] = ANALYSES): BenchCase {
  const which =
    analyses.length === ANALYSES.length ? `all ${analyses.length}` : `the first ${analyses.length}`;
  return {
    label: `${which} analyses, ${sizeMb} MB, ${workers} ${workers === 1 ? 'core' : 'workers'}`,
    prepare: prepareLog(sizeMb),
    async run(context) {
      const path = join(context.dataDir, logFile(sizeMb));
      const { size } = await stat(path);
      const cpuBefore = process.cpuUsage();
      const { result, wallMs } = await timed(() => analyzeCosts(path, { workers, analyses }));
      const cpu = process.cpuUsage(cpuBefore);
      return {
        wallMs,
        bytes: size,
        rows: result.meta.rowsRead,
        extra: {
          // Threads actually used (1 when the built worker entry is missing).
          threads: result.meta.workers,
          'cpu s (all threads)': ((cpu.user + cpu.system) / 1e6).toFixed(2),
          analyses: result.meta.analyses.length,
          customers: result.understanding?.totals.customers ?? 0,
          'cost ($)': (result.understanding?.totals.costUsd ?? 0).toFixed(2),
        },
      };
    },
  };
}

/**
 * All analyses against the first eight on the small log, alternating
 * processes for `rounds` rounds: the ratio of the median wall times is the
 * cost of the analyses added after the eight.
 */
async function allBesideFirstEight(runner: BenchRunner, rounds: number): Promise<void> {
  const all: number[] = [];
  const eight: number[] = [];
  const cpuRatios: number[] = [];
  const cpuOf = (report: ChildReport): number => Number(report.figures.extra?.['cpu s (all threads)']);
  for (let round = 0; round < rounds; round++) {
    // Which goes first alternates, so that neither always runs on a machine the other has just warmed.
    const [first, second] = round % 2 === 0 ? [1, 2] : [2, 1];
    const reports = new Map([
      [first, await runner.runCase(first)],
      [second, await runner.runCase(second)],
    ]);
    const allReport = reports.get(1) as ChildReport;
    const eightReport = reports.get(2) as ChildReport;
    all.push(allReport.figures.wallMs);
    eight.push(eightReport.figures.wallMs);
    cpuRatios.push(cpuOf(allReport) / cpuOf(eightReport));
  }
  const median = (values: number[]): number => {
    const sorted = values.slice().sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  };
  const ratio = median(all) / median(eight);
  console.log(
    `all ${ANALYSES.length} analyses / the first ${FIRST_EIGHT.length}, side by side over ${rounds} rounds: ` +
      `${median(all).toFixed(0)} ms / ${median(eight).toFixed(0)} ms = ${ratio.toFixed(3)} ` +
      `(+${((ratio - 1) * 100).toFixed(1)} %; bar: at most +30 %)`,
  );
  const cpuRatio = median(cpuRatios);
  console.log(
    `    by processor time (less disturbed by other work on the machine), median of ${rounds} pairwise ratios: ` +
      `${cpuRatio.toFixed(3)} (+${((cpuRatio - 1) * 100).toFixed(1)} %; rounds: ${cpuRatios.map((value) => value.toFixed(2)).join(' ')})`,
  );
}

/**
 * Throughput and peak memory of `analyzeCosts` (all eight analyses, one
 * pass) on generated unquoted logs: 50 MB on one core and 500 MB with 1
 * and 2 workers, each size beside the schema's reader alone (the floor). Memory should stay flat from
 * 50 MB to 500 MB: the groups (customers, days, models) are the same.
 * Then, in the same run, `finops analyze --json` on the small log against
 * DuckDB's one GROUP BY over it, alternating whole processes (`--rounds`).
 */
const benchmark: Benchmark = {
  name: 'analyze',
  description:
    'All analyses in one pass, and beside the first eight on 50 MB; all: 50 MB on one core, 500 MB with 1 and 2 workers; then finops analyze vs DuckDB on 50 MB (--rounds=N)',
  cases(context) {
    const small = Number(context.args['size-mb'] ?? 50);
    const large = Number(context.args['large-mb'] ?? 500);
    return [
      readerCase(small),
      analyzeCase(small, 1),
      analyzeCase(small, 1, FIRST_EIGHT),
      readerCase(large),
      analyzeCase(large, 1),
      analyzeCase(large, 2),
    ];
  },
  async run(context, runner) {
    const cases = this.cases(context);
    for (const [index, benchCase] of cases.entries()) {
      await benchCase.prepare?.(context);
      runner.print(benchCase.label, await runner.runCase(index));
    }
    const small = Number(context.args['size-mb'] ?? 50);
    await allBesideFirstEight(runner, parseRounds(context.args['rounds']));
    await analyzeBesideDuckdb(
      context,
      await meterFor(context),
      small,
      parseRounds(context.args['rounds']),
      [],
    );
  },
};

export default benchmark;
