import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AnalysisResults } from '@finops/analyzers';
import { formatUsd } from '@finops/schema';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';
import { formatCount, formatMegabytes } from '../progress';
import { writeReports } from '../reports';
import { CLICKHOUSE_FLAGS, CLICKHOUSE_HELP, FILTER_FLAGS } from '../clickhouse';
import { resolveCliConfig } from '../config';
import {
  ANALYSIS_FLAGS,
  analyzeWarehouseWithProgress,
  analyzeWithProgress,
  warehouseTarget,
} from './analyze';
import { importForRun } from './import';
import { SIMULATION_FLAGS, simulateWithProgress, simulationOptionsFrom } from './simulate';

/** Help text of `finops run`. */
export const RUN_HELP = `Usage: finops run [log.csv] [options]

The whole job: analyse a call log and write the reports. Without a log, it
first simulates the showcase dataset (all scenarios, 50 MB, seed 42) into
finops-data/calls.csv. An export of another source (LiteLLM, Langfuse,
OpenTelemetry, usage reports, Helicone, FOCUS; see finops import) is first
imported into that file.

The index opens with the things to act on now, ranked by money a month. A run
into a report folder of the same log keeps the pages it does not rewrite, so
--only <analysis> refreshes that page alone.

Options:
  --reports <dir>       report folder (default finops-reports)
  --data <file>         where the simulated or imported log goes (default finops-data/calls.csv)
  --from <source>       the source of an export, when recognition should not decide
  --attribution <file>  attribution map for an export (see finops import)
  all options of finops analyze (--only, --config, --catalog, --map,
    --customers, --strict, --quarantine, --workers) and, without a log,
    of finops simulate
    (--size-mb, --seed, --scenario, --customers, --days, --start, --param)
  --clickhouse <target> analyse the calls loaded into ClickHouse (finops load)
                        instead of a log, with --since, --until, --where as
                        in finops analyze; connection flags:
${CLICKHOUSE_HELP}
  -q, --quiet           print only the final summary
  -h, --help            show this help

Examples:
  finops run                      # showcase: simulate 50 MB, analyse, render
  finops run calls.csv            # your own log
  finops run spend-logs.json      # a LiteLLM export, imported, then analysed
  finops run --size-mb 5 --seed 7 # a smaller showcase
  finops run --clickhouse chdb:finops-db --reports out/`;

/** `finops run`. */
export async function runCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...ANALYSIS_FLAGS,
      ...SIMULATION_FLAGS,
      ...CLICKHOUSE_FLAGS,
      ...FILTER_FLAGS,
      reports: { type: 'string', default: 'finops-reports' },
      data: { type: 'string', default: join('finops-data', 'calls.csv') },
      from: { type: 'string' },
      attribution: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(RUN_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError('run takes at most one log file: finops run [log.csv]');
  // Over ClickHouse only with --clickhouse: a bare `finops run` stays the showcase.
  const target = warehouseTarget(positionals[0], values, await resolveCliConfig(values.config), true);
  if (target) {
    const results = await analyzeWarehouseWithProgress(target, values, output);
    const files = await writeReports(results, values.reports, results.meta.source);
    output.out(runSummary(results, results.meta.source, files.length, values.reports));
    return EXIT.ok;
  }
  let log = positionals[0];
  if (log === undefined) {
    const simulation = await simulationOptionsFrom({
      ...values,
      scenario: values.scenario ?? 'all',
      seed: values.seed ?? '42',
      'size-mb': values['size-mb'] ?? (values.days === undefined ? '50' : undefined),
    });
    // Nothing follows this file while it is written: it appears whole or not at all.
    const summary = await simulateWithProgress(simulation, values.data, output, false);
    output.err(
      `simulated ${formatCount(summary.calls)} calls (${formatMegabytes(summary.bytes)}) into ${summary.path}`,
    );
    log = values.data;
  } else {
    log = await importForRun(
      log,
      values.data,
      { from: values.from, attribution: values.attribution },
      output,
    );
  }
  const results = await analyzeWithProgress(log, values, output);
  const files = await writeReports(results, values.reports, log);
  output.out(runSummary(results, log, files.length, values.reports));
  return EXIT.ok;
}

/** The closing lines of a run: what was analysed and where the reports are. */
function runSummary(results: AnalysisResults, log: string, fileCount: number, reports: string): string {
  const { meta } = results;
  const cost = results.understanding?.totals.costMicros;
  const index = resolve(reports, 'index.html');
  const lines = [
    `Analysed ${log}: ${formatCount(meta.rowsKept)} calls${cost === undefined ? '' : `, ${formatUsd(cost)} of AI cost`}`,
    meta.window.start && meta.window.end
      ? `Window: ${meta.window.start.slice(0, 10)} to ${meta.window.end.slice(0, 10)} (${meta.window.days} days)`
      : 'Window: no calls',
    `Rejected rows: ${formatCount(meta.rowsRejected)}${meta.rowsRejected > 0 ? ` (finops validate ${log} lists them)` : ''}`,
    `Reports: ${fileCount} files in ${resolve(reports)}`,
    `Open: ${pathToFileURL(index).href}`,
  ];
  return lines.join('\n');
}
