import { stat } from 'node:fs/promises';
import { type AnalysisResults, toReportDocuments } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';
import type { DatasetSummary } from '@finops/schema';

/** The data file and data-quality figures of an analysis, as the index and manifest show them. */
export async function datasetSummaryOf(results: AnalysisResults, dataFile: string): Promise<DatasetSummary> {
  const { meta } = results;
  const bytes = await stat(dataFile).then(
    (info) => info.size,
    () => meta.bytesRead,
  );
  const window =
    meta.window.start && meta.window.end
      ? { start: meta.window.start.slice(0, 10), end: meta.window.end.slice(0, 10), days: meta.window.days }
      : null;
  return {
    path: dataFile,
    bytes,
    window,
    rowsRead: meta.rowsRead,
    rowsKept: meta.rowsKept,
    rowsWarned: meta.rowsWarned,
    rowsRejected: meta.rowsRejected,
    rejectedByReason: { ...meta.rejectedByReason },
    warningsByKind: { ...meta.warningsByKind },
  };
}

/** Renders the report pages, index and manifest of analysis results into `outDir`; returns the files written. */
export async function writeReports(
  results: AnalysisResults,
  outDir: string,
  dataFile: string,
): Promise<string[]> {
  const documents = toReportDocuments(results);
  return renderReports(documents, { outDir, dataset: await datasetSummaryOf(results, dataFile) });
}
