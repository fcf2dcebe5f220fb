// A measured process: all eight analyses in one pass (analyzeCosts), without writing the results. Prints one JSON line.
import { analyzeCosts } from '@finops/analyzers';

const [path, workersText = '1'] = process.argv.slice(2);
if (!path) throw new Error('usage: analysis.js <file> [workers]');
const result = await analyzeCosts(path, { workers: Number(workersText) });
process.stdout.write(
  `${JSON.stringify({ rows: result.meta.rowsRead, workers: result.meta.workers, costUsd: result.understanding?.totals.costUsd ?? 0 })}\n`,
);
