import Handlebars from 'handlebars';
import {
  ALERTS_PARTIAL,
  CHART_PARTIAL,
  FIGURES_PARTIAL,
  HEAD_PARTIAL,
  INDEX_PAGE_TEMPLATE,
  METRIC_CARD_PARTIAL,
  RECOMMENDATIONS_PARTIAL,
  REPORT_PAGE_TEMPLATE,
  TABLE_BODY_PARTIAL,
  TABLE_PARTIAL,
  TEXT_PARTIAL,
} from './templates';

/** Compiled page templates. */
export interface CompiledTemplates {
  reportPage: Handlebars.TemplateDelegate;
  indexPage: Handlebars.TemplateDelegate;
}

let compiled: CompiledTemplates | undefined;

/**
 * The page templates, compiled once in an isolated Handlebars environment
 * (helpers and partials of other Handlebars users are not seen, nor changed).
 */
export function templates(): CompiledTemplates {
  if (compiled) return compiled;
  const environment = Handlebars.create();
  const partials: Record<string, string> = {
    head: HEAD_PARTIAL,
    'metric-card': METRIC_CARD_PARTIAL,
    'table-body': TABLE_BODY_PARTIAL,
    figures: FIGURES_PARTIAL,
    'block-table': TABLE_PARTIAL,
    'block-chart': CHART_PARTIAL,
    'block-alerts': ALERTS_PARTIAL,
    'block-recommendations': RECOMMENDATIONS_PARTIAL,
    'block-text': TEXT_PARTIAL,
  };
  for (const [name, source] of Object.entries(partials)) {
    environment.registerPartial(name, environment.compile(source, { strict: false, preventIndent: true }));
  }
  compiled = {
    reportPage: environment.compile(REPORT_PAGE_TEMPLATE, { preventIndent: true }),
    indexPage: environment.compile(INDEX_PAGE_TEMPLATE, { preventIndent: true }),
  };
  return compiled;
}
