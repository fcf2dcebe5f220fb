import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isScenarioChoice, simulateToFile, type ScenarioChoice } from '@finops/simulator';
import { type Baseline, BaselineError, prepareBaseline } from '../baseline';
import { baselineGoesFirst, medianRates, pairedSpeedRatios } from '../compare';
import { parseRounds, ratioText } from '../side-by-side';
import type { Benchmark, BenchCase, BenchContext, BenchFigures, BenchRunner, ChildReport } from '../types';

/** Sizes of the measured runs, in MB: speed on the showcase size, memory on it and on ten times it. */
const SIZES_MB = [50, 500] as const;
/** Rounds of a run beside a baseline, by default. */
const DEFAULT_ROUNDS = 3;
/** The packages of a baseline revision built to run its simulator, in build order. */
const BASELINE_PACKAGES = [join('packages', 'schema'), join('packages', 'simulator')];
/** The option that hands a baseline case's child process the built baseline simulator. */
const BASELINE_MODULE_OPTION = 'baseline-module';
const MB = 1024 * 1024;

/** The part of the simulator's API measured: the same in every version of `@finops/simulator`. */
type SimulateToFile = (
  options: { scenario: ScenarioChoice; sizeMb: number; seed: number; start: string },
  path: string,
) => Promise<{ calls: number; bytes: number; days: number; elapsedMs: number }>;

function scenarioOf(context: BenchContext): ScenarioChoice {
  const scenario = context.args['scenario'] ?? 'all';
  if (!isScenarioChoice(scenario)) throw new Error(`--scenario: unknown scenario "${scenario}"`);
  return scenario;
}

function sizesOf(context: BenchContext): number[] {
  if (context.args['size'] === undefined) return [...SIZES_MB];
  const size = Number(context.args['size']);
  if (!(Number.isFinite(size) && size > 0))
    throw new Error(`--size must be a positive number of MB, not "${context.args['size']}"`);
  return [size];
}

/** The first 16 hex digits of the SHA-256 of a file, read in a stream (after the measured work). */
async function digestOf(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

/** Generates a size-targeted call log into the data folder, then removes it (it is output, not an input to keep). */
async function generate(
  context: BenchContext,
  sizeMb: number,
  write: SimulateToFile,
  side: string,
): Promise<BenchFigures> {
  const scenario = scenarioOf(context);
  const seed = Number(context.args['seed'] ?? 42);
  const path = join(context.dataDir, `simulate-${scenario}-${sizeMb}mb-${side}-${process.pid}.csv`);
  try {
    const cpuBefore = process.cpuUsage();
    const summary = await write({ scenario, sizeMb, seed, start: '2025-01-06' }, path);
    const cpu = process.cpuUsage(cpuBefore);
    const heapAfterMb = Math.round(process.memoryUsage().heapUsed / 1e6);
    return {
      wallMs: summary.elapsedMs,
      bytes: summary.bytes,
      rows: summary.calls,
      extra: {
        'calls/s': Math.round(summary.calls / (summary.elapsedMs / 1000)),
        // Processor time of the whole process (its helper threads included): steadier than wall time on a busy machine.
        'cpu s': Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
        days: summary.days,
        'heap after MB': heapAfterMb,
        sha256: await digestOf(path),
      },
    };
  } finally {
    await rm(path, { force: true });
  }
}

/** The built baseline simulator handed to this child process. */
async function baselineSimulator(context: BenchContext): Promise<SimulateToFile> {
  const modulePath = context.args[BASELINE_MODULE_OPTION];
  if (!modulePath) throw new Error(`a baseline case needs --${BASELINE_MODULE_OPTION}=PATH`);
  const module = (await import(pathToFileURL(modulePath).href)) as { simulateToFile?: unknown };
  if (typeof module.simulateToFile !== 'function')
    throw new Error(`${modulePath} exports no simulateToFile function`);
  return module.simulateToFile as SimulateToFile;
}

/** The cases, by index: the current simulator at each size, then the baseline's at each size. */
function simulateCases(context: BenchContext): BenchCase[] {
  const sizes = sizesOf(context);
  const label = (sizeMb: number): string =>
    `simulate ${scenarioOf(context)} to ${sizeMb} MB, 1 core, CSV written to disk`;
  return [
    ...sizes.map((sizeMb) => ({
      label: label(sizeMb),
      run: (runContext: BenchContext) =>
        generate(runContext, sizeMb, simulateToFile as SimulateToFile, 'current'),
    })),
    ...sizes.map((sizeMb) => ({
      label: `${label(sizeMb)}, baseline`,
      run: async (runContext: BenchContext) =>
        generate(runContext, sizeMb, await baselineSimulator(runContext), 'baseline'),
    })),
  ];
}

/** The baseline revision's simulator, or why there is none. */
async function baselineFor(
  context: BenchContext,
  revision: string,
): Promise<{ baseline?: Baseline; note: string }> {
  try {
    const baseline = await prepareBaseline({
      repoDir: dirname(fileURLToPath(import.meta.url)),
      revision,
      dataDir: context.dataDir,
      packages: BASELINE_PACKAGES,
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
    return { note: `NOT MEASURED: ${error.message}; the current simulator only` };
  }
}

function decimal(value: number, digits: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** One side's medians as a line. */
function sideLine(name: string, runs: readonly ChildReport[]): string {
  const rates = medianRates(runs);
  return (
    `    ${name.padEnd(24)} ${decimal(rates.rowsPerSecond / 1000, 1)}K calls/s · ` +
    `${decimal(rates.mbPerSecond, 1)} MB/s · peak RSS ${decimal(rates.peakRssBytes / MB, 0)} MB`
  );
}

/** The runs with their processor time in place of their wall time. */
function cpuTimed(runs: readonly ChildReport[]): ChildReport[] {
  return runs.map((run) => ({
    ...run,
    figures: { ...run.figures, wallMs: Number(run.figures.extra?.['cpu s'] ?? 0) * 1000 },
  }));
}

/** Whether both sides wrote the same calls and bytes, and the same file. */
function outputLine(current: ChildReport | undefined, baseline: ChildReport | undefined): string {
  const rows = (report: ChildReport | undefined): string =>
    `${(report?.figures.rows ?? 0).toLocaleString('en-US')} calls, ${(report?.figures.bytes ?? 0).toLocaleString('en-US')} bytes`;
  const digest = (report: ChildReport | undefined): unknown => report?.figures.extra?.['sha256'];
  if (digest(current) === digest(baseline)) return `    both wrote the same file: ${rows(current)}`;
  return `    THE FILES DIFFER: baseline ${rows(baseline)} (sha256 ${String(digest(baseline))}), current ${rows(current)} (sha256 ${String(digest(current))})`;
}

/**
 * Without `--baseline`, each size once; with it, rounds of fresh processes in
 * which the baseline revision's simulator and the current one generate the
 * same log alternately (which goes first alternates), compared as the median
 * of the pairwise calls/s ratios within a round.
 */
async function runSimulate(context: BenchContext, runner: BenchRunner): Promise<void> {
  const cases = simulateCases(context);
  const sizes = sizesOf(context).length;
  const revision = context.args['baseline'];
  if (revision === undefined || revision === 'none') {
    for (let index = 0; index < sizes; index++)
      runner.print(cases[index]?.label ?? '', await runner.runCase(index));
    return;
  }
  const rounds = parseRounds(context.args['rounds'], DEFAULT_ROUNDS);
  const { baseline, note } = await baselineFor(context, revision);
  console.log(`  baseline: ${note}`);
  const runs: ChildReport[][] = cases.map(() => []);
  const run = async (index: number): Promise<void> => {
    const args = index >= sizes && baseline ? [`--${BASELINE_MODULE_OPTION}=${baseline.modulePath}`] : [];
    runs[index]?.push(await runner.runCase(index, args));
  };
  for (let round = 0; round < rounds; round++) {
    context.log(`round ${round + 1} of ${rounds}`);
    for (let size = 0; size < sizes; size++) {
      if (!baseline) await run(size);
      else if (baselineGoesFirst(round)) {
        await run(sizes + size);
        await run(size);
      } else {
        await run(size);
        await run(sizes + size);
      }
    }
  }
  for (let size = 0; size < sizes; size++) {
    const current = runs[size] ?? [];
    const before = runs[sizes + size] ?? [];
    console.log(
      `${cases[size]?.label ?? ''}\n    medians of ${current.length} runs, each in a fresh process:`,
    );
    if (before.length > 0) console.log(sideLine(`baseline ${revision}`, before));
    console.log(sideLine('current', current));
    if (before.length === 0) continue;
    const speed = pairedSpeedRatios(current, before, (report) => report.figures.rows ?? 0);
    const cpuSpeed = pairedSpeedRatios(
      cpuTimed(current),
      cpuTimed(before),
      (report) => report.figures.rows ?? 0,
    );
    const memory = medianRates(current).peakRssBytes / medianRates(before).peakRssBytes;
    console.log(`    current/baseline calls/s ${ratioText(speed)}`);
    console.log(`    current/baseline calls per processor second ${ratioText(cpuSpeed)}`);
    console.log(`    peak RSS current/baseline ×${decimal(memory, 2)}`);
    console.log(`    rounds: ${speed.ratios.map((ratio) => decimal(ratio, 2)).join(' ')}`);
    console.log(outputLine(current[0], before[0]));
  }
}

const simulateBenchmark: Benchmark = {
  name: 'simulate',
  description:
    'generate a size-targeted call log (`all` scenarios by default): calls/s, MB/s and peak memory; ' +
    '--baseline=REV runs a revision’s simulator alternately beside it (--rounds=N, --size=MB)',
  cases: simulateCases,
  run: runSimulate,
};

export default simulateBenchmark;
