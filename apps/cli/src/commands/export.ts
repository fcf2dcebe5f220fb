import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exportFocus } from '@finops/importers';
import { loadCatalog } from '@finops/schema';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';

/** Help text of `finops export`. */
export const EXPORT_HELP = `Usage: finops export <log.csv> --format focus --out <focus.csv> [options]

Writes a call log as FinOps FOCUS 1.2 cost and usage rows, for FinOps tools
that read FOCUS: one row per UTC day, provider, model and attribution
(customer, organization, product, feature, task, plan, environment), its
tokens as the consumed quantity and its cost (reported, or priced from the
catalog) as billed cost. Token kinds and call counts are in x_ columns, which
finops import reads back. Written atomically.

Options:
  --format focus        the format (FOCUS is the one there is)
  --out <file>          the file to write (required)
  --catalog <file>      price catalog for rows without a cost
  -h, --help            show this help

Examples:
  finops export calls.csv --format focus --out focus.csv`;

/** `finops export`. */
export async function exportCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'focus' },
      out: { type: 'string', short: 'o' },
      catalog: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(EXPORT_HELP);
    return EXIT.ok;
  }
  const log = positionals[0];
  if (!log || positionals.length > 1)
    throw new UsageError(
      'export takes exactly one log: finops export <log.csv> --format focus --out focus.csv',
    );
  if (values.format !== 'focus') throw new UsageError(`--format ${values.format}: only focus is written`);
  if (!values.out) throw new UsageError('say where to write: --out focus.csv');
  await access(log).catch(() => {
    throw new UsageError(`cannot read ${log}: no such file (check the path)`);
  });
  const catalog = values.catalog ? await loadCatalog(values.catalog) : undefined;
  const summary = await exportFocus(log, values.out, catalog ? { catalog } : {});
  const tally = summary.tally;
  output.out(
    `Wrote ${summary.rows} FOCUS rows to ${summary.out} from ${tally?.rowsKept ?? 0} rows of ${log}` +
      (tally && tally.rowsRejected > 0
        ? ` (${tally.rowsRejected} rejected: finops validate ${log} lists them)`
        : ''),
  );
  return EXIT.ok;
}
