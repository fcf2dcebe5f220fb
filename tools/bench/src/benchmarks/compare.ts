import { loadavg } from 'node:os';
import { parseRounds, parseSizes } from '../side-by-side';
import type { Benchmark } from '../types';
import { analyzeBesideDuckdb, meterFor, phaseProfile, simulateBesideTrivialWriter } from './duckdb-side';

/**
 * finops side by side with references in the same run, whole processes,
 * alternating: `finops analyze --json` against DuckDB's one GROUP BY on the
 * 50 MB and 500 MB logs (`--sizes`), the phases of one analysis pass, and
 * `finops simulate` against a trivial writer of the same rows.
 */
const benchmark: Benchmark = {
  name: 'compare',
  description:
    'finops analyze vs DuckDB (50 and 500 MB, --sizes=50,500), the phases of one analysis, finops simulate vs a trivial writer; --rounds=N',
  cases: () => [],
  async run(context) {
    const rounds = parseRounds(context.args['rounds']);
    const sizes = parseSizes(context.args['sizes'], [50, 500]);
    const meter = await meterFor(context);
    console.log(
      `  ${rounds} round${rounds === 1 ? '' : 's'} of fresh processes; load average at start: ${loadAverage()}`,
    );
    // The default chooses the threads by the file's size: beside it, one thread and two.
    for (const sizeMb of sizes) await analyzeBesideDuckdb(context, meter, sizeMb, rounds, [1, 2]);
    await phaseProfile(context, meter, sizes[0] ?? 50, rounds);
    await simulateBesideTrivialWriter(context, meter, 50, rounds);
    console.log(`  load average at end: ${loadAverage()}`);
  },
};

/** The machine's 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

export default benchmark;
