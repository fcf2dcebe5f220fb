// A measured process: all analyses in one pass (analyzeCosts), without writing the results; with "fill", the
// aggregates filled (analyzeInto) and no analysis finished. Prints one JSON line.
import { CostAnalyzer, analyzeCosts, analyzeInto } from '@finops/analyzers';

const [path, workersText = '1', mode = 'finish'] = process.argv.slice(2);
if (!path || (mode !== 'finish' && mode !== 'fill'))
  throw new Error('usage: analysis.js <file> [workers] [finish|fill]');
const options = { workers: Number(workersText) };
if (mode === 'fill') {
  const analyzer = await analyzeInto(new CostAnalyzer({ source: path }), path, options);
  process.stdout.write(`${JSON.stringify({ calls: analyzer.calls })}\n`);
} else {
  const result = await analyzeCosts(path, options);
  process.stdout.write(
    `${JSON.stringify({ rows: result.meta.rowsRead, workers: result.meta.workers, costUsd: result.understanding?.totals.costUsd ?? 0 })}\n`,
  );
}
