/**
 * Report documents of the analyses: each result becomes a `ReportDocument`
 * (`@finops/schema`) that any renderer can turn into a page, by the document
 * builder its analysis declares. Documents are plain data built only from the
 * results: the same results give the same documents.
 */
import type { ReportDocument, StandardReport } from '@finops/schema';
import { ANALYSIS_REGISTRY, type AnalysisName, type AnalysisRegistry } from '../analyses/registry';
import type { AnalysisResults } from '../engine';
import type { DocumentOptions } from './shared';
export { understandingDocument } from '../analyses/understanding/document';
export { performanceDocument } from '../analyses/performance/document';
export {
  realtimeDocument,
  reportAlert,
  ALERT_RULE_TITLES,
  RISK_SEVERITY,
} from '../analyses/realtime/document';
export { optimizationDocument } from '../analyses/optimization/document';
export { alignmentDocument } from '../analyses/alignment/document';
export { profitabilityDocument } from '../analyses/profitability/document';
export { pricingDocument, PRICING_MODEL_TITLES, formatPricingParameter } from '../analyses/pricing/document';
export { featuresDocument, QUADRANT_TITLES } from '../analyses/features/document';
export { overviewDocument } from '../analyses/overview/document';
export { geographyDocument } from '../analyses/geography/document';
export { tokensDocument } from '../analyses/tokens/document';
export { churnDocument, SIGNAL_TITLES } from '../analyses/churn/document';
export { abuseDocument } from '../analyses/abuse/document';

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

/**
 * The document of one analysis from the results it is in.
 *
 * @throws Error when `results` does not hold that analysis (it was not selected) or the registry does not know it.
 *
 * @example
 * ```ts
 * const results = await analyzeCosts('calls.csv');
 * const page = toReportDocument('profitability', results, { topN: 50 });
 * ```
 */
export function toReportDocument(
  name: AnalysisName | (string & {}),
  results: AnalysisResults,
  options: DocumentOptions = {},
  registry: AnalysisRegistry = ANALYSIS_REGISTRY,
): ReportDocument {
  const definition = registry.find((entry) => entry.name === name);
  if (definition === undefined) throw new Error(`toReportDocument: unknown analysis "${String(name)}"`);
  const result = results[name];
  if (result === undefined)
    throw new Error(
      `toReportDocument: the results hold no "${name}" analysis (analysed: ${
        registry
          .filter((entry) => results[entry.name] !== undefined)
          .map((entry) => entry.name)
          .join(', ') || 'none'
      }); select it when analysing`,
    );
  return definition.document(result, results.meta, options);
}

/** The documents of every analysis the results hold, in registry order. */
export function toReportDocuments(
  results: AnalysisResults,
  options: DocumentOptions = {},
  registry: AnalysisRegistry = ANALYSIS_REGISTRY,
): ReportDocument[] {
  return registry
    .filter((definition) => results[definition.name] !== undefined)
    .map((definition) => toReportDocument(definition.name, results, options, registry));
}

/** The reports of a registry (id, title, category), in the order pages are listed. */
export function standardReports(registry: AnalysisRegistry = ANALYSIS_REGISTRY): StandardReport[] {
  return registry.map((definition) => ({
    id: definition.name,
    title: definition.title,
    category: definition.category,
  }));
}
