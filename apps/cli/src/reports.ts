import { stat } from 'node:fs/promises';
import { type AnalysisResults, datasetSummary, summarize, toReportDocuments } from '@finops/analyzers';
import { renderReports } from '@finops/report-renderer';

/**
 * Renders the report pages, index (with the executive summary) and manifest
 * of analysis results into `outDir`; returns the files written. Reports an
 * earlier run of the same log left in `outDir` and these results do not
 * replace stay listed, so a run of some analyses refreshes their pages only.
 */
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
    // Results saved before the summary existed get one from their own figures.
    summary: results.summary ?? summarize(results),
    keepReports: true,
  });
}
