/**
 * Importing an export: recognise its source (or take the one named), stream
 * its records through the source's mapping and the attribution map, check
 * each row, drop repeats of a call id, and hand out rows in batches with a
 * running tally. Nothing is dropped silently: every record is kept, rejected
 * (with file, line or record, field and reason) or skipped (with a reason).
 */
import { CallIdSet, MAX_FIELD_LENGTH, MAX_TAGS_LENGTH } from '@finops/schema';
import {
  applyAttribution,
  type AttributionMap,
  compileAttribution,
  type CompiledAttribution,
  mergeAttribution,
} from './attribution';
import { type ImportRow, INTEGER_COLUMNS, REQUIRED_COLUMNS } from './columns';
import { decimalToMicros } from './decimal';
import { csvRows } from './input/csv';
import { stat } from 'node:fs/promises';
import { ExportFileError, jsonLineBatches, MAX_JSON_DOCUMENT_BYTES, readJsonDocument } from './input/json';
import { type StreamedLayout, streamJsonElements } from './input/json-stream';
import { type Sniffed, sniffFile } from './input/sniff';
import { importedProvider } from './providers';
import type { ImportRejectionReason, InputFormat, SourceImporter, SourceOutcome } from './source';
import { SOURCES } from './sources';
import { emptyImportTally, type ImportRejection, type ImportTally } from './tally';
import { isObject } from './values';

/** Options of {@link importExport}. */
export interface ImportOptions {
  /** The source's name (`--from`); recognised from the content when absent. */
  from?: string;
  /** Attribution overriding the source's defaults, column by column. */
  attribution?: AttributionMap;
  /** Rows per batch; 1000 by default. */
  batchSize?: number;
  /**
   * Largest JSON document parsed whole, in bytes (64 MiB by default). A
   * larger one is streamed record by record when its records are a
   * top-level array or the `data` array of a page.
   */
  maxJsonBytes?: number;
  /** Importers to choose from; every registered one by default. */
  sources?: readonly SourceImporter[];
  /** Told which source was chosen, before the first record is read. */
  onDetection?: (detection: Detection) => void;
  /**
   * Call ids already in the log being extended (a resumed pull): a record
   * with one of them is skipped as `duplicate_call_id`. Ids imported are added.
   */
  seenCallIds?: CallIdSet;
}

/** Which source an export is from, and how that was decided. */
export interface Detection {
  source: SourceImporter;
  format: InputFormat;
  /** `true` when named by the caller, `false` when recognised from the content. */
  forced: boolean;
}

/** Rows imported so far in one step, the rejections met in it, and the tally up to here. */
export interface ImportBatch {
  detection: Detection;
  rows: ImportRow[];
  rejections: ImportRejection[];
  tally: ImportTally;
}

const FORMAT_WORDS: Record<InputFormat, string> = {
  json: 'JSON document',
  jsonl: 'JSON Lines',
  csv: 'CSV header',
  postgres: 'database table',
  api: 'API pages',
};

function shapeHint(sniffed: Sniffed, document: unknown): string {
  if (sniffed.format === 'csv') return `columns ${(sniffed.header ?? []).slice(0, 8).join(', ')}`;
  const value = sniffed.format === 'json' ? document : sniffed.firstValue;
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return isObject(first)
      ? `an array of objects with keys ${Object.keys(first).slice(0, 8).join(', ')}`
      : 'an array';
  }
  return isObject(value) ? `keys ${Object.keys(value).slice(0, 8).join(', ')}` : 'no object';
}

function recognizes(source: SourceImporter, sniffed: Sniffed, document: unknown): boolean {
  if (!source.formats.includes(sniffed.format)) return false;
  if (sniffed.format === 'csv') return source.recognizeCsv?.(sniffed.header ?? []) ?? false;
  return source.recognizeJson?.(sniffed.format === 'json' ? document : sniffed.firstValue) ?? false;
}

/** A record of a streamed document wrapped as the one-record document its importer reads. */
function unitOf(layout: StreamedLayout, value: unknown): unknown {
  return layout === 'array' ? [value] : { data: [value] };
}

/** The place of a streamed record's outcome, in the whole document. */
function placeInDocument(at: string | undefined, layout: StreamedLayout, index: number): string | undefined {
  const prefix = layout === 'array' ? '[0]' : 'data[0]';
  if (at === undefined || !at.startsWith(prefix)) return at;
  return `${layout === 'array' ? '' : 'data'}[${index}]${at.slice(prefix.length)}`;
}

async function firstStreamedUnit(file: string): Promise<unknown> {
  let layout: StreamedLayout = 'array';
  try {
    for await (const element of streamJsonElements(file, (found) => (layout = found))) {
      return 'value' in element ? unitOf(layout, element.value) : undefined;
    }
  } catch (error) {
    throw new ExportFileError(file, 'too_large', streamRefusal(error));
  }
  return undefined;
}

function streamRefusal(error: unknown): string {
  return `too large to parse whole, and it cannot be read record by record: ${(error as Error).message}; export it as JSON Lines or CSV instead`;
}

async function openExport(
  file: string,
  options: ImportOptions,
): Promise<{ detection: Detection; document: unknown; streamed: boolean }> {
  const sources = options.sources ?? SOURCES;
  let sniffed: Sniffed;
  try {
    sniffed = await sniffFile(file);
  } catch (error) {
    throw new ExportFileError(file, 'unreadable', `cannot read it (${(error as Error).message})`);
  }
  const limit = options.maxJsonBytes ?? MAX_JSON_DOCUMENT_BYTES;
  const streamed = sniffed.format === 'json' && (await stat(file)).size > limit;
  const document =
    sniffed.format !== 'json'
      ? undefined
      : streamed
        ? await firstStreamedUnit(file)
        : await readJsonDocument(file, limit);
  if (options.from !== undefined) {
    const source = sources.find((candidate) => candidate.name === options.from);
    if (!source) {
      throw new ExportFileError(
        file,
        'unrecognized',
        `no source "${options.from}"; sources: ${sources.map((candidate) => candidate.name).join(', ')}`,
      );
    }
    if (!source.formats.includes(sniffed.format)) {
      throw new ExportFileError(
        file,
        'wrong_format',
        `is a ${FORMAT_WORDS[sniffed.format]} file; ${source.name} reads ${source.formats.join(', ')}`,
      );
    }
    return { detection: { source, format: sniffed.format, forced: true }, document, streamed };
  }
  const source = sources.find((candidate) => recognizes(candidate, sniffed, document));
  if (!source) {
    throw new ExportFileError(
      file,
      'unrecognized',
      `could not tell which source this export is from: tried ${sources
        .map((candidate) => candidate.name)
        .join(
          ', ',
        )} on its ${FORMAT_WORDS[sniffed.format]} (${shapeHint(sniffed, document)}); name it with --from <source>`,
    );
  }
  return { detection: { source, format: sniffed.format, forced: false }, document, streamed };
}

/** Recognises the source of an export (or checks the one named) without importing it. */
export async function detectExport(file: string, options: ImportOptions = {}): Promise<Detection> {
  return (await openExport(file, options)).detection;
}

function locationText(file: string, line: number | undefined, record: string | undefined): string {
  let text = file;
  if (line !== undefined) text += `:${line}`;
  if (record !== undefined) text += ` ${record}`;
  return text;
}

/** The state of one import: counts, the ids seen, the batch being filled. */
class ImportRun {
  readonly tally: ImportTally;
  private readonly seen: CallIdSet;
  private rows: ImportRow[] = [];
  private rejections: ImportRejection[] = [];

  constructor(
    private readonly file: string,
    readonly detection: Detection,
    private readonly attribution: CompiledAttribution,
    private readonly batchSize: number,
    seen: CallIdSet = new CallIdSet(),
  ) {
    this.seen = seen;
    this.tally = emptyImportTally(file, detection.source.name, detection.format);
  }

  get full(): boolean {
    return this.rows.length >= this.batchSize;
  }

  take(outcome: SourceOutcome, line: number | undefined): void {
    this.tally.recordsRead++;
    if (outcome.kind === 'skipped') return this.skip(outcome.reason);
    if (outcome.kind === 'rejected') {
      return this.reject(line, outcome.at, outcome.field, outcome.reason, outcome.message);
    }
    const row = outcome.row;
    applyAttribution(this.attribution, outcome.view, row);
    const problem = checkRow(row);
    if (problem) return this.reject(line, outcome.at, problem.field, problem.reason, problem.message);
    const callId = row.call_id;
    if (callId !== undefined && !this.seen.add(String(callId))) return this.skip('duplicate_call_id');
    this.keep(row);
  }

  /** A record that could not even be read as JSON or CSV. */
  unreadable(line: number, message: string): void {
    this.tally.recordsRead++;
    this.reject(line, undefined, '(record)', 'malformed_record', message);
  }

  private keep(row: ImportRow): void {
    const tally = this.tally;
    tally.recordsKept++;
    tally.calls += Number(row.calls ?? 1);
    tally.inputTokens += Number(row.input_tokens);
    tally.outputTokens += Number(row.output_tokens);
    if (row.cost_usd !== undefined) {
      tally.withReportedCost++;
      tally.reportedCostMicros += decimalToMicros(String(row.cost_usd));
    }
    this.rows.push(row);
  }

  private skip(reason: string): void {
    this.tally.recordsSkipped++;
    this.tally.skippedByReason[reason] = (this.tally.skippedByReason[reason] ?? 0) + 1;
  }

  private reject(
    line: number | undefined,
    record: string | undefined,
    field: string,
    reason: ImportRejectionReason,
    message: string,
  ): void {
    this.tally.recordsRejected++;
    this.tally.rejectedByReason[reason] = (this.tally.rejectedByReason[reason] ?? 0) + 1;
    this.rejections.push({
      file: this.file,
      ...(line === undefined ? {} : { line }),
      ...(record === undefined ? {} : { record }),
      field,
      reason,
      message: `${locationText(this.file, line, record)}: ${message}`,
    });
  }

  flush(): ImportBatch {
    const batch: ImportBatch = {
      detection: this.detection,
      rows: this.rows,
      rejections: this.rejections,
      tally: {
        ...this.tally,
        rejectedByReason: { ...this.tally.rejectedByReason },
        skippedByReason: { ...this.tally.skippedByReason },
      },
    };
    this.rows = [];
    this.rejections = [];
    return batch;
  }
}

/** The first problem of a mapped row, checked the same way for every source. */
export function checkRow(
  row: ImportRow,
): { field: string; reason: ImportRejectionReason; message: string } | undefined {
  for (const column of REQUIRED_COLUMNS) {
    const value = row[column];
    if (value === undefined || value === '') {
      return {
        field: column,
        reason: 'missing_field',
        message: `no value for ${column}, which every call needs`,
      };
    }
  }
  for (const column of INTEGER_COLUMNS) {
    const value = row[column];
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
      return {
        field: column,
        reason: 'invalid_number',
        message: `${column} is not a whole number ≥ 0: ${String(value)}`,
      };
    }
  }
  if (row.calls !== undefined && Number(row.calls) < 1) {
    return {
      field: 'calls',
      reason: 'invalid_number',
      message: 'calls (the weight of a bucket row) must be ≥ 1',
    };
  }
  const input = Number(row.input_tokens);
  const cached = Number(row.cached_input_tokens ?? 0);
  const written = Number(row.cache_write_input_tokens ?? 0);
  if (cached + written > input) {
    return {
      field: 'cached_input_tokens',
      reason: 'inconsistent_tokens',
      message: `cache reads (${cached}) and writes (${written}) exceed input_tokens (${input}), which includes them`,
    };
  }
  if (Number(row.reasoning_tokens ?? 0) > Number(row.output_tokens)) {
    return {
      field: 'reasoning_tokens',
      reason: 'inconsistent_tokens',
      message: `reasoning_tokens (${row.reasoning_tokens}) exceed output_tokens (${row.output_tokens}), which includes them`,
    };
  }
  row.provider = importedProvider(String(row.provider));
  for (const column in row) {
    const value = row[column as keyof ImportRow];
    if (typeof value !== 'string' || value.length <= MAX_FIELD_LENGTH) continue;
    const limit = column === 'tags' ? MAX_TAGS_LENGTH : MAX_FIELD_LENGTH;
    if (value.length > limit) {
      return {
        field: column,
        reason: 'field_too_long',
        message: `${column} is ${value.length} characters long, over ${limit}`,
      };
    }
  }
  return undefined;
}

/** A record read from somewhere other than a file (a database row), with where it was found. */
export interface LocatedOutcome {
  outcome: SourceOutcome;
  line?: number;
}

/**
 * Imports records that a reader produced (rows of a database table) through
 * the same checks, attribution, duplicate detection and tally as a file.
 * `name` is how the input is named in messages (a URL without its password).
 */
export async function* importOutcomes(
  name: string,
  detection: Detection,
  outcomes: AsyncIterable<LocatedOutcome>,
  options: ImportOptions = {},
): AsyncGenerator<ImportBatch> {
  options.onDetection?.(detection);
  const run = new ImportRun(
    name,
    detection,
    compileAttribution(mergeAttribution(detection.source.defaultAttribution, options.attribution)),
    options.batchSize ?? 1000,
    options.seenCallIds,
  );
  for await (const { outcome, line } of outcomes) {
    run.take(outcome, line);
    if (run.full) yield run.flush();
  }
  yield run.flush();
}

/**
 * Imports an export as batches of our rows. Without `from` the source is
 * recognised from the content; a file that no source recognises is an
 * {@link ExportFileError} naming what was tried. JSON Lines and CSV are
 * streamed; a JSON document is read whole up to its size limit.
 */
export async function* importExport(file: string, options: ImportOptions = {}): AsyncGenerator<ImportBatch> {
  const { detection, document, streamed } = await openExport(file, options);
  options.onDetection?.(detection);
  const source = detection.source;
  const run = new ImportRun(
    file,
    detection,
    compileAttribution(mergeAttribution(source.defaultAttribution, options.attribution)),
    options.batchSize ?? 1000,
  );
  if (detection.format === 'json' && streamed) {
    let layout: StreamedLayout = 'array';
    try {
      for await (const element of streamJsonElements(file, (found) => (layout = found))) {
        if ('problem' in element) {
          run.unreadable(element.line, element.problem);
        } else {
          for (const outcome of source.readJson?.(unitOf(layout, element.value)) ?? []) {
            run.take(
              { ...outcome, at: placeInDocument(outcome.at, layout, element.index) } as SourceOutcome,
              element.line,
            );
          }
        }
        if (run.full) yield run.flush();
      }
    } catch (error) {
      throw new ExportFileError(file, 'too_large', streamRefusal(error));
    }
  } else if (detection.format === 'json') {
    for (const outcome of source.readJson?.(document) ?? []) {
      run.take(outcome, undefined);
      if (run.full) yield run.flush();
    }
  } else if (detection.format === 'jsonl') {
    for await (const items of jsonLineBatches(file)) {
      for (const item of items) {
        if ('problem' in item) run.unreadable(item.line, item.problem);
        else for (const outcome of source.readJson?.(item.value) ?? []) run.take(outcome, item.line);
        if (run.full) yield run.flush();
      }
    }
  } else {
    for await (const item of csvRows(file)) {
      if ('problem' in item) run.unreadable(item.line, `not a CSV row: ${item.problem}`);
      else if (source.readCsvRow) run.take(source.readCsvRow(item.row), item.line);
      if (run.full) yield run.flush();
    }
  }
  yield run.flush();
}
