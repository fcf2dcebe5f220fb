import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  alternatingSchedule,
  asReport,
  pairedTimeRatios,
  parseRounds,
  parseSizes,
  ratioLine,
  sideLine,
  summarizeSide,
} from '../side-by-side';
import type { Benchmark, ChildReport } from '../types';
import { benchLog, meterFor } from './duckdb-side';
import { loadAverage } from './compare';

const MB = 1024 * 1024;
const here = dirname(fileURLToPath(import.meta.url));
const cliEntry = resolve(here, '..', '..', '..', 'apps', 'cli', 'dist', 'main.js');

/**
 * The results JSON without its source (the field that names the input) and
 * the number of threads that read it (a CSV of 32 MiB or more is read with
 * two; a table by queries): neither is a result.
 */
function comparable(stdout: string): string {
  const results = JSON.parse(stdout) as { meta: Record<string, unknown> };
  return JSON.stringify({ ...results, meta: { ...results.meta, source: '', workers: 0 } });
}

/**
 * The analyses over a ClickHouse table against the in-process engine over
 * the same calls as CSV, whole processes of the CLI, in the same run: first
 * `finops load` of the generated log into the embedded engine (chDB) —
 * rows/s and peak memory — then `finops analyze --clickhouse chdb:… --json`
 * and `finops analyze <log> --json`, alternating for `--rounds`, with their
 * results checked equal. `--sizes=200` (MB of CSV; about 200 bytes a call,
 * so 2000 is about 10 M calls).
 */
const benchmark: Benchmark = {
  name: 'clickhouse',
  description:
    'finops load into chDB (rows/s, memory), then all analyses over the table vs the in-process engine over the CSV; --sizes=200 (MB; 2000 ≈ 10 M calls), --rounds=N',
  cases: () => [],
  async run(context) {
    const rounds = parseRounds(context.args['rounds'], 3);
    const sizes = parseSizes(context.args['sizes'], [200]);
    const meter = await meterFor(context);
    console.log(
      `  ${rounds} round${rounds === 1 ? '' : 's'} of fresh processes; load average at start: ${loadAverage()}`,
    );
    for (const sizeMb of sizes) {
      const log = await benchLog(context, sizeMb);
      const folder = join(context.dataDir, `clickhouse-${sizeMb}mb`);
      const target = `chdb:${folder}`;
      await rm(folder, { recursive: true, force: true });
      context.log(`loading ${log.path} into ${target}`);
      const load = await meter.run({
        args: [cliEntry, 'load', log.path, '--clickhouse', target, '--batch-rows', '200000', '-q'],
        captureStdout: true,
      });
      const rows = Number(/Loaded ([\d,]+) rows/.exec(load.stdout)?.[1]?.replace(/,/g, '') ?? NaN);
      console.log(
        `finops load into chDB, ${sizeMb} MB log (${(log.bytes / MB).toFixed(1)} MiB, ${rows.toLocaleString('en-US')} rows), one whole process:`,
      );
      console.log(
        `    ${(load.wallMs / 1000).toFixed(2)} s · ${Math.round(rows / (load.wallMs / 1000)).toLocaleString('en-US')} rows/s · ` +
          `${(log.bytes / MB / (load.wallMs / 1000)).toFixed(1)} MB/s · peak RSS ${(load.peakRssBytes / MB).toFixed(0)} MB`,
      );
      const sides = [
        {
          name: 'finops analyze --clickhouse chdb:… --json',
          args: [cliEntry, 'analyze', '--clickhouse', target, '--json', '-q'],
        },
        { name: 'finops analyze <log.csv> --json', args: [cliEntry, 'analyze', log.path, '--json', '-q'] },
      ];
      const reports: ChildReport[][] = sides.map(() => []);
      const answers: string[][] = sides.map(() => []);
      for (const [round, order] of alternatingSchedule(rounds, sides.length).entries()) {
        context.log(`round ${round + 1} of ${rounds}`);
        for (const index of order) {
          const side = sides[index] as (typeof sides)[number];
          const run = await meter.run({ args: side.args, captureStdout: round === 0 });
          reports[index]?.push(asReport(run, log.bytes));
          if (round === 0) answers[index]?.push(comparable(run.stdout));
        }
      }
      const same = answers[0]?.[0] === answers[1]?.[0];
      console.log(
        `all analyses, ${sizeMb} MB, whole processes, medians of ${rounds} alternating round${rounds === 1 ? '' : 's'} ` +
          `(results ${same ? 'identical' : 'DIFFERENT'} less the source and thread count):`,
      );
      for (const [index, side] of sides.entries())
        console.log(sideLine(side.name, summarizeSide(reports[index] ?? []), 44));
      console.log(
        `    in-process CSV pass: ${ratioLine(pairedTimeRatios(reports[1] ?? [], reports[0] ?? []), 'the chDB table analysis')}`,
      );
      if (!same) process.exitCode = 1;
    }
    console.log(`  load average at end: ${loadAverage()}`);
  },
};

export default benchmark;
