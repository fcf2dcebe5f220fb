import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AnalysisResults } from '@finops/analyzers';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';
import { writeReports } from '../reports';

/** Help text of `finops render`. */
export const RENDER_HELP = `Usage: finops render <results.json> [options]

Writes the report pages, the index and manifest.json from results saved by
finops analyze --out. Pages work offline, opened from disk or served.

Options:
  --out <dir>           report folder (default finops-reports)
  --data <file>         the log the results came from, for the file size on
                        the index (default: the source named in the results)
  -q, --quiet           print nothing
  -h, --help            show this help

Examples:
  finops analyze calls.csv --out results.json && finops render results.json --out reports`;

function isResults(value: unknown): value is AnalysisResults {
  const meta = (value as { meta?: { source?: unknown; window?: unknown } } | null)?.meta;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    typeof meta.source === 'string' &&
    typeof meta.window === 'object'
  );
}

/** `finops render`. */
export async function renderCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: 'finops-reports' },
      data: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(RENDER_HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError('render takes exactly one results file: finops render <results.json>');
  let results: unknown;
  try {
    results = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `cannot read ${file}: no such file`
        : `${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!isResults(results))
    throw new UsageError(`${file} does not hold analysis results (made by finops analyze --out)`);
  const files = await writeReports(results, values.out, values.data ?? results.meta.source);
  output.err(`wrote ${files.length} files to ${values.out}; open ${join(values.out, 'index.html')}`);
  return EXIT.ok;
}
