// A measured process: an in-memory DuckDB runs one GROUP BY over the file. Prints one JSON line.
import { runGroupBy } from '../duckdb';

const path = process.argv[2];
if (!path) throw new Error('usage: duckdb-query.js <file>');
const result = await runGroupBy(path);
process.stdout.write(
  `${JSON.stringify({ calls: result.calls, costMicros: result.costMicros, groups: result.groups.length, threads: result.threads })}\n`,
);
