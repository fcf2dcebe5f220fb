/**
 * The shape of an analysis: one folder under `src/analyses/`, one definition
 * object, registered in one list ({@link ANALYSIS_REGISTRY}). Everything the
 * engine, the settings, the documents and the CLI know about an analysis
 * comes from its definition, so adding one touches its folder and the list.
 */
import type { ReportCategory, ReportDocument } from '@finops/schema';
import type { FinishContext } from '../context';
import type { DocumentOptions } from '../documents/shared';
import type { AnyDigest } from '../digest';
import type { AnalysisMeta } from '../engine';
import type { SettingsSpec } from '../settings/rules';
import type { GroupingSpec } from '../store/grouping';

/** What an analysis is, as its report page says: name (also the page id), title, category and purpose. */
export interface AnalysisAbout<Name extends string = string> {
  /** Stable name: the key of its result, its settings section and its page (`<name>.html`). */
  readonly name: Name;
  /** Title of its report page. */
  readonly title: string;
  /** The family of reports it belongs to. */
  readonly category: ReportCategory;
  /** One sentence: the question it answers. */
  readonly purpose: string;
}

/**
 * One analysis: what it is, its settings, the aggregates it reads (declared
 * as groupings, which a store fills in one pass or a SQL engine with GROUP BY
 * queries), how it finishes its result from them and how the result becomes
 * a report document.
 */
export interface AnalysisDefinition<
  Name extends string = string,
  Settings = object,
  Result = unknown,
> extends AnalysisAbout<Name> {
  /** Its settings with defaults and rules (the config section named after it). */
  readonly settings: SettingsSpec<Settings>;
  /** The aggregates it reads, by grouping; the store computes only the groupings of the selected analyses. */
  readonly groupings: readonly GroupingSpec[];
  /**
   * The digests its finish reads (`context.digest(…)`): figures computed
   * from the whole of the aggregates, here from the groupings each digest
   * declares (filled as if declared here) or supplied by another engine.
   */
  readonly digests?: readonly AnyDigest[];
  /** Its result, from the aggregates (read through `context.aggregates`), its digests and its settings. */
  finish(context: FinishContext, settings: Settings): Result;
  /** Its report page, built from the result alone. */
  document(result: Result, meta: AnalysisMeta, options?: DocumentOptions): ReportDocument;
  /**
   * What it cannot compute from bucketed rows (usage-report rows with a
   * `calls` weight), each a phrase its page states under "Limits of the
   * data" when the log has such rows (see `bucketedRowsNote`).
   */
  readonly bucketedLimits?: readonly string[];
  /**
   * Optional: the things to act on that its result shows, each with what it
   * is worth a month, for the executive summary (its folder's `actions.ts`).
   * An analysis without money figures leaves it out.
   */
  actions?(result: Result, meta: AnalysisMeta, settings: Settings): ActionCandidate[];
}

/**
 * A thing to act on that an analysis proposes for the executive summary:
 * one sentence with its figures and what acting on it is worth a month.
 * The summary adds the analysis's name and ranks it against the others.
 */
export interface ActionCandidate {
  /** A few words: `Move qa calls to cheaper models`. */
  readonly title: string;
  /** One sentence; every number in it is one of `figures`, formatted (see {@link proposeAction}). */
  readonly text: string;
  /** What acting on it is worth a month, in integer micro-dollars (a window figure prorated × 30 / window days). */
  readonly monthlyMicros: number;
  /** The title of the section of the analysis's page that shows the figures. */
  readonly section?: string;
  /** The figures behind the sentence; money in micro-dollars (names ending in `Micros`). */
  readonly figures: Readonly<Record<string, number | string>>;
}

/** An analysis of any settings and result (the registry's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- settings and results differ per analysis; each definition is checked where it is written
export type AnyAnalysisDefinition = AnalysisDefinition<string, any, any>;

/** Declares an analysis (typed, frozen). */
export function defineAnalysis<Name extends string, Settings, Result>(
  definition: AnalysisDefinition<Name, Settings, Result>,
): AnalysisDefinition<Name, Settings, Result> {
  return Object.freeze(definition);
}
