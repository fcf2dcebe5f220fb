import { stat } from 'node:fs/promises';
import { type AnalysisResults, datasetSummary, toReportDocuments } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';

/** Renders the report pages, index and manifest of analysis results into `outDir`; returns the files written. */
export async function writeReports(
  results: AnalysisResults,
  outDir: string,
  dataFile: string,
): Promise<string[]> {
  const bytes = await stat(dataFile).then(
    (info) => (info.isFile() ? info.size : results.meta.bytesRead),
    () => results.meta.bytesRead,
  );
  return renderReports(toReportDocuments(results), {
    outDir,
    dataset: datasetSummary(results.meta, dataFile, bytes),
  });
}
