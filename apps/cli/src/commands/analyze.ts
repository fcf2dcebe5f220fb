import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { ANALYSES, type AnalysisName, type AnalysisResults, analyzeCosts } from '@finops/analyzers';
import type { ClickHouseSettings } from '@finops/clickhouse/settings';
import {
  type CustomerDirectory,
  formatUsd,
  listCallLogFiles,
  loadCatalog,
  loadCustomersFile,
  type LogFile,
  writeFileAtomic,
} from '@finops/schema';
import {
  CLICKHOUSE_FLAGS,
  CLICKHOUSE_HELP,
  clickHouseSettingsOf,
  FILTER_FLAGS,
  filterOf,
  withWarehouse,
} from '../clickhouse';
import { applySettingFlags, type CliConfig, mappingOf, resolveCliConfig, withPlans } from '../config';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';
import { formatCount, formatMegabytes, formatRate, ProgressReporter } from '../progress';

/** What a command's log argument may be, for the help texts. */
export const LOG_ARGUMENT_HELP = `The log is a .csv, .jsonl or .ndjson file (each optionally .gz), a .parquet
file, a folder of such files, or a quoted pattern such as 'logs/*.csv.gz':
several files are read as one log, in name order.`;

/** Help text of `finops analyze`. */
export const ANALYZE_HELP = `Usage: finops analyze <log.csv> [options]
       finops analyze --clickhouse <target> [--since …] [--until …] [--where …] [options]

Runs every analysis over a call log in one pass and writes the results
(the JSON contract of @finops/analyzers). With --clickhouse they run over the
calls loaded into ClickHouse (finops load): the same results as over the
loaded logs.

${LOG_ARGUMENT_HELP}

Options:
  --json                print the results as JSON on stdout
  --out <file>          write the results as JSON to a file
  --only <names>        comma-separated analyses: ${ANALYSES.join(', ')}
  --config <file>       settings file (default: finops.config.json if present)
  --catalog <file>      price catalog JSON (overrides the config file's)
  --map <ours=theirs>   read a log whose column names differ, e.g.
                        --map customer_id=end_user,timestamp=startTime
                        (repeatable; the config file's "map" too)
  --customers <file>    customers CSV (customer_id, plan, monthly_revenue_usd,
                        organization_id, name): real plans and revenue
  --strict              stop at the first bad row (exit 1)
  --quarantine <file>   write rejected rows, untouched, with their reason
  --workers <n>         threads for a CSV file: 2 reads and groups side by side,
                        more splits the file (default: 2 from 32 MiB with a
                        second core, else 1)
  --set <s.k=v>         a setting over the config file, e.g.
                        --set realtime.spikeMultiple=4 (repeatable)
  -q, --quiet           no progress or summary
  -h, --help            show this help

Over ClickHouse:
${CLICKHOUSE_HELP}
  --since <date>        first day or instant read (ISO 8601, UTC unless an offset)
  --until <date>        last day (whole) or instant read
  --where <col=value>   only calls whose column holds the value (repeatable;
                        one column given twice keeps either value), e.g.
                        --where customer_id=cust_0075 --where environment=production

Without --json or --out, a short summary is printed. Exit codes: 0 done,
1 a bad row with --strict, 2 bad usage or input, 3 the database could not be
used (unreachable, refused credentials, no or foreign tables).

Examples:
  finops analyze calls.csv --out results.json
  finops analyze calls.csv --json --only understanding,profitability | jq .profitability.unprofitable
  finops analyze big.csv --workers 2 --quarantine rejected.csv
  finops analyze --clickhouse chdb:finops-db --since 2025-11-01 --json`;

/** The analysis flags shared by `analyze` and `run`. */
export const ANALYSIS_FLAGS = {
  only: { type: 'string' },
  config: { type: 'string' },
  catalog: { type: 'string' },
  strict: { type: 'boolean' },
  quarantine: { type: 'string' },
  workers: { type: 'string' },
  set: { type: 'string', multiple: true },
  map: { type: 'string', multiple: true },
  customers: { type: 'string' },
} as const;

/** Parses `--only`. */
export function parseOnly(value: string | undefined): AnalysisName[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(ANALYSES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--only takes analyses among ${ANALYSES.join(', ')}; got "${unknown.join(', ') || value}"`,
    );
  }
  return names as AnalysisName[];
}

/**
 * The files of a log argument (a file, a folder or a pattern); a path that
 * does not exist is a usage error, with `hint` on how to get one.
 */
export async function logFilesOf(log: string, hint = 'check the path'): Promise<LogFile[]> {
  return listCallLogFiles(log).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UsageError(`cannot read ${log}: no such file (${hint})`);
    throw error;
  });
}

/** Runs the analyses over a log with a progress display, from parsed flags. */
export async function analyzeWithProgress(
  log: string,
  values: {
    only?: string;
    config?: string;
    catalog?: string;
    strict?: boolean;
    quarantine?: string;
    workers?: string;
    set?: string[];
    map?: string[];
    customers?: string;
  },
  output: Output,
): Promise<AnalysisResults> {
  const files = await logFilesOf(log, 'or run finops simulate to make one');
  // Without --workers the library chooses by the file's size (defaultWorkers).
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 64)) {
    throw new UsageError(`--workers must be a whole number from 1 to 64, got "${values.workers}"`);
  }
  const config = await resolveCliConfig(values.config);
  const catalog = withPlans(
    values.catalog ? await loadCatalog(values.catalog) : config.catalog,
    config.plans,
  );
  const mapping = mappingOf(config, values.map ?? []);
  const customersPath = values.customers ?? config.customers;
  const customers = customersPath === undefined ? undefined : await loadCustomers(customersPath);
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const started = performance.now();
  const progress = new ProgressReporter(output, 'analyze');
  if (values.quarantine) await mkdir(dirname(values.quarantine), { recursive: true });
  try {
    return await analyzeCosts(log, {
      analyses: parseOnly(values.only),
      config: applySettingFlags(config.analysis, values.set ?? []),
      catalog,
      mapping,
      customers,
      strict: values.strict,
      quarantine: values.quarantine,
      workers,
      progress: ({ bytesRead }) => {
        const seconds = Math.max(0.001, (performance.now() - started) / 1000);
        progress.update({
          done: bytesRead,
          total: totalBytes,
          detail: `${formatMegabytes(bytesRead)} of ${formatMegabytes(totalBytes)} · ${formatRate(bytesRead / 1_000_000 / seconds, 'MB')}`,
        });
      },
    });
  } finally {
    progress.finish();
  }
}

/** Flags of the file readers that mean nothing over ClickHouse. */
const FILE_ONLY_FLAGS = ['workers', 'quarantine', 'strict', 'map'] as const;

/**
 * The ClickHouse settings when the analyses should read the calls table:
 * `--clickhouse` given, or (unless `explicitOnly`) no log given and the
 * config file or the environment naming a target. Filters without a table
 * are a usage error.
 */
export function warehouseTarget(
  log: string | undefined,
  values: Parameters<typeof clickHouseSettingsOf>[0] & {
    since?: string;
    until?: string;
    where?: string[];
  } & Partial<Record<(typeof FILE_ONLY_FLAGS)[number], unknown>>,
  config: CliConfig,
  explicitOnly = log !== undefined,
): ClickHouseSettings | undefined {
  const settings = clickHouseSettingsOf(values, config, explicitOnly);
  if (settings === undefined) {
    if (values.since !== undefined || values.until !== undefined || values.where !== undefined)
      throw new UsageError(
        '--since, --until and --where filter the calls in ClickHouse: add --clickhouse <target>',
      );
    return undefined;
  }
  if (log !== undefined)
    throw new UsageError(`read either a log (${log}) or ClickHouse (--clickhouse), not both`);
  const fileOnly = FILE_ONLY_FLAGS.filter((flag) => values[flag] !== undefined);
  if (fileOnly.length > 0)
    throw new UsageError(
      `${fileOnly.map((flag) => `--${flag}`).join(', ')} apply to reading log files, not ClickHouse (rows were validated at load)`,
    );
  return settings;
}

/** Runs the analyses over the calls table in ClickHouse, with a progress display, from parsed flags. */
export async function analyzeWarehouseWithProgress(
  settings: ClickHouseSettings,
  values: {
    only?: string;
    config?: string;
    catalog?: string;
    set?: string[];
    customers?: string;
    since?: string;
    until?: string;
    where?: string[];
  },
  output: Output,
): Promise<AnalysisResults> {
  const config = await resolveCliConfig(values.config);
  const catalog = withPlans(
    values.catalog ? await loadCatalog(values.catalog) : config.catalog,
    config.plans,
  );
  const customersPath = values.customers ?? config.customers;
  const customers = customersPath === undefined ? undefined : await loadCustomers(customersPath);
  const filter = await filterOf(values);
  const { analyzeWarehouse } = await import('@finops/clickhouse');
  const progress = new ProgressReporter(output, 'analyze');
  let done = 0;
  try {
    return await withWarehouse(settings, (warehouse) =>
      analyzeWarehouse(warehouse, {
        analyses: parseOnly(values.only),
        config: applySettingFlags(config.analysis, values.set ?? []),
        catalog,
        customers,
        filter,
        onAggregate: (name, rows, _milliseconds, total) => {
          done++;
          progress.update({
            done,
            total,
            detail: `${name}: ${formatCount(rows)} groups`,
          });
        },
      }),
    );
  } finally {
    progress.finish();
  }
}

/** Reads a customers file; a missing one is a usage error. */
async function loadCustomers(path: string): Promise<CustomerDirectory> {
  return loadCustomersFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UsageError(`cannot read the customers file ${path}: no such file`);
    throw error;
  });
}

/** A few lines on what an analysis found, for people. */
export function summarizeResults(results: AnalysisResults): string {
  const { meta } = results;
  const lines = [
    `${meta.source}: ${formatCount(meta.rowsKept)} calls analysed, ${formatCount(meta.rowsRejected)} rows rejected, ${formatCount(meta.rowsWarned)} warned`,
  ];
  if (meta.window.start && meta.window.end) {
    lines.push(
      `window: ${meta.window.start.slice(0, 10)} to ${meta.window.end.slice(0, 10)} (${meta.window.days} days)`,
    );
  }
  const totals = results.understanding?.totals;
  if (totals)
    lines.push(`cost: ${formatUsd(totals.costMicros)} over ${formatCount(totals.customers)} customers`);
  const coverage = meta.coverage;
  if (coverage.rowsPriced > 0 || coverage.rowsUnpriced > 0) {
    lines.push(
      `costs: ${formatCount(coverage.rowsReported)} reported, ${formatCount(coverage.rowsPriced)} priced from the catalog, ${formatCount(coverage.rowsUnpriced)} unpriced (${formatCount(coverage.unpricedTokens)} tokens of models the catalog does not know, counted at $0)`,
    );
  }
  if (coverage.rowsWithoutCallId > 0)
    lines.push(
      `${formatCount(coverage.rowsWithoutCallId)} rows have no call_id: duplicates among them cannot be detected`,
    );
  return lines.join('\n');
}

/** `finops analyze`. */
export async function analyzeCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...ANALYSIS_FLAGS,
      ...CLICKHOUSE_FLAGS,
      ...FILTER_FLAGS,
      json: { type: 'boolean' },
      out: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(ANALYZE_HELP);
    return EXIT.ok;
  }
  const log = positionals[0];
  if (positionals.length > 1)
    throw new UsageError(
      'analyze takes exactly one log (a file, a folder or a quoted pattern): finops analyze <log>',
    );
  const target = warehouseTarget(log, values, await resolveCliConfig(values.config));
  if (!log && !target)
    throw new UsageError(
      'analyze takes exactly one log (a file, a folder or a quoted pattern): finops analyze <log>, or --clickhouse <target>',
    );
  const results = target
    ? await analyzeWarehouseWithProgress(target, values, output)
    : await analyzeWithProgress(log as string, values, output);
  const json = JSON.stringify(results, null, 2);
  if (values.out) {
    await mkdir(dirname(values.out), { recursive: true });
    await writeFileAtomic(values.out, `${json}\n`);
    output.err(`results written to ${values.out}`);
  }
  if (values.json) output.out(json);
  if (!values.json) output.err(summarizeResults(results));
  return EXIT.ok;
}
