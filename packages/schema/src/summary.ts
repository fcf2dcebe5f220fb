/**
 * The executive summary: the few things to act on now, ranked by what each
 * is worth a month. The analyses propose the candidates from their results;
 * the ranking lives here so that the analyzers (which build a summary) and
 * a renderer (which refreshes part of a report folder and ranks again) rank
 * alike.
 */
import type { ReportFigures } from './report-document';

/** One thing to act on, with the figures it rests on. */
export interface SummaryAction {
  /** A few words: `Move qa calls to cheaper models`. */
  title: string;
  /** One sentence; every number in it is one of `figures`, formatted. */
  text: string;
  /** What acting on it is worth a month, in dollars (`monthlyMicros` / 10^6). */
  monthlyUsd: number;
  /** The same in integer micro-dollars: the ranking key. */
  monthlyMicros: number;
  /** The analysis that proposed it; its report page is `<analysis>.html`. */
  analysis: string;
  /** The title of the section of that page that shows the figures, when one does. */
  section?: string;
  /** The link to that page and section, relative to the report folder (set by a renderer). */
  href?: string;
  figures: ReportFigures;
}

/** The executive summary of a set of results (`summary` in the results JSON). */
export interface ExecutiveSummary {
  /** The top candidates worth at least `minMonthlyUsd`, at most `maxActions`, by `monthlyUsd` descending. */
  actions: SummaryAction[];
  /** Every candidate proposed, ranked; kept so that a partial refresh can rank again. */
  candidates: SummaryAction[];
  /** The analyses whose candidates were collected, in registry order. */
  analyses: string[];
  /** Most actions listed (a setting, 3 to 5). */
  maxActions: number;
  /** Least monthly worth of an action, in dollars (a setting). */
  minMonthlyUsd: number;
  /** Calendar days of the log window that window figures were prorated from (× 30 / days). */
  windowDays: number;
}

/**
 * Ranks candidates: by `monthlyMicros` descending, then by the analysis's
 * place in `order` (the registry's order of pages), then by title — a total
 * order, so equal inputs give equal summaries whatever order they came in.
 */
export function rankActions(candidates: readonly SummaryAction[], order: readonly string[]): SummaryAction[] {
  const place = (analysis: string): number => {
    const index = order.indexOf(analysis);
    return index < 0 ? order.length : index;
  };
  return candidates
    .slice()
    .sort(
      (a, b) =>
        b.monthlyMicros - a.monthlyMicros ||
        place(a.analysis) - place(b.analysis) ||
        (a.analysis < b.analysis ? -1 : a.analysis > b.analysis ? 1 : 0) ||
        (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) ||
        (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
    );
}

/** The actions of ranked candidates: those worth at least `minMonthlyUsd`, the first `maxActions` of them. */
export function topActions(
  ranked: readonly SummaryAction[],
  maxActions: number,
  minMonthlyUsd: number,
): SummaryAction[] {
  const least = Math.round(minMonthlyUsd * 1e6);
  return ranked
    .filter((action) => action.monthlyMicros > 0 && action.monthlyMicros >= least)
    .slice(0, maxActions);
}

/**
 * The summary after a refresh of some analyses: the candidates of `newer`,
 * and those of `older` whose analysis `newer` did not run, ranked again in
 * `order`. The settings and the window come from `newer`.
 */
export function mergeSummaries(
  older: ExecutiveSummary,
  newer: ExecutiveSummary,
  order: readonly string[],
): ExecutiveSummary {
  const refreshed = new Set(newer.analyses);
  const kept = older.candidates.filter((candidate) => !refreshed.has(candidate.analysis));
  const candidates = rankActions([...kept, ...newer.candidates], order);
  const analyses = [...older.analyses.filter((name) => !refreshed.has(name)), ...newer.analyses];
  return {
    ...newer,
    analyses: order
      .filter((name) => analyses.includes(name))
      .concat(analyses.filter((name) => !order.includes(name))),
    candidates,
    actions: topActions(candidates, newer.maxActions, newer.minMonthlyUsd),
  };
}

/** Whether a value has the shape of an {@link ExecutiveSummary} (a summary read back from a file). */
export function isExecutiveSummary(value: unknown): value is ExecutiveSummary {
  if (typeof value !== 'object' || value === null) return false;
  const summary = value as Partial<Record<keyof ExecutiveSummary, unknown>>;
  return (
    Array.isArray(summary.actions) &&
    Array.isArray(summary.candidates) &&
    Array.isArray(summary.analyses) &&
    typeof summary.maxActions === 'number' &&
    typeof summary.minMonthlyUsd === 'number' &&
    typeof summary.windowDays === 'number' &&
    summary.candidates.every(isSummaryAction)
  );
}

function isSummaryAction(value: unknown): value is SummaryAction {
  if (typeof value !== 'object' || value === null) return false;
  const action = value as Partial<Record<keyof SummaryAction, unknown>>;
  return (
    typeof action.title === 'string' &&
    typeof action.text === 'string' &&
    typeof action.analysis === 'string' &&
    typeof action.monthlyMicros === 'number' &&
    Number.isInteger(action.monthlyMicros) &&
    typeof action.monthlyUsd === 'number' &&
    typeof action.figures === 'object' &&
    action.figures !== null
  );
}
