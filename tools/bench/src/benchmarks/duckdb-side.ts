import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../compare';
import { groupByQuery } from '../duckdb';
import { ensureBenchLog } from '../generate';
import { ProcessMeter, probeResult, type ProcessRun } from '../processes';
import {
  alternatingSchedule,
  asReport,
  pairedTimeRatios,
  ratioLine,
  sideLine,
  summarizeSide,
} from '../side-by-side';
import type { BenchContext, ChildReport } from '../types';

const MB = 1024 * 1024;
/** The built bench entry's folder (tools/bench/dist), beside which the probes are built. */
const here = dirname(fileURLToPath(import.meta.url));
const cliEntry = resolve(here, '..', '..', '..', 'apps', 'cli', 'dist', 'main.js');

/** The built probe script `name` (a process measured whole). */
function probe(name: string): string {
  return join(here, 'probes', `${name}.js`);
}

/** One side of a comparison: a Node command run as a whole process. */
interface Side {
  name: string;
  args: string[];
  captureStdout?: boolean;
}

/** The generated log of `sizeMb` MB shared with the read and analyze benchmarks. */
export async function benchLog(
  context: BenchContext,
  sizeMb: number,
): Promise<{ path: string; bytes: number }> {
  const path = join(context.dataDir, `read-${sizeMb}mb.csv`);
  context.log(`generating read-${sizeMb}mb.csv (${sizeMb} MB) if missing`);
  const bytes = await ensureBenchLog(path, { bytes: sizeMb * MB });
  return { path, bytes };
}

/** Runs the sides for `rounds` rounds in alternating order; each side's runs in round order. */
async function alternate(
  context: BenchContext,
  meter: ProcessMeter,
  sides: readonly Side[],
  rounds: number,
): Promise<ProcessRun[][]> {
  const runs: ProcessRun[][] = sides.map(() => []);
  for (const [round, order] of alternatingSchedule(rounds, sides.length).entries()) {
    context.log(`round ${round + 1} of ${rounds}`);
    for (const index of order) {
      const side = sides[index] as Side;
      runs[index]?.push(await meter.run({ args: side.args, captureStdout: side.captureStdout }));
    }
  }
  return runs;
}

/** The meter every whole-process measurement of a run shares. */
export function meterFor(context: BenchContext): Promise<ProcessMeter> {
  return ProcessMeter.create(join(context.dataDir, 'processes'));
}

/**
 * `finops analyze <log> --json -q > /dev/null` (default workers, and with
 * each of `workers`) against DuckDB's one GROUP BY over the same file, each
 * a fresh process, alternating for `rounds` rounds; prints each side's
 * medians and the median of the pairwise time ratios finops/DuckDB.
 */
export async function analyzeBesideDuckdb(
  context: BenchContext,
  meter: ProcessMeter,
  sizeMb: number,
  rounds: number,
  workers: readonly number[],
): Promise<void> {
  const log = await benchLog(context, sizeMb);
  const finops = (extra: string[]): string[] => [cliEntry, 'analyze', log.path, '--json', '-q', ...extra];
  const sides: Side[] = [
    { name: 'finops analyze --json (default workers)', args: finops([]) },
    ...workers.map((count) => ({
      name: `finops analyze --json --workers ${count}`,
      args: finops(['--workers', String(count)]),
    })),
    { name: 'DuckDB GROUP BY', args: [probe('duckdb-query'), log.path], captureStdout: true },
  ];
  const runs = await alternate(context, meter, sides, rounds);
  const reports = runs.map((sideRuns) => sideRuns.map((run) => asReport(run, log.bytes)));
  const duckdbReports = reports[sides.length - 1] as ChildReport[];
  const answer = probeResult<{ calls: number; costMicros: number; groups: number; threads: number }>(
    runs[sides.length - 1]?.[0] as ProcessRun,
  );
  console.log(
    `finops analyze vs DuckDB, ${sizeMb} MB log (${(log.bytes / MB).toFixed(1)} MiB), whole processes, ` +
      `medians of ${rounds} alternating round${rounds === 1 ? '' : 's'}:`,
  );
  for (const [index, side] of sides.entries())
    console.log(sideLine(side.name, summarizeSide(reports[index] ?? [])));
  for (const [index, side] of sides.slice(0, -1).entries())
    console.log(
      `    ${side.name}: ${ratioLine(pairedTimeRatios(reports[index] ?? [], duckdbReports), 'DuckDB')}`,
    );
  console.log(
    `    DuckDB (${answer.threads} threads) found ${answer.calls.toLocaleString('en-US')} calls in ${answer.groups} ` +
      `provider/model groups, $${(answer.costMicros / 1e6).toFixed(2)}, with:\n    ${groupByQuery(log.path)}`,
  );
}

/** A phase of one analysis pass, measured as its own whole process. */
interface Phase {
  name: string;
  args: string[];
  /** What it adds to the phase it builds on. */
  adds: string;
  /** The index of the phase it builds on (none for the first). */
  after?: number;
}

/**
 * The costs of one finops analysis pass on one thread, each stage in its own
 * process, so that the difference between one and the next is what that
 * stage costs: start-up, a plain byte scan (the floor of any reader), the
 * reader (decoding and splitting rows into fields), validation (the parser
 * with every check, calls kept in columns), grouping (the analyses'
 * aggregates filled), finish (every analysis finished from them), and the
 * CLI's whole `analyze --json` (options, JSON out).
 */
export async function phaseProfile(
  context: BenchContext,
  meter: ProcessMeter,
  sizeMb: number,
  rounds: number,
): Promise<void> {
  const log = await benchLog(context, sizeMb);
  const phases: Phase[] = [
    { name: 'node, empty script', args: ['-e', ''], adds: 'node start-up' },
    { name: 'finops --version', args: [cliEntry, '--version'], adds: 'loading the CLI modules', after: 0 },
    { name: 'plain byte scan', args: [probe('scan'), log.path], adds: 'reading the bytes', after: 0 },
    { name: 'CsvScanner rows, no checks', args: [probe('rows'), log.path], adds: 'reader', after: 2 },
    {
      name: 'CallLogParser, columns: true',
      args: [probe('parse'), log.path],
      adds: 'validation',
      after: 3,
    },
    {
      name: 'analyzeInto, 1 thread',
      args: [probe('analysis'), log.path, '1', 'fill'],
      adds: 'grouping (modules, aggregates)',
      after: 4,
    },
    {
      name: 'analyzeCosts, 1 thread',
      args: [probe('analysis'), log.path, '1'],
      adds: 'finish (every analysis)',
      after: 5,
    },
    {
      name: 'finops analyze --json -w 1',
      args: [cliEntry, 'analyze', log.path, '--json', '-q', '--workers', '1'],
      adds: 'CLI + JSON out',
      after: 6,
    },
  ];
  const runs = await alternate(context, meter, phases, rounds);
  const summaries = runs.map((sideRuns) => summarizeSide(sideRuns.map((run) => asReport(run, log.bytes))));
  const cpuSeconds = runs.map((sideRuns) => median(sideRuns.map((run) => run.cpuMs)) / 1000);
  console.log(
    `phases of one finops analysis pass, ${sizeMb} MB, each its own process, medians of ${rounds} ` +
      `(wall time, then processor time, which other work on the machine disturbs less):`,
  );
  const signed = (seconds: number): string => `${seconds >= 0 ? '+' : ''}${seconds.toFixed(2)} s`;
  for (const [index, phase] of phases.entries()) {
    const summary = summaries[index];
    if (!summary) continue;
    const before = phase.after === undefined ? undefined : summaries[phase.after];
    const cpu = cpuSeconds[index] ?? NaN;
    const cpuBefore = phase.after === undefined ? 0 : (cpuSeconds[phase.after] ?? NaN);
    console.log(
      `    ${phase.name.padEnd(30)} ${summary.wallSeconds.toFixed(2)} s · cpu ${cpu.toFixed(2)} s · ` +
        `peak RSS ${summary.peakRssMb.toFixed(0)} MB · ${phase.adds} ${signed(summary.wallSeconds - (before?.wallSeconds ?? 0))} ` +
        `(cpu ${signed(cpu - cpuBefore)})`,
    );
  }
  const scan = summaries[2];
  const startUp = summaries[0];
  if (scan && startUp)
    console.log(
      `    plain byte scan floor: ${scan.mbPerSecond.toFixed(0)} MB/s whole process, ` +
        `${(log.bytes / MB / Math.max(scan.wallSeconds - startUp.wallSeconds, 1e-3)).toFixed(0)} MB/s past node start-up`,
    );
}

/** Rows, bytes, header and a row of a written log: the shape the trivial writer copies. */
async function shapeOf(
  path: string,
): Promise<{ header: string; template: string; rows: number; bytes: number }> {
  const text = await readFile(path, 'latin1');
  const firstBreak = text.indexOf('\n');
  const secondBreak = text.indexOf('\n', firstBreak + 1);
  let rows = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) rows++;
  return {
    header: text.slice(0, firstBreak + 1),
    template: text.slice(firstBreak + 1, secondBreak + 1),
    rows: rows - 1,
    bytes: Buffer.byteLength(text, 'latin1'),
  };
}

/**
 * `finops simulate --size-mb <n>` against a trivial writer of the same rows
 * and bytes (a fixed row template with a counter, in 1 MB chunks),
 * alternating for `rounds` rounds.
 */
export async function simulateBesideTrivialWriter(
  context: BenchContext,
  meter: ProcessMeter,
  sizeMb: number,
  rounds: number,
): Promise<void> {
  const simulated = join(context.dataDir, `compare-simulate-${sizeMb}mb.csv`);
  const trivial = join(context.dataDir, `compare-trivial-${sizeMb}mb.csv`);
  const shapeFile = join(context.dataDir, `compare-trivial-${sizeMb}mb.json`);
  const simulateArgs = [cliEntry, 'simulate', '--size-mb', String(sizeMb), '--out', simulated, '-q'];
  context.log(`simulating ${sizeMb} MB once to learn its rows and bytes`);
  await meter.run({ args: simulateArgs });
  const shape = await shapeOf(simulated);
  await writeFile(shapeFile, JSON.stringify(shape));
  try {
    const sides: Side[] = [
      { name: `finops simulate --size-mb ${sizeMb}`, args: simulateArgs },
      { name: 'trivial writer, same rows and bytes', args: [probe('trivial-writer'), trivial, shapeFile] },
    ];
    const runs = await alternate(context, meter, sides, rounds);
    const written = (await stat(trivial)).size;
    const reports = runs.map((sideRuns) => sideRuns.map((run) => asReport(run, shape.bytes)));
    console.log(
      `finops simulate vs a trivial writer, ${shape.rows.toLocaleString('en-US')} rows, ` +
        `${shape.bytes.toLocaleString('en-US')} bytes, whole processes, medians of ${rounds} alternating rounds:`,
    );
    for (const [index, side] of sides.entries())
      console.log(sideLine(side.name, summarizeSide(reports[index] ?? [])));
    console.log(
      `    finops simulate: ${ratioLine(pairedTimeRatios(reports[0] ?? [], reports[1] ?? []), 'the trivial writer')}`,
    );
    if (written !== shape.bytes)
      console.log(`    THE FILES DIFFER IN SIZE: simulate ${shape.bytes} bytes, trivial writer ${written}`);
  } finally {
    await Promise.all([simulated, trivial, shapeFile].map((path) => rm(path, { force: true })));
  }
}
