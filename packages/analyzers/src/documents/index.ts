/**
 * Report documents of the eight analyses: each result becomes a
 * `ReportDocument` (`@finops/schema`) that any renderer can turn into a page.
 * Documents are plain data built only from the results: the same results
 * give the same documents.
 */
import type { ReportDocument } from '@finops/schema';
import { ANALYSES, type AnalysisName, type AnalysisResults } from '../engine';
import { alignmentDocument } from './alignment';
import { featuresDocument } from './features';
import { optimizationDocument } from './optimization';
import { performanceDocument } from './performance';
import { pricingDocument } from './pricing';
import { profitabilityDocument } from './profitability';
import { realtimeDocument } from './realtime';
import type { DocumentOptions } from './shared';
import { understandingDocument } from './understanding';

export {
  type DocumentOptions,
  type ResolvedDocumentOptions,
  DEFAULT_DOCUMENT_OPTIONS,
  resolveDocumentOptions,
  figureLabel,
  presentFigures,
  recommendationItems,
  reportWindow,
  reportSource,
  datasetSummary,
} from './shared';
export { understandingDocument } from './understanding';
export { performanceDocument } from './performance';
export { realtimeDocument, reportAlert, ALERT_RULE_TITLES, RISK_SEVERITY } from './realtime';
export { optimizationDocument } from './optimization';
export { alignmentDocument } from './alignment';
export { profitabilityDocument } from './profitability';
export { pricingDocument, PRICING_MODEL_TITLES, formatPricingParameter } from './pricing';
export { featuresDocument, QUADRANT_TITLES } from './features';

/**
 * The document of one analysis from the results it is in.
 *
 * @throws Error when `results` does not hold that analysis (it was not selected).
 *
 * @example
 * ```ts
 * const results = await analyzeCosts('calls.csv');
 * const page = toReportDocument('profitability', results, { topN: 50 });
 * ```
 */
export function toReportDocument(
  name: AnalysisName,
  results: AnalysisResults,
  options: DocumentOptions = {},
): ReportDocument {
  const { meta } = results;
  const missing = (): Error =>
    new Error(
      `toReportDocument: the results hold no "${name}" analysis (analysed: ${
        ANALYSES.filter((entry) => results[entry] !== undefined).join(', ') || 'none'
      }); select it when analysing`,
    );
  switch (name) {
    case 'understanding':
      if (!results.understanding) throw missing();
      return understandingDocument(results.understanding, meta, options);
    case 'performance':
      if (!results.performance) throw missing();
      return performanceDocument(results.performance, meta, options);
    case 'realtime':
      if (!results.realtime) throw missing();
      return realtimeDocument(results.realtime, meta, options);
    case 'optimization':
      if (!results.optimization) throw missing();
      return optimizationDocument(results.optimization, meta, options);
    case 'alignment':
      if (!results.alignment) throw missing();
      return alignmentDocument(results.alignment, meta, options);
    case 'profitability':
      if (!results.profitability) throw missing();
      return profitabilityDocument(results.profitability, meta, options);
    case 'pricing':
      if (!results.pricing) throw missing();
      return pricingDocument(results.pricing, meta, options);
    case 'features':
      if (!results.features) throw missing();
      return featuresDocument(results.features, meta, options);
    default:
      throw new Error(`toReportDocument: unknown analysis "${String(name)}"`);
  }
}

/** The documents of every analysis the results hold, in the order of {@link ANALYSES}. */
export function toReportDocuments(results: AnalysisResults, options: DocumentOptions = {}): ReportDocument[] {
  return ANALYSES.filter((name) => results[name] !== undefined).map((name) =>
    toReportDocument(name, results, options),
  );
}
