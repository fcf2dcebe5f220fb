import { parseArgs } from 'node:util';
import {
  type ColumnMapping,
  loadCatalog,
  type PriceCatalog,
  readCallLog,
  type ReadTally,
  type Rejection,
  REJECTION_REASONS,
  WARNING_KINDS,
} from '@finops/schema';
import { mappingOf } from '../config';
import { EXIT, UsageError } from '../errors';
import { LOG_ARGUMENT_HELP, logFilesOf } from './analyze';
import type { Output } from '../output';

/** Help text of `finops validate`. */
export const VALIDATE_HELP = `Usage: finops validate <log.csv> [options]

Checks a call log against the data format and prints its data-quality
report: rows read, kept, warned and rejected, the rejected rows by reason
with their first line numbers, and warnings by kind.

${LOG_ARGUMENT_HELP}

Options:
  --quarantine <file>   write every rejected row, untouched, with its reason
  --catalog <file>      price catalog JSON for the model and price checks
  --map <ours=theirs>   read a log whose column names differ (repeatable)
  --examples <n>        rejected lines shown per reason (default 5)
  --json                print the report as JSON on stdout
  -q, --quiet           print nothing but the JSON report (with --json)
  -h, --help            show this help

Exit codes: 0 clean, 1 rows were rejected, 2 usage or I/O error.

Examples:
  finops validate calls.csv
  finops validate calls.csv --quarantine rejected.csv
  finops validate calls.csv --json > quality.json`;

/** The data-quality report of a log. */
export interface ValidationReport {
  file: string;
  tally: ReadTally;
  /** The first rejected rows of each reason. */
  examples: Partial<Record<Rejection['reason'], Pick<Rejection, 'line' | 'field' | 'value' | 'message'>[]>>;
  quarantine?: string;
}

/** Reads a whole log and gathers its data-quality report. */
export async function validateLog(
  file: string,
  options: {
    catalog?: PriceCatalog;
    quarantine?: string;
    examplesPerReason?: number;
    mapping?: ColumnMapping;
  } = {},
): Promise<ValidationReport> {
  const perReason = options.examplesPerReason ?? 5;
  const examples: ValidationReport['examples'] = {};
  let tally: ReadTally | undefined;
  for await (const batch of readCallLog(file, {
    catalog: options.catalog,
    quarantine: options.quarantine,
    mapping: options.mapping,
  })) {
    tally = batch.tally;
    for (const rejection of batch.rejections) {
      const list = (examples[rejection.reason] ??= []);
      if (list.length < perReason) {
        const { line, field, value, message } = rejection;
        list.push({ line, field, value, message });
      }
    }
  }
  return {
    file,
    tally: tally as ReadTally,
    examples,
    ...(options.quarantine ? { quarantine: options.quarantine } : {}),
  };
}

/** The report as text for people. */
export function formatValidationReport(report: ValidationReport, output: Output): string {
  const { tally } = report;
  const number = (value: number): string => value.toLocaleString('en-US');
  const lines = [
    output.color.bold(`Data quality of ${report.file}`),
    `  rows read      ${number(tally.rowsRead)}`,
    `  rows kept      ${number(tally.rowsKept)}`,
    `  rows warned    ${number(tally.rowsWarned)}`,
    `  rows rejected  ${number(tally.rowsRejected)}`,
  ];
  const coverage = tally.coverage;
  if (tally.rowsKept > 0) {
    lines.push(
      '',
      output.color.bold('What the kept rows give'),
      `  cost reported          ${number(coverage.rowsReported)}`,
      `  cost from the catalog  ${number(coverage.rowsPriced)}`,
      `  unpriced (cost 0)      ${number(coverage.rowsUnpriced)}${coverage.rowsUnpriced > 0 ? ` — ${number(coverage.unpricedTokens)} tokens of models the catalog does not know` : ''}`,
      `  without a call id      ${number(coverage.rowsWithoutCallId)}${coverage.rowsWithoutCallId > 0 ? ' — duplicates among them cannot be detected' : ''}`,
      `  without a latency      ${number(coverage.rowsWithoutLatency)}${coverage.rowsWithoutLatency > 0 ? ' — left out of latency figures' : ''}`,
    );
  }
  if (tally.rowsRejected > 0) {
    lines.push('', output.color.red('Rejected rows by reason'));
    for (const reason of REJECTION_REASONS) {
      const count = tally.rejectedByReason[reason];
      if (!count) continue;
      lines.push(`  ${reason.padEnd(20)} ${number(count)}`);
      for (const example of report.examples[reason] ?? [])
        lines.push(output.color.dim(`    ${example.message}`));
    }
  }
  const warningKinds = WARNING_KINDS.filter((kind) => tally.warningsByKind[kind]);
  if (warningKinds.length > 0) {
    lines.push('', output.color.yellow('Warnings (rows kept)'));
    for (const kind of warningKinds)
      lines.push(`  ${kind.padEnd(20)} ${number(tally.warningsByKind[kind] ?? 0)}`);
  }
  if (report.quarantine) lines.push('', `Rejected rows written to ${report.quarantine}`);
  return lines.join('\n');
}

/** `finops validate`. */
export async function validateCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quarantine: { type: 'string' },
      catalog: { type: 'string' },
      map: { type: 'string', multiple: true },
      examples: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(VALIDATE_HELP);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError(
      'validate takes exactly one log (a file, a folder or a quoted pattern): finops validate <log>',
    );
  const examplesPerReason = values.examples === undefined ? 5 : Number(values.examples);
  if (!Number.isInteger(examplesPerReason) || examplesPerReason < 0) {
    throw new UsageError(`--examples must be a whole number ≥ 0, got "${values.examples}"`);
  }
  await logFilesOf(file);
  const catalog = values.catalog ? await loadCatalog(values.catalog) : undefined;
  const mapping = values.map === undefined ? undefined : mappingOf({ analysis: {} }, values.map);
  const report = await validateLog(file, {
    catalog,
    quarantine: values.quarantine,
    examplesPerReason,
    mapping,
  });
  if (values.json) output.out(JSON.stringify(report, null, 2));
  else output.out(formatValidationReport(report, output));
  return report.tally.rowsRejected > 0 ? EXIT.dataProblems : EXIT.ok;
}
