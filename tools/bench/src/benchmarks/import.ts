import { stat } from 'node:fs/promises';
import { importExport } from '@finops/importers';
import { readCallLog } from '@finops/schema';
import { median, medianRates, pairedSpeedRatios, type RatioSummary } from '../compare';
import {
  ensureImportExport,
  IMPORT_BENCH_SOURCES,
  type ImportBenchSource,
  importBenchPaths,
} from '../exports';
import { timed } from '../measure';
import { parseRounds, parseSizes } from '../side-by-side';
import type { BenchCase, BenchContext, BenchFigures, BenchRunner, Benchmark, ChildReport } from '../types';

const MB = 1024 * 1024;
/** Sizes of the exports, MB: speed on both, memory flat from the first to the second. */
const DEFAULT_SIZES = [50, 500];
const DEFAULT_ROUNDS = 3;
/** The bar: an importer reads at least this share of our CSV reader's MB/s. */
export const IMPORT_SPEED_BAR = 0.5;

/** `--size=50` (one size) or `--sizes=50,500`. */
function sizesOf(context: BenchContext): number[] {
  if (context.args['size'] !== undefined) return parseSizes(context.args['size'], DEFAULT_SIZES);
  return parseSizes(context.args['sizes'], DEFAULT_SIZES);
}

/** `--sources=helicone,otel`: the sources measured (all by default). */
function sourcesOf(context: BenchContext): ImportBenchSource[] {
  const text = context.args['sources'];
  if (text === undefined) return [...IMPORT_BENCH_SOURCES];
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(IMPORT_BENCH_SOURCES as readonly string[]).includes(name))
      throw new Error(`--sources: no source "${name}"; sources: ${IMPORT_BENCH_SOURCES.join(', ')}`);
  }
  return names as ImportBenchSource[];
}

/** Imports the export (mapping, checks, attribution, duplicate detection; no output written). */
async function measureImport(source: ImportBenchSource, path: string): Promise<BenchFigures> {
  const { size } = await stat(path);
  const { result, wallMs } = await timed(async () => {
    let last: { recordsKept: number; recordsRejected: number; reportedCostMicros: number } | undefined;
    for await (const batch of importExport(path, { from: source })) last = batch.tally;
    return last;
  });
  return {
    wallMs,
    bytes: size,
    rows: result?.recordsKept ?? 0,
    extra: {
      rejected: result?.recordsRejected ?? 0,
      'reported cost ($)': ((result?.reportedCostMicros ?? 0) / 1e6).toFixed(2),
    },
  };
}

/** Reads and validates our CSV log of the same calls. */
async function measureCsv(path: string): Promise<BenchFigures> {
  const { size } = await stat(path);
  const { result, wallMs } = await timed(async () => {
    let rows = 0;
    let costMicros = 0;
    for await (const batch of readCallLog(path)) {
      for (const record of batch.records) costMicros += record.costMicros;
      rows = batch.tally.rowsRead;
    }
    return { rows, costMicros };
  });
  return {
    wallMs,
    bytes: size,
    rows: result.rows,
    extra: { 'cost ($)': (result.costMicros / 1e6).toFixed(2) },
  };
}

interface ImportCase extends BenchCase {
  source: ImportBenchSource;
  sizeMb: number;
  side: 'import' | 'csv';
}

/** The cases, by index: for each size and source, the importer, then our CSV reader on the same calls. */
function importCases(context: BenchContext): ImportCase[] {
  const sources = sourcesOf(context);
  return sizesOf(context).flatMap((sizeMb) =>
    sources.flatMap((source): ImportCase[] => {
      const prepare = async (prepareContext: BenchContext): Promise<void> => {
        prepareContext.log(`generating the ${sizeMb} MB ${source} export and its CSV if missing`);
        await ensureImportExport(prepareContext.dataDir, source, sizeMb);
      };
      const paths = (runContext: BenchContext) => importBenchPaths(runContext.dataDir, source, sizeMb);
      return [
        {
          label: `import ${source}, ${sizeMb} MB JSON Lines`,
          source,
          sizeMb,
          side: 'import',
          prepare,
          run: (runContext) => measureImport(source, paths(runContext).exportPath),
        },
        {
          label: `our CSV reader, the same calls as the ${sizeMb} MB ${source} export`,
          source,
          sizeMb,
          side: 'csv',
          prepare,
          run: (runContext) => measureCsv(paths(runContext).csvPath),
        },
      ];
    }),
  );
}

function decimal(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function sideText(runs: readonly ChildReport[]): string {
  const rates = medianRates(runs);
  return (
    `${decimal(rates.mbPerSecond)} MB/s · ${decimal(rates.rowsPerSecond / 1000)}K rows/s · ` +
    `peak RSS ${decimal(rates.peakRssBytes / MB, 0)} MB`
  );
}

function ratioText(summary: RatioSummary): string {
  const range =
    summary.ratios.length > 1 ? `, ${decimal(summary.lowest, 2)}–${decimal(summary.highest, 2)}` : '';
  return `×${decimal(summary.median, 2)} (median of ${summary.ratios.length} pairwise MB/s ratios${range})`;
}

function printSource(label: string, imported: readonly ChildReport[], csv: readonly ChildReport[]): boolean {
  const mbps = (report: ChildReport): number => report.figures.bytes ?? 0;
  const speed = pairedSpeedRatios(imported, csv, mbps);
  const rows = pairedSpeedRatios(imported, csv, (report) => report.figures.rows ?? 0);
  const first = imported[0]?.figures;
  const reference = csv[0]?.figures;
  const passes = speed.median >= IMPORT_SPEED_BAR;
  console.log(label);
  console.log(`    importer        ${sideText(imported)} (${decimal((first?.bytes ?? 0) / MB)} MB)`);
  console.log(
    `    our CSV reader  ${sideText(csv)} (${decimal((reference?.bytes ?? 0) / MB)} MB, same calls)`,
  );
  console.log(
    `    importer/CSV MB/s ${ratioText(speed)}: ${passes ? 'meets' : 'MISSES'} the bar of ×${IMPORT_SPEED_BAR}; rows/s ×${decimal(rows.median, 2)}`,
  );
  const sameRows = first?.rows === reference?.rows;
  console.log(
    `    ${sameRows ? 'both read' : 'THEY DISAGREE:'} ${(first?.rows ?? 0).toLocaleString('en-US')} rows` +
      `${sameRows ? '' : ` imported vs ${(reference?.rows ?? 0).toLocaleString('en-US')} in the CSV`}; ` +
      `rejected ${String(first?.extra?.['rejected'] ?? 0)}; reported cost $${String(first?.extra?.['reported cost ($)'])}` +
      ` (CSV $${String(reference?.extra?.['cost ($)'])})`,
  );
  return passes;
}

/**
 * Rounds of fresh processes: in each, every source's importer and our CSV
 * reader on the same calls run alternately (which goes first alternates
 * between rounds). Speed is the median of the importer/CSV MB/s ratios
 * within a round; memory is each side's median peak RSS at each size.
 */
async function runRounds(context: BenchContext, runner: BenchRunner): Promise<void> {
  const rounds = parseRounds(context.args['rounds'], DEFAULT_ROUNDS);
  const cases = importCases(context);
  for (let index = 0; index < cases.length; index += 2) await cases[index]?.prepare?.(context);
  console.log(
    `  ${rounds} rounds; each importer streams its export into our rows (checks, attribution, repeats), nothing written`,
  );
  const runs: ChildReport[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    context.log(`round ${round + 1} of ${rounds}`);
    for (let index = 0; index < cases.length; index += 2) {
      const order = round % 2 === 0 ? [index, index + 1] : [index + 1, index];
      for (const caseIndex of order) runs[caseIndex]?.push(await runner.runCase(caseIndex));
    }
  }
  const missed: string[] = [];
  for (let index = 0; index < cases.length; index += 2) {
    const benchCase = cases[index] as ImportCase;
    const passes = printSource(
      `import ${benchCase.source}, ${benchCase.sizeMb} MB export, medians of ${rounds} alternating rounds:`,
      runs[index] ?? [],
      runs[index + 1] ?? [],
    );
    if (!passes) missed.push(`${benchCase.source} ${benchCase.sizeMb} MB`);
  }
  const sizes = sizesOf(context);
  if (sizes.length > 1) {
    console.log(`peak RSS by export size (${sizes.join(' MB → ')} MB), medians:`);
    for (const source of sourcesOf(context)) {
      const peaks = sizes.map((sizeMb) => {
        const index = cases.findIndex(
          (candidate) =>
            candidate.source === source && candidate.sizeMb === sizeMb && candidate.side === 'import',
        );
        return median((runs[index] ?? []).map((run) => run.maxRssBytes)) / MB;
      });
      const growth = (peaks[peaks.length - 1] ?? 0) / (peaks[0] ?? 1);
      console.log(
        `    ${source.padEnd(9)} ${peaks.map((peak) => `${decimal(peak, 0)} MB`).join(' → ')} (×${decimal(growth, 2)})`,
      );
    }
  }
  console.log(missed.length === 0 ? 'every importer meets the bar' : `below the bar: ${missed.join(', ')}`);
}

/** MB/s and rows/s of each importer beside our CSV reader on the same calls, and memory as the export grows. */
const benchmark: Benchmark = {
  name: 'import',
  description:
    'import a JSON Lines export of each per-call source (litellm, langfuse, helicone) and an OTLP file (otel) beside our CSV reader on the same calls: MB/s ratio (bar ×0.5), rows/s, peak memory at 50 and 500 MB (--size=N or --sizes=A,B; --sources=A,B; --rounds=N)',
  cases: importCases,
  run: runRounds,
};

export default benchmark;
