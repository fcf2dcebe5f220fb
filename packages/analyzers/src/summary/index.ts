/**
 * The executive summary: the candidate actions of the analyses, ranked by
 * money a month. An analysis takes part by declaring an `actions` step (its
 * folder's `actions.ts`, wired in its `index.ts`).
 */
export { type SummaryConfig, SUMMARY_SETTINGS } from './settings';
export { proposeAction } from './propose';
export { type SummarizeOptions, summarize } from './summarize';
