import { type DocumentOptions, toReportDocuments } from '@finops/analyzers';
import type { DocumentBuilder } from './live';

/** The analyzers' eight standard report documents from analysis results. */
export function standardDocuments(options: DocumentOptions = {}): DocumentBuilder {
  return (results) => toReportDocuments(results, options);
}
