import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Baseline, BaselineError, DEFAULT_BASELINE_REVISION, prepareBaseline } from '../baseline';
import { baselineGoesFirst, median, medianRates, pairedSpeedRatios, type RatioSummary } from '../compare';
import { BENCH_CONTAINERS, type BenchContainer, containerPath, ensureContainerCopy } from '../containers';
import { ensureBenchLog } from '../generate';
import { type ProcessMeter, probeResult } from '../processes';
import type { BenchContext, Benchmark, ChildReport } from '../types';
import { loadAverage } from './compare';
import { meterFor } from './duckdb-side';

const MB = 1024 * 1024;
const DEFAULT_ROUNDS = 5;
/** The built bench entry's folder (tools/bench/dist), beside which the probes are built. */
const here = dirname(fileURLToPath(import.meta.url));
/** The reader probe every side runs: `node read.js <schema module> <file>`. */
const READ_PROBE = join(here, 'probes', 'read.js');
/** The built schema entry of a source tree, loaded by path the same way for both sides. */
const SCHEMA_ENTRY = join('packages', 'schema', 'dist', 'index.js');
/** The working tree's root (tools/bench/dist → the checkout). */
const workTree = resolve(here, '..', '..', '..');

/** One input of the benchmark: a generated CSV log, or its copy in a container. */
interface ReadInput {
  file: string;
  sizeMb: number;
  quoted: boolean;
  container?: BenchContainer;
}

/** One measured case: an input read by one side's reader. */
interface ReadCase {
  label: string;
  input: ReadInput;
  baseline: boolean;
}

/** Generates the input (and its container copy) unless it is already there. */
async function prepareInput(input: ReadInput, context: BenchContext): Promise<void> {
  const csvPath = join(context.dataDir, input.file);
  if (!input.container)
    context.log(
      `generating ${input.file} (${input.sizeMb} MB${input.quoted ? ', quoted fields' : ''}) if missing`,
    );
  await ensureBenchLog(csvPath, { bytes: input.sizeMb * MB, quoted: input.quoted });
  if (input.container) {
    context.log(`copying ${input.file} to .${input.container} if missing`);
    await ensureContainerCopy(csvPath, input.container);
  }
}

/** The file a case reads. */
function inputPath(input: ReadInput, context: BenchContext): string {
  const csvPath = join(context.dataDir, input.file);
  return input.container ? containerPath(csvPath, input.container) : csvPath;
}

/** Reads a file once, unmeasured, so that no measured side pays for bringing it into the file cache. */
async function warmFileCache(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: MB })) void chunk;
}

/** What the read probe prints. */
interface ReadProbeResult {
  wallMs: number;
  cpuMs: number;
  bytes: number;
  rows: number;
  costMicros: number;
}

/**
 * Runs the read probe with one side's schema build over one input, in a
 * fresh process, and reports it as the comparison helpers take it: the
 * probe's own time of the read (start-up and module loading left out), the
 * process's peak memory, rows, total cost and CPU time.
 */
async function measureRead(
  meter: ProcessMeter,
  schemaModule: string,
  input: ReadInput,
  context: BenchContext,
): Promise<ChildReport> {
  const path = inputPath(input, context);
  const run = await meter.run({ args: [READ_PROBE, schemaModule, path], captureStdout: true });
  const result = probeResult<ReadProbeResult>(run);
  const csvSize = input.container ? (await stat(join(context.dataDir, input.file))).size : result.bytes;
  return {
    figures: {
      wallMs: result.wallMs,
      bytes: result.bytes,
      rows: result.rows,
      extra: {
        'cost ($)': (result.costMicros / 1e6).toFixed(2),
        'cpu ms': result.cpuMs,
        // The same calls as plain CSV bytes per second: the figure to compare containers by.
        'CSV-equivalent MB/s': (csvSize / MB / (result.wallMs / 1000)).toFixed(1),
      },
    },
    maxRssBytes: run.peakRssBytes,
  };
}

/** The CSV inputs measured side by side with the baseline: a 19-column version-1 log, unquoted and quoted. */
function csvInputs(sizeMb: number): { label: string; input: ReadInput }[] {
  return [
    {
      label: `read + validate, ${sizeMb} MB unquoted, 19 columns`,
      input: { file: `read-${sizeMb}mb.csv`, sizeMb, quoted: false },
    },
    {
      label: `read + validate, ${sizeMb} MB with quoted fields, 19 columns`,
      input: { file: `read-${sizeMb}mb-quoted.csv`, sizeMb, quoted: true },
    },
  ];
}

function sizeOf(context: BenchContext): number {
  const sizeMb = Number(context.args['size-mb'] ?? 50);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0)
    throw new Error(`--size-mb must be a positive number of MB, not "${context.args['size-mb']}"`);
  return sizeMb;
}

function roundsOf(context: BenchContext): number {
  const text = context.args['rounds'] ?? String(DEFAULT_ROUNDS);
  const rounds = Number(text);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`--rounds must be a whole number of at least 1, not "${text}"`);
  return rounds;
}

/**
 * The cases, by index: the current reader on each CSV input, then on each
 * container copy, then the baseline reader on each CSV input.
 */
function readCases(context: BenchContext): ReadCase[] {
  const sizeMb = sizeOf(context);
  const csv = csvInputs(sizeMb);
  const unquoted = csv[0]?.input as ReadInput;
  return [
    ...csv.map(({ label, input }) => ({ label, input, baseline: false })),
    ...BENCH_CONTAINERS.map((container) => ({
      label: `read + validate, ${sizeMb} MB unquoted as .${container}`,
      input: { ...unquoted, container },
      baseline: false,
    })),
    ...csv.map(({ label, input }) => ({ label: `${label}, baseline`, input, baseline: true })),
  ];
}

/** The baseline to compare against, or why there is none (then only the current reader is measured). */
async function baselineFor(context: BenchContext): Promise<{ baseline?: Baseline; note: string }> {
  const revision = context.args['baseline'] ?? DEFAULT_BASELINE_REVISION;
  if (revision === 'none') return { note: 'none (--baseline=none): the current reader only' };
  try {
    const baseline = await prepareBaseline({
      repoDir: dirname(fileURLToPath(import.meta.url)),
      revision,
      dataDir: context.dataDir,
      log: context.log,
    });
    const inside = relative(process.cwd(), baseline.folder);
    const where = inside.startsWith('..') || inside === '' ? baseline.folder : inside;
    return {
      baseline,
      note: `${revision} (${baseline.commit.slice(0, 12)}), ${baseline.reused ? 'built earlier' : 'built now'} in ${where}`,
    };
  } catch (error) {
    if (!(error instanceof BaselineError)) throw error;
    return { note: `NOT MEASURED: ${error.message}; the current reader only` };
  }
}

/** `1 round`, `5 rounds`. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function decimal(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** One side's medians as a line. */
function sideLine(name: string, runs: readonly ChildReport[]): string {
  const rates = medianRates(runs);
  return (
    `    ${name.padEnd(22)} ${decimal(rates.mbPerSecond)} MB/s · ` +
    `${decimal(rates.rowsPerSecond / 1000)}K rows/s · peak RSS ${decimal(rates.peakRssBytes / MB, 0)} MB`
  );
}

function ratioText(summary: RatioSummary): string {
  const range =
    summary.ratios.length > 1 ? `, ${decimal(summary.lowest, 2)}–${decimal(summary.highest, 2)}` : '';
  return `×${decimal(summary.median, 2)} (median of ${counted(summary.ratios.length, 'pairwise ratio')}${range})`;
}

/** What the runs read: rows and total cost, which both readers must agree on. */
function readSummary(report: ChildReport | undefined): string {
  return `${(report?.figures.rows ?? 0).toLocaleString('en-US')} rows, $${report?.figures.extra?.['cost ($)'] ?? '?'}`;
}

/** Per round, the baseline's CPU time over the current reader's (above 1: the current reader is faster). */
function cpuSpeedRatios(current: readonly ChildReport[], baseline: readonly ChildReport[]): number[] {
  const cpuOf = (report: ChildReport | undefined): number => Number(report?.figures.extra?.['cpu ms'] ?? NaN);
  return current.map((run, round) => cpuOf(baseline[round]) / cpuOf(run));
}

function printComparison(
  label: string,
  current: readonly ChildReport[],
  baseline: readonly ChildReport[],
  baselineName: string,
): void {
  console.log(`${label}\n    medians of ${counted(current.length, 'run')}, each in a fresh process:`);
  if (baseline.length > 0) console.log(sideLine(`baseline ${baselineName}`, baseline));
  console.log(sideLine('current', current));
  if (baseline.length === 0) return;
  const speed = pairedSpeedRatios(current, baseline);
  const memory = medianRates(current).peakRssBytes / medianRates(baseline).peakRssBytes;
  console.log(`    current/baseline speed ${ratioText(speed)}; peak RSS ×${decimal(memory, 2)}`);
  console.log(`    rounds: ${speed.ratios.map((ratio) => decimal(ratio, 2)).join(' ')}`);
  const cpu = cpuSpeedRatios(current, baseline);
  console.log(
    `    by CPU time (less disturbed by other work on the machine): ×${decimal(median(cpu), 2)} ` +
      `(rounds: ${cpu.map((ratio) => decimal(ratio, 2)).join(' ')})`,
  );
  const [read, readBefore] = [readSummary(current[0]), readSummary(baseline[0])];
  if (read !== readBefore)
    console.log(`    THE READERS DISAGREE: baseline read ${readBefore}, current ${read}`);
  else console.log(`    both read ${read}`);
}

function printContainer(label: string, runs: readonly ChildReport[], plain: readonly ChildReport[]): void {
  const rates = medianRates(runs);
  const csvEquivalent = median(runs.map((run) => Number(run.figures.extra?.['CSV-equivalent MB/s'] ?? 0)));
  console.log(
    `${label}\n    ${decimal(rates.mbPerSecond)} MB/s of file · ${decimal(csvEquivalent)} ` +
      `CSV-equivalent MB/s · ${decimal(rates.rowsPerSecond / 1000)}K rows/s · ` +
      `peak RSS ${decimal(rates.peakRssBytes / MB, 0)} MB\n` +
      `    speed relative to plain CSV ${ratioText(pairedSpeedRatios(runs, plain))}; ${readSummary(runs[0])}`,
  );
}

/**
 * Rounds of fresh processes: in each, the baseline and the current reader
 * read each CSV input alternately (which goes first alternates between
 * rounds), then the current reader reads each container copy. Both sides
 * run the same probe, which loads its build's schema entry by path, with
 * the same flags and the file already in the file cache. Speeds are
 * compared as medians of ratios within a round, so the machine's drift
 * between rounds cancels out.
 */
async function runRounds(context: BenchContext): Promise<void> {
  const rounds = roundsOf(context);
  const cases = readCases(context);
  const csvCount = csvInputs(sizeOf(context)).length;
  const containerCount = BENCH_CONTAINERS.length;
  // The baseline cases read the current cases' inputs; each case prepares its input and its container copy.
  for (const readCase of cases.slice(0, csvCount + containerCount))
    await prepareInput(readCase.input, context);
  const { baseline, note } = await baselineFor(context);
  const baselineName = context.args['baseline'] ?? DEFAULT_BASELINE_REVISION;
  const meter = await meterFor(context);
  console.log(`  baseline: ${note}`);
  console.log(
    `  ${counted(rounds, 'round')}; the current reader reads the same 19-column version-1 logs as version 2; ` +
      `load average at start: ${loadAverage()}`,
  );
  for (const readCase of cases.slice(0, csvCount + containerCount))
    await warmFileCache(inputPath(readCase.input, context));
  const runs: ChildReport[][] = cases.map(() => []);
  const runCase = async (index: number): Promise<void> => {
    const readCase = cases[index] as ReadCase;
    const schemaModule = readCase.baseline && baseline ? baseline.modulePath : join(workTree, SCHEMA_ENTRY);
    let report: ChildReport;
    try {
      report = await measureRead(meter, schemaModule, readCase.input, context);
    } catch (error) {
      // A build of the working tree running at the same time can leave a package's dist briefly empty.
      context.log(`${readCase.label} failed (${String(error)}); running it once more`);
      report = await measureRead(meter, schemaModule, readCase.input, context);
    }
    runs[index]?.push(report);
  };
  for (let round = 0; round < rounds; round++) {
    context.log(`round ${round + 1} of ${rounds}`);
    for (let csv = 0; csv < csvCount; csv++) {
      const baselineIndex = csvCount + containerCount + csv;
      if (!baseline) await runCase(csv);
      else if (baselineGoesFirst(round)) {
        await runCase(baselineIndex);
        await runCase(csv);
      } else {
        await runCase(csv);
        await runCase(baselineIndex);
      }
    }
    for (let container = 0; container < containerCount; container++) await runCase(csvCount + container);
  }
  for (let csv = 0; csv < csvCount; csv++)
    printComparison(
      cases[csv]?.label ?? '',
      runs[csv] ?? [],
      runs[csvCount + containerCount + csv] ?? [],
      baselineName,
    );
  for (let container = 0; container < containerCount; container++) {
    const index = csvCount + container;
    printContainer(cases[index]?.label ?? '', runs[index] ?? [], runs[0] ?? []);
  }
  console.log(`  load average at end: ${loadAverage()}`);
}

/**
 * Read + validate throughput of the streaming reader (one core), side by
 * side with a baseline revision's reader on the same CSV logs, and the same
 * log in each other container relative to plain CSV.
 */
const benchmark: Benchmark = {
  name: 'read',
  description:
    'Read + validate a generated 19-column log, one core: CSV (unquoted, quoted) side by side with a baseline revision (--baseline=REV, default ' +
    `${DEFAULT_BASELINE_REVISION}; --rounds=N), and as .csv.gz, .jsonl, .jsonl.gz, .parquet relative to plain CSV`,
  // Every case runs in the read probe on the benchmark's own schedule.
  cases: () => [],
  run: runRounds,
};

export default benchmark;
