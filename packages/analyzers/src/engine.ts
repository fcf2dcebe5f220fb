import { stat } from 'node:fs/promises';
import {
  type CallColumns,
  type CallRecord,
  CallLogParser,
  CallLogRowError,
  CallLogTail,
  CallLogSourceError,
  CsvHeaderError,
  type ExecutiveSummary,
  FinopsError,
  type ColumnMapping,
  type CustomerDirectory,
  type PriceCatalog,
  QuarantineWriter,
  type ReadTally,
  type Rejection,
  copyTally,
  defaultCatalog,
  detectLogFormat,
  emptyTally,
  formatTimestamp,
  isPlainCsvFile,
  mergeTally,
  windowDays,
} from '@finops/schema';
import type { AlignmentResult } from './analyses/alignment/finish';
import type { FeaturesResult } from './analyses/features/finish';
import type { OverviewResult } from './analyses/overview/finish';
import type { GeographyResult } from './analyses/geography/finish';
import type { TokensResult } from './analyses/tokens/finish';
import type { ChurnResult } from './analyses/churn/finish';
import type { AbuseResult } from './analyses/abuse/finish';
import type { OptimizationResult } from './analyses/optimization/finish';
import type { PerformanceResult } from './analyses/performance/finish';
import type { PricingResult } from './analyses/pricing/finish';
import type { ProfitabilityResult } from './analyses/profitability/finish';
import type { RealtimeResult } from './analyses/realtime/finish';
import type { UnderstandingResult } from './analyses/understanding/finish';
import type { AnyAnalysisDefinition } from './analyses/definition';
import {
  ANALYSIS_REGISTRY,
  type AnalysisName,
  type AnalysisRegistry,
  checkRegistry,
} from './analyses/registry';
import { type AnalysisConfig, type AnalysisConfigInput, resolveConfig } from './config';
import { type FinishContext, finishContext } from './context';
import { digestGroupings, digestsOf, type SuppliedDigests } from './digest';
import { ColumnIdMap, Cube, type CubeData, type CubeSettings } from './cube';
import { BASE_GROUPINGS } from './store/builtin-groupings';
import { groupingParameters, needsSessionIds, unionOfGroupings } from './store/grouping';
import {
  type RangeRunner,
  analyzeFileInParts,
  defaultWorkerScript,
  defaultWorkers,
  threadRunner,
} from './parallel';
import { readInPipeline } from './pipeline';
import { readRange } from './range';
import { analyzeLogFiles } from './files';
import { summarize } from './summary/summarize';

export { ANALYSES, type AnalysisName } from './analyses/registry';

/** Rejected rows kept in {@link AnalysisMeta.rejections} (the quarantine file has them all). */
export const MAX_LISTED_REJECTIONS = 100;

/**
 * Version of the results contract ({@link AnalysisResults}); it changes when
 * a field is removed or changes meaning (see the changelog).
 */
export const RESULTS_VERSION = 2;

/** What was read and how: counts of rows, data-quality figures, the window. */
export interface AnalysisMeta {
  /** {@link RESULTS_VERSION}. */
  resultsVersion: number;
  source: string;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  rowsWarned: number;
  rejectedByReason: ReadTally['rejectedByReason'];
  warningsByKind: ReadTally['warningsByKind'];
  blankLines: number;
  bytesRead: number;
  /** Calls the kept rows stand for (a row with a `calls` weight counts that many). */
  calls: number;
  /** What the kept rows give and lack: reported, priced and unpriced costs, rows without an id or a latency. */
  coverage: ReadTally['coverage'];
  /** The first rejected rows by line (line, field, reason, message). */
  rejections: Omit<Rejection, 'raw' | 'value'>[];
  /** First and last call (timestamps, UTC) and the calendar days between them, inclusive. */
  window: { start: string | null; end: string | null; days: number };
  /** Customers seen under more than one tier (the latest tier counts). */
  tierConflicts: number;
  /** Names of the analyses run, in registry order. */
  analyses: string[];
  /** Threads the file was read with. */
  workers: number;
}

/** Everything {@link analyzeCosts} returns; an analysis not selected is absent. */
export interface AnalysisResults {
  meta: AnalysisMeta;
  understanding?: UnderstandingResult;
  performance?: PerformanceResult;
  realtime?: RealtimeResult;
  optimization?: OptimizationResult;
  alignment?: AlignmentResult;
  profitability?: ProfitabilityResult;
  pricing?: PricingResult;
  features?: FeaturesResult;
  overview?: OverviewResult;
  geography?: GeographyResult;
  tokens?: TokensResult;
  churn?: ChurnResult;
  abuse?: AbuseResult;
  /** The executive summary: the actions the analyses propose, ranked by money a month. */
  summary?: ExecutiveSummary;
  /** The result of an analysis of a custom registry, by its name. */
  [analysis: string]: unknown;
}

/** Progress of a read. */
export interface AnalyzeProgress {
  bytesRead: number;
  /** Size of the file, when the input is a file. */
  totalBytes?: number;
}

/** Options of {@link analyzeCosts} and {@link CostAnalyzer}. */
export interface AnalyzeOptions {
  /** Analyses to run (names in the registry); all of them by default. */
  analyses?: readonly (AnalysisName | (string & {}))[];
  /** The analyses known: the built-in eight ({@link ANALYSIS_REGISTRY}) by default, or a list with others added. */
  registry?: AnalysisRegistry;
  /** Settings over the defaults ({@link DEFAULT_CONFIG}). */
  config?: AnalysisConfigInput;
  /** Price catalog; the built-in one by default. */
  catalog?: PriceCatalog;
  /** The first rejected row is an error ({@link CallLogRowError}). */
  strict?: boolean;
  /** Write rejected rows to this file (written atomically when the read completes). */
  quarantine?: string;
  /**
   * Threads for a plain CSV file. With 2, a second thread parses and
   * validates the rows while the calling thread groups them, batch by batch
   * in the file's order (nothing to merge: the results are a single
   * thread's). With more, the file is split in that many byte ranges, each
   * read and grouped by a thread (the calling thread reads the first), and
   * the parts are merged. By default {@link defaultWorkers}: 2 for a file of
   * {@link TWO_THREADS_FROM_BYTES} or more on a machine with a second core,
   * else 1.
   */
  workers?: number;
  /** The worker entry script (the package's built `worker.js` by default). */
  workerScript?: string | URL;
  /** Called as the read advances. */
  progress?: (progress: AnalyzeProgress) => void;
  /** Customers' real plans and revenue (a customers file, see the schema's `loadCustomersFile`). */
  customers?: CustomerDirectory;
  /** The log's own names of our columns, when its headers differ (see the schema's `parseColumnMapping`). */
  mapping?: ColumnMapping;
  /** Name of the input in results and messages. */
  source?: string;
  /**
   * Digests another engine computes over the same calls and hands to
   * {@link CostAnalyzer.finish}, by name: the groupings only they read are
   * not filled (see `Digest`).
   */
  suppliedDigests?: readonly string[];
}

/** Input of {@link analyzeCosts}: a file path, a stream of bytes or text, or records (one by one or in batches). */
export type AnalyzeInput =
  | string
  | AsyncIterable<Uint8Array | string | CallRecord | readonly CallRecord[]>
  | Iterable<Uint8Array | string | CallRecord | readonly CallRecord[]>;

/** The serialisable state of a {@link CostAnalyzer}: the cube, the tally and the first rejections. */
export interface AnalyzerState {
  cube: CubeData;
  tally: ReadTally;
  rejections: Omit<Rejection, 'raw' | 'value'>[];
  source: string;
}

/**
 * The analyses as an object that takes records in any number of steps and
 * finishes as often as needed: finishing costs time in proportion to the
 * groups (customers, days, models), not to the records. States of parts
 * merge into the state of the whole ({@link merge}, {@link state}).
 *
 * @example
 * ```ts
 * const analyzer = new CostAnalyzer();
 * await analyzer.follow('calls.csv');      // everything so far
 * let results = analyzer.finish();
 * await analyzer.follow('calls.csv');      // only the lines appended since
 * results = analyzer.finish();
 * ```
 */
export class CostAnalyzer {
  readonly config: AnalysisConfig;
  readonly catalog: PriceCatalog;
  readonly analyses: string[];
  /** The definitions of the selected analyses, in registry order. */
  readonly selected: readonly AnyAnalysisDefinition[];
  /** Every analysis known (the order of pages and of ties in the summary). */
  readonly registry: AnalysisRegistry;
  source: string;
  private cube: Cube;
  private tally: ReadTally = emptyTally();
  private rejections: Omit<Rejection, 'raw' | 'value'>[] = [];
  private tail: CallLogTail | undefined;
  private workers = 1;

  constructor(private readonly options: AnalyzeOptions = {}) {
    const registry = checkRegistry(options.registry ?? ANALYSIS_REGISTRY);
    this.registry = registry;
    this.config = resolveConfig(options.config, registry);
    this.catalog = options.catalog ?? defaultCatalog();
    this.selected = options.analyses
      ? registry.filter((definition) => options.analyses?.includes(definition.name))
      : registry.slice();
    this.analyses = this.selected.map((definition) => definition.name);
    this.source = options.source ?? 'input';
    this.cube = this.newCube();
  }

  private newCube(): Cube {
    return new Cube(this.catalog, this.storeSettings());
  }

  /**
   * What the store fills: the groupings of the selected analyses, with the settings they name. A SQL
   * engine (`@finops/clickhouse`) fills the same groupings, so that its state merges into this one.
   */
  storeSettings(): CubeSettings {
    return storeSettingsOf(this.selected, this.config, this.options.suppliedDigests);
  }

  /** Adds validated records (counted as rows read and kept). */
  addRecords(records: readonly CallRecord[]): void {
    this.cube.addAll(records);
    this.tally.rowsRead += records.length;
    this.tally.rowsKept += records.length;
  }

  /** Adds one validated record (counted as a row read and kept). */
  addRecord(record: CallRecord): void {
    this.cube.add(record);
    this.tally.rowsRead++;
    this.tally.rowsKept++;
  }

  /**
   * Adds a column batch of the schema's parser (with its rejected rows).
   * `idMap` belongs to that parser: one per parser, kept across its batches.
   */
  addColumns(
    columns: CallColumns,
    values: readonly (readonly string[])[],
    idMap: ColumnIdMap,
    rejections: readonly Rejection[],
  ): void {
    this.cube.addColumns(columns, values, idMap);
    this.noteRejections(rejections);
  }

  /** Adds records read by a parser, with the parser's counts for them and the rows it rejected. */
  addParsed(records: readonly CallRecord[], rejections: readonly Rejection[], tally?: ReadTally): void {
    this.cube.addAll(records);
    this.noteRejections(rejections);
    if (tally) mergeTally(this.tally, tally);
  }

  private noteRejections(rejections: readonly Rejection[]): void {
    for (const rejection of rejections) {
      if (this.rejections.length >= MAX_LISTED_REJECTIONS) break;
      this.rejections.push({
        line: rejection.line,
        field: rejection.field,
        reason: rejection.reason,
        message: rejection.message,
      });
    }
  }

  /**
   * Reads what was appended to a growing log since the last call (all of it
   * the first time), up to its last complete line. A file that was replaced
   * or shrank is read again from the start. Returns the bytes read. Only a
   * plain CSV file can be followed: another container fails with a
   * {@link CallLogSourceError} (`csv_only`) naming the file.
   */
  async follow(path: string): Promise<number> {
    if (!this.tail || this.tail.path !== path) {
      const format = await detectLogFormat(path).catch(() => undefined);
      if (format !== undefined && (format.container !== 'csv' || format.gzip))
        throw new CallLogSourceError(
          'csv_only',
          path,
          `only a plain CSV file can be followed as it grows, not ${format.gzip ? 'gzip' : format.container} (analyse it whole instead)`,
        );
      this.tail = new CallLogTail(path, {
        catalog: this.catalog,
        strict: this.options.strict,
        mapping: this.options.mapping,
      });
      this.source = this.options.source ?? path;
      this.reset();
    }
    const update = await this.tail.poll();
    if (update.kind === 'reset') this.reset();
    this.cube.addAll(update.records);
    this.noteRejections(update.rejections);
    this.tally = this.tail.tally ? copyTally(this.tail.tally) : emptyTally();
    return update.bytesRead;
  }

  /** Forgets everything added. */
  reset(): void {
    this.cube = this.newCube();
    this.tally = emptyTally();
    this.rejections = [];
  }

  /** Adds another analyzer's state (of other records). */
  merge(other: CostAnalyzer | AnalyzerState): this {
    const state = other instanceof CostAnalyzer ? other.state() : other;
    this.cube.merge(Cube.fromData(state.cube, this.catalog));
    mergeTally(this.tally, state.tally);
    for (const rejection of state.rejections)
      if (this.rejections.length < MAX_LISTED_REJECTIONS) this.rejections.push(rejection);
    return this;
  }

  /** The state as plain data (JSON or structured clone). */
  state(): AnalyzerState {
    return {
      cube: this.cube.toData(),
      tally: copyTally(this.tally),
      rejections: this.rejections.slice(),
      source: this.source,
    };
  }

  /** Builds an analyzer from a saved state. */
  static fromState(state: AnalyzerState, options: AnalyzeOptions = {}): CostAnalyzer {
    const analyzer = new CostAnalyzer({ source: state.source, ...options });
    analyzer.merge(state);
    return analyzer;
  }

  /** Number of calls added so far. */
  get calls(): number {
    return this.cube.calls;
  }

  /** @internal Records the threads a file was read with (a read beside a reading thread). */
  noteThreads(threads: number): void {
    this.workers = threads;
  }

  /** @internal Installs the outcome of a parallel read. */
  adopt(cube: Cube, tally: ReadTally, rejections: readonly Rejection[], workers: number): void {
    this.cube = cube;
    this.tally = copyTally(tally);
    this.rejections = [];
    this.noteRejections(rejections);
    this.workers = workers;
  }

  /**
   * The results of the selected analyses over everything added so far.
   * The analyzer keeps the canonical copy its results are read from as its
   * state (the same figures, cells in key order): more calls can still be
   * added, and {@link state} and a later finish see them all.
   *
   * `supplied`: the values of digests another engine computed over the
   * same calls, by name; each digest named in
   * {@link AnalyzeOptions.suppliedDigests} that a selected analysis reads
   * must be there (its groupings were not filled).
   *
   * @throws FinopsError `digest_not_supplied` when one is missing.
   */
  finish(supplied: SuppliedDigests = {}): AnalysisResults {
    const missing = digestsOf(this.selected)
      .map((digest) => digest.name)
      .filter((name) => this.options.suppliedDigests?.includes(name) && !Object.hasOwn(supplied, name));
    if (missing.length > 0)
      throw new FinopsError(
        'digest_not_supplied',
        `the digests ${missing.map((name) => `"${name}"`).join(', ')} were to be supplied at finish, and were not`,
      );
    // The canonical copy holds everything the cube held and takes its place: the cube lets its
    // largest parts go while they are copied, so that two whole stores never stand side by side.
    const cube = this.cube.canonical(true);
    this.cube = cube;
    const context: FinishContext = finishContext(
      cube.reader(),
      this.catalog,
      this.config,
      this.options.customers,
      supplied,
    );
    const empty = cube.calls === 0;
    const rejections = this.rejections
      .slice()
      .sort((a, b) => a.line - b.line)
      .slice(0, MAX_LISTED_REJECTIONS);
    const results: AnalysisResults = {
      meta: {
        resultsVersion: RESULTS_VERSION,
        source: this.source,
        rowsRead: this.tally.rowsRead,
        rowsKept: this.tally.rowsKept,
        rowsRejected: this.tally.rowsRejected,
        rowsWarned: this.tally.rowsWarned,
        rejectedByReason: { ...this.tally.rejectedByReason },
        warningsByKind: { ...this.tally.warningsByKind },
        blankLines: this.tally.blankLines,
        bytesRead: this.tally.bytesRead,
        calls: cube.calls,
        coverage: { ...this.tally.coverage },
        rejections,
        window: {
          start: empty ? null : formatTimestamp(cube.firstMs),
          end: empty ? null : formatTimestamp(cube.lastMs),
          days: empty ? 0 : windowDays(cube.firstMs, cube.lastMs),
        },
        tierConflicts: context.tierConflicts,
        analyses: this.analyses.slice(),
        workers: this.workers,
      },
    };
    const settings = this.config as unknown as Record<string, unknown>;
    for (const definition of this.selected)
      results[definition.name] = definition.finish(context, settings[definition.name]);
    results.summary = summarize(results, { registry: this.registry, config: settings });
    return results;
  }
}

/**
 * The store's settings for a run of `selected`: the union of their
 * groupings and of those their digests read (less the digests `supplied` by
 * another engine), with the base ones every finish reads, and the value of
 * each setting a grouping names as a parameter.
 */
function storeSettingsOf(
  selected: readonly AnyAnalysisDefinition[],
  config: AnalysisConfig,
  supplied: readonly string[] = [],
): CubeSettings {
  const groupings = unionOfGroupings([
    BASE_GROUPINGS,
    ...selected.map((definition) => definition.groupings),
    digestGroupings(selected, supplied),
  ]);
  const sections = config as unknown as Record<string, Record<string, unknown>>;
  const parameters: Record<string, number> = {};
  for (const path of groupings.flatMap(groupingParameters)) {
    const [analysis = '', key = ''] = path.split('.');
    const value = sections[analysis]?.[key];
    if (typeof value !== 'number')
      throw new FinopsError(
        'unsupported_grouping',
        `a grouping names the setting "${path}", which is not a number`,
      );
    parameters[path] = value;
  }
  const performance = config.performance;
  return {
    slaMs: performance.slaMs,
    latencyBinMs: performance.latencyBinMs,
    latencyBinCount: performance.latencyBinCount,
    groupings,
    parameters,
  };
}

function isRecordLike(value: unknown): value is CallRecord {
  return typeof value === 'object' && value !== null && 'costMicros' in value && 'timeMs' in value;
}

/**
 * Runs the selected analyses over a call log in one pass and returns their
 * results. The input is a file path (a plain CSV file is read in byte
 * ranges by `workers` threads when more than one; a `.csv.gz`, JSON Lines or
 * Parquet file, a folder or a pattern of them is read in one thread), a
 * stream of bytes or text, or records.
 *
 * @example
 * ```ts
 * const results = await analyzeCosts('calls.csv', { workers: 2, config: { performance: { slaMs: 1500 } } });
 * console.log(results.understanding?.totals.costUsd, results.profitability?.unprofitable.count);
 * ```
 */
export async function analyzeCosts(
  input: AnalyzeInput,
  options: AnalyzeOptions = {},
): Promise<AnalysisResults> {
  const analyzer = await analyzeInto(
    new CostAnalyzer({ source: typeof input === 'string' ? input : undefined, ...options }),
    input,
    options,
  );
  return analyzer.finish();
}

/** A plain CSV file to read into an analyzer, and what the read reports to. */
interface PlainCsvRead {
  analyzer: CostAnalyzer;
  path: string;
  size: number;
  options: AnalyzeOptions;
  quarantine: QuarantineWriter | undefined;
  onProgress: (bytes: number) => void;
}

/** Reads the file in `parts` byte ranges with `runner`, this thread reading the first when `firstPartHere`. */
async function readInParts(
  read: PlainCsvRead,
  parts: number,
  runner: RangeRunner,
  firstPartHere: boolean,
): Promise<void> {
  const { analyzer, options, quarantine } = read;
  const outcome = await analyzeFileInParts(
    read.path,
    parts,
    analyzer.catalog,
    analyzer.storeSettings(),
    runner,
    {
      strict: options.strict,
      onProgress: read.onProgress,
      mapping: options.mapping,
      source: analyzer.source,
      firstPartHere,
    },
  );
  analyzer.adopt(outcome.cube, outcome.tally, outcome.rejections, outcome.parts);
  if (quarantine) await quarantine.write(outcome.rejections);
}

/**
 * Reads the file with a second thread that parses and validates the rows
 * while this one groups them, batch by batch in the file's order: what
 * {@link readInOneThread} does, with the reading moved off this thread.
 */
async function readBesideReader(read: PlainCsvRead, script: string | URL): Promise<void> {
  const { analyzer, options, quarantine } = read;
  const idMap = new ColumnIdMap();
  const tally = await readInPipeline(
    script,
    {
      kind: 'parse',
      path: read.path,
      source: analyzer.source,
      size: read.size,
      catalog: analyzer.catalog.toJSON(),
      mapping: options.mapping,
      sessionColumns: needsSessionIds(analyzer.storeSettings().groupings ?? []),
    },
    async (columns, values, rejections, bytes) => {
      // The reader does not stop at a rejected row: a strict read stops at the first batch that has one.
      if (options.strict && rejections.length > 0)
        throw new CallLogRowError(analyzer.source, rejections[0] as Rejection);
      analyzer.addColumns(columns, values, idMap, rejections);
      if (quarantine) await quarantine.write(rejections);
      if (bytes > 0) read.onProgress(bytes);
    },
  );
  analyzer.addParsed([], [], mergeTally(emptyTally(), tally));
  analyzer.noteThreads(2);
}

/** Reads the file in this thread alone. */
async function readInOneThread(read: PlainCsvRead): Promise<void> {
  const { analyzer, options, quarantine } = read;
  // Columns, not records: the analyses need no record objects, and the file is read fastest so.
  const parser = new CallLogParser({
    catalog: analyzer.catalog,
    strict: options.strict,
    source: analyzer.source,
    columns: true,
    sessionColumns: needsSessionIds(analyzer.storeSettings().groupings ?? []),
    mapping: options.mapping,
  });
  const idMap = new ColumnIdMap();
  await readRange(
    read.path,
    0,
    read.size,
    parser,
    async () => {
      const { columns, values, rejections } = parser.takeColumns();
      analyzer.addColumns(columns, values, idMap, rejections);
      if (quarantine) await quarantine.write(rejections);
    },
    read.onProgress,
    false,
  );
  if (parser.layout === undefined)
    throw new CsvHeaderError(
      analyzer.source,
      [],
      [],
      `${analyzer.source}: the file is empty (no header row)`,
    );
  analyzer.addParsed([], [], mergeTally(emptyTally(), parser.tally));
}

/**
 * Reads `input` into `analyzer` (see {@link analyzeCosts}); returns the
 * analyzer. With a `runner`, a plain CSV file read by more than one thread
 * is split in `workers` byte ranges, each read by the runner (two included).
 */
export async function analyzeInto(
  analyzer: CostAnalyzer,
  input: AnalyzeInput,
  options: AnalyzeOptions = {},
  runner?: RangeRunner,
): Promise<CostAnalyzer> {
  const catalog = analyzer.catalog;
  const quarantine = options.quarantine ? await QuarantineWriter.open(options.quarantine) : undefined;
  let finished = false;
  try {
    if (typeof input === 'string' && !(await isPlainCsvFile(input))) {
      await analyzeLogFiles(analyzer, input, options, quarantine);
    } else if (typeof input === 'string') {
      const { size } = await stat(input);
      let bytesRead = 0;
      const onProgress = (bytes: number): void => {
        bytesRead += bytes;
        options.progress?.({ bytesRead, totalBytes: size });
      };
      const workers = Math.max(1, Math.floor(options.workers ?? defaultWorkers(size)));
      const script = options.workerScript ?? defaultWorkerScript();
      const plain = { analyzer, path: input, size, options, quarantine, onProgress };
      // A runner given (tests, other hosts) reads every part; threads of this package leave the first to this one.
      if (runner !== undefined && workers > 1) await readInParts(plain, workers, runner, false);
      else if (workers > 2 && script !== undefined)
        await readInParts(plain, workers, threadRunner(script), true);
      else if (workers === 2 && script !== undefined) await readBesideReader(plain, script);
      else await readInOneThread(plain);
    } else {
      let parser: CallLogParser | undefined;
      let bytesRead = 0;
      for await (const item of input as AsyncIterable<
        Uint8Array | string | CallRecord | readonly CallRecord[]
      >) {
        if (typeof item === 'string' || item instanceof Uint8Array) {
          parser ??= new CallLogParser({
            catalog,
            strict: options.strict,
            source: analyzer.source,
            mapping: options.mapping,
          });
          parser.push(item);
          const taken = parser.take();
          analyzer.addParsed(taken.records, taken.rejections);
          if (quarantine) await quarantine.write(taken.rejections);
          bytesRead += typeof item === 'string' ? Buffer.byteLength(item) : item.byteLength;
          options.progress?.({ bytesRead });
        } else if (Array.isArray(item)) {
          analyzer.addRecords(item as readonly CallRecord[]);
        } else if (isRecordLike(item)) {
          analyzer.addRecord(item);
        } else {
          throw new TypeError(
            'analyzeCosts: the input yields something that is neither bytes, text nor call records',
          );
        }
      }
      if (parser) {
        parser.end();
        const taken = parser.take();
        analyzer.addParsed(taken.records, taken.rejections);
        if (quarantine) await quarantine.write(taken.rejections);
        if (parser.layout === undefined)
          throw new CsvHeaderError(
            analyzer.source,
            [],
            [],
            `${analyzer.source}: the input is empty (no header row)`,
          );
        analyzer.addParsed([], [], parser.tally);
      }
    }
    finished = true;
  } finally {
    if (quarantine) {
      if (finished) await quarantine.commit();
      else await quarantine.abort();
    }
  }
  return analyzer;
}
