import { access, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AttributionMap,
  type Detection,
  displayUrl,
  type ImportSummary,
  detectExport,
  importToCsv,
  isPostgresUrl,
  loadAttributionMap,
  SOURCES,
} from '@finops/importers';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';

/** Help text of `finops import`. */
export const IMPORT_HELP = `Usage: finops import <export> --out <calls.csv> [options]
       finops import postgresql://user@host/litellm --out <calls.csv> [options]

Reads an export you already have — LiteLLM spend logs, Langfuse
generations, OpenTelemetry GenAI spans, OpenAI or Anthropic usage and cost
reports, Helicone requests, FOCUS rows, or a log of ours — and writes it as
the toolkit's call log (CSV, written atomically). The source is recognised
from the content unless --from names it. Records that are not calls (agent
and tool spans, tax lines, repeats of an id) are skipped and counted; bad
records are rejected with where they are and why, and the good ones are
still imported. A cost the source reported is kept exactly; an empty cost is
priced from the catalog when the log is read. A PostgreSQL URL reads the
spend logs table of a LiteLLM proxy's database directly.

Options:
  --out <file>            the call log to write (required)
  --from <source>         the source, when recognition should not decide
  --attribution <file>    JSON map of our columns to source fields:
                          { "customer_id": "end_user", "feature_id": "tag:feature:",
                            "task_type": "metadata.spend_logs_metadata.task" }
  --since <time>          database only: calls that started at or after this time
  --until <time>          database only: calls that started before this time
  --table <name>          database only: the spend logs table (default LiteLLM_SpendLogs)
  --examples <n>          rejected records shown per reason (default 5)
  --json                  print the tally as JSON on stdout
  --sources               list the sources and exit
  -h, --help              show this help

Exit codes: 0 imported (skips are fine), 1 records were rejected, 2 usage or file error.

Examples:
  finops import spend-logs.json --out calls.csv
  finops import traces.jsonl --from otel --out calls.csv
  finops import generations.csv --attribution map.json --out calls.csv
  finops import postgresql://reader@db/litellm --since 2026-05-01 --out calls.csv`;

/** The sources, one a line. */
export function formatSources(): string {
  const width = Math.max(...SOURCES.map((source) => source.name.length));
  return SOURCES.map(
    (source) => `  ${source.name.padEnd(width)}  ${source.title} [${source.formats.join(', ')}]`,
  ).join('\n');
}

const FORMAT_WORDS = {
  json: 'JSON document',
  jsonl: 'JSON Lines',
  csv: 'CSV header',
  postgres: 'database table',
  api: 'API pages',
} as const;

/** The line that says which source is used and why. */
export function formatDetection(file: string, detection: Detection): string {
  const how = detection.forced
    ? 'as named by --from'
    : `recognised from its ${FORMAT_WORDS[detection.format]}`;
  return `Reading ${isPostgresUrl(file) ? displayUrl(file) : file} as ${detection.source.name} (${detection.source.title}), ${how}`;
}

/** The tally of an import as text for people. */
export function formatImportSummary(summary: ImportSummary, output: Output): string {
  const { tally } = summary;
  const number = (value: number): string => value.toLocaleString('en-US');
  const dollars = (micros: number): string => `$${(micros / 1_000_000).toFixed(6)}`;
  const lines = [
    output.color.bold(`Imported ${tally.file} into ${summary.out}`),
    `  records read      ${number(tally.recordsRead)}`,
    `  rows written      ${number(tally.recordsKept)} (${number(tally.calls)} calls)`,
    `  skipped           ${number(tally.recordsSkipped)}`,
    `  rejected          ${number(tally.recordsRejected)}`,
    `  tokens            ${number(tally.inputTokens)} in, ${number(tally.outputTokens)} out`,
    `  reported cost     ${number(tally.withReportedCost)} rows, ${dollars(tally.reportedCostMicros)}` +
      (tally.recordsKept > tally.withReportedCost
        ? `; ${number(tally.recordsKept - tally.withReportedCost)} rows without a cost are priced from the catalog when read`
        : ''),
  ];
  const skipReasons = Object.entries(tally.skippedByReason);
  if (skipReasons.length > 0) {
    lines.push('', 'Skipped (not calls)');
    for (const [reason, count] of skipReasons) lines.push(`  ${reason.padEnd(22)} ${number(count)}`);
  }
  if (tally.recordsRejected > 0) {
    lines.push('', output.color.red('Rejected records by reason'));
    for (const [reason, count] of Object.entries(tally.rejectedByReason)) {
      lines.push(`  ${reason.padEnd(22)} ${number(count ?? 0)}`);
      for (const example of summary.examples.filter((rejection) => rejection.reason === reason))
        lines.push(output.color.dim(`    ${example.message}`));
    }
  }
  return lines.join('\n');
}

/** `finops import`. */
export async function importCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      from: { type: 'string' },
      attribution: { type: 'string' },
      examples: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      table: { type: 'string' },
      json: { type: 'boolean' },
      sources: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(IMPORT_HELP);
    return EXIT.ok;
  }
  if (values.sources) {
    output.out(formatSources());
    return EXIT.ok;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError('import takes exactly one export file: finops import <export> --out calls.csv');
  if (!values.out) throw new UsageError('say where to write the call log: --out calls.csv');
  if (values.from !== undefined && !SOURCES.some((source) => source.name === values.from)) {
    throw new UsageError(
      `--from ${values.from}: no such source; sources: ${SOURCES.map((source) => source.name).join(', ')}`,
    );
  }
  const examplesPerReason = values.examples === undefined ? 5 : Number(values.examples);
  if (!Number.isInteger(examplesPerReason) || examplesPerReason < 0) {
    throw new UsageError(`--examples must be a whole number ≥ 0, got "${values.examples}"`);
  }
  const database = isPostgresUrl(file);
  if (!database) {
    await access(file).catch(() => {
      throw new UsageError(`cannot read ${file}: no such file (check the path)`);
    });
    if (values.since !== undefined || values.until !== undefined || values.table !== undefined)
      throw new UsageError('--since, --until and --table apply to a database URL only');
  }
  const attribution: AttributionMap | undefined = values.attribution
    ? await loadAttributionMap(values.attribution)
    : undefined;
  const summary = await importToCsv(file, values.out, {
    ...(values.from === undefined ? {} : { from: values.from }),
    ...(attribution === undefined ? {} : { attribution }),
    ...(values.since === undefined ? {} : { since: values.since }),
    ...(values.until === undefined ? {} : { until: values.until }),
    ...(values.table === undefined ? {} : { table: values.table }),
    examplesPerReason,
    onDetection: (detection) => output.err(formatDetection(file, detection)),
  });
  if (values.json) {
    output.out(
      JSON.stringify(
        {
          source: summary.detection.source.name,
          out: summary.out,
          tally: summary.tally,
          examples: summary.examples,
        },
        null,
        2,
      ),
    );
  } else {
    output.out(formatImportSummary(summary, output));
  }
  return summary.tally.recordsRejected > 0 ? EXIT.dataProblems : EXIT.ok;
}

/**
 * For `finops run <export>`: when `input` is an export of another source
 * (or LiteLLM's database), imports it into `out` and returns `out`; a log of
 * ours, or anything no importer recognises (a Parquet or gzip log, a folder,
 * a pattern), is returned as it is for the log reader.
 */
export async function importForRun(
  input: string,
  out: string,
  options: { from?: string; attribution?: string },
  output: Output,
): Promise<string> {
  if (!isPostgresUrl(input)) {
    if (options.from === 'finops') return input;
    const detection = await detectExport(
      input,
      options.from === undefined ? {} : { from: options.from },
    ).catch((error: unknown) => {
      if (options.from !== undefined) throw error;
      return undefined;
    });
    if (detection === undefined || detection.source.name === 'finops') return input;
  }
  await mkdir(dirname(resolve(out)), { recursive: true });
  const attribution = options.attribution ? await loadAttributionMap(options.attribution) : undefined;
  const summary = await importToCsv(input, out, {
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(attribution === undefined ? {} : { attribution }),
    onDetection: (detection) => output.err(formatDetection(input, detection)),
  });
  const { tally } = summary;
  output.err(
    `imported ${tally.recordsKept} rows (${tally.calls} calls) into ${out}; ` +
      `${tally.recordsSkipped} skipped, ${tally.recordsRejected} rejected (finops import ${input} --out … lists them)`,
  );
  return out;
}
