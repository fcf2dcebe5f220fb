import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCalls } from '@finops/clickhouse';
import { loadCatalog } from '@finops/schema';
import { CLICKHOUSE_FLAGS, CLICKHOUSE_HELP, clickHouseSettingsOf, withWarehouse } from '../clickhouse';
import { mappingOf, resolveCliConfig, withPlans } from '../config';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';
import { formatCount, formatMegabytes, formatRate, ProgressReporter } from '../progress';
import { LOG_ARGUMENT_HELP, logFilesOf } from './analyze';
import { importForRun } from './import';

/** Help text of `finops load`. */
export const LOAD_HELP = `Usage: finops load <log or export> --clickhouse <target> [options]

Loads a call log, or an export of another source (LiteLLM, Langfuse,
OpenTelemetry, usage reports, Helicone, FOCUS; see finops import), into the
toolkit's calls table in ClickHouse, creating or migrating the tables first.
Rows are validated as finops analyze reads them; rejected rows are counted
with the load. A call id loaded before makes a later row a duplicate (the
first one counts); the same data loaded again writes nothing; a load that
fails leaves no row behind.

${LOG_ARGUMENT_HELP}

Options:
${CLICKHOUSE_HELP}
  --from <source>       the source of an export, when recognition should not decide
  --attribution <file>  attribution map for an export (see finops import)
  --map <ours=theirs>   read a log whose column names differ (repeatable)
  --catalog <file>      price catalog JSON for rows without a cost
  --config <file>       settings file (default: finops.config.json if present)
  --strict              stop at the first bad row (exit 1; nothing is loaded)
  --batch-rows <n>      rows per insert (default 100000)
  -q, --quiet           no progress
  -h, --help            show this help

Exit codes: 0 loaded, 1 a bad row with --strict, 2 bad usage or input,
3 the database could not be used (unreachable, refused credentials, tables of
another schema version).

Examples:
  finops load calls.csv --clickhouse chdb:finops-db
  FINOPS_CLICKHOUSE_PASSWORD=… finops load 'logs/*.csv.gz' --clickhouse https://ch.example.com:8443 --clickhouse-user finops
  finops load spend-logs.json --clickhouse chdb:finops-db`;

/** `finops load`. */
export async function loadCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...CLICKHOUSE_FLAGS,
      from: { type: 'string' },
      attribution: { type: 'string' },
      map: { type: 'string', multiple: true },
      catalog: { type: 'string' },
      config: { type: 'string' },
      strict: { type: 'boolean' },
      'batch-rows': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(LOAD_HELP);
    return EXIT.ok;
  }
  const input = positionals[0];
  if (!input || positionals.length > 1)
    throw new UsageError('load takes exactly one log or export: finops load <log> --clickhouse <target>');
  const config = await resolveCliConfig(values.config);
  const settings = clickHouseSettingsOf(values, config, false);
  if (settings === undefined)
    throw new UsageError(
      'load needs a database: --clickhouse http(s)://host:8123 or chdb:<folder> (or FINOPS_CLICKHOUSE_URL)',
    );
  const batchRows = values['batch-rows'] === undefined ? undefined : Number(values['batch-rows']);
  if (batchRows !== undefined && (!Number.isInteger(batchRows) || batchRows < 1))
    throw new UsageError(`--batch-rows must be a whole number of at least 1, got "${values['batch-rows']}"`);
  const catalog = withPlans(
    values.catalog ? await loadCatalog(values.catalog) : config.catalog,
    config.plans,
  );
  const mapping = mappingOf(config, values.map ?? []);
  const scratch = await mkdtemp(join(tmpdir(), 'finops-load-'));
  try {
    const log = await importForRun(
      input,
      join(scratch, 'calls.csv'),
      { from: values.from, attribution: values.attribution },
      output,
    );
    await logFilesOf(log);
    const started = performance.now();
    const progress = new ProgressReporter(output, 'load');
    const summary = await withWarehouse(settings, async (warehouse) => {
      try {
        return await loadCalls(warehouse, log, {
          catalog,
          mapping,
          strict: values.strict,
          batchRows,
          progress: ({ rowsWritten, bytesRead, totalBytes }) => {
            const seconds = Math.max(0.001, (performance.now() - started) / 1000);
            progress.update({
              done: bytesRead,
              total: totalBytes,
              detail: `${formatCount(rowsWritten)} rows · ${formatMegabytes(bytesRead)} · ${formatRate(rowsWritten / seconds, 'rows')}`,
            });
          },
        });
      } finally {
        progress.finish();
      }
    });
    const { tally } = summary;
    if (summary.alreadyLoaded) {
      output.out(`${input} was loaded before (load ${summary.loadId}): nothing written`);
      return EXIT.ok;
    }
    const seconds = (performance.now() - started) / 1000;
    const reasons = Object.entries(tally.rejectedByReason)
      .map(([reason, count]) => `${reason} ${formatCount(count ?? 0)}`)
      .join(', ');
    output.out(
      [
        `Loaded ${formatCount(summary.rowsWritten)} rows of ${input} in ${seconds.toFixed(1)} s (load ${summary.loadId})`,
        `Rejected rows: ${formatCount(tally.rowsRejected)}${reasons ? ` (${reasons})` : ''}`,
      ].join('\n'),
    );
    return EXIT.ok;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
