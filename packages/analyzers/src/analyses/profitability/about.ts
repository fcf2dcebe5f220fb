import type { AnalysisAbout } from '../definition';

/** What the profitability analysis is: its name, report title, category and purpose. */
export const ABOUT_PROFITABILITY = {
  name: 'profitability',
  title: 'Customer Profitability',
  category: 'ubr',
  purpose: 'Which customers and plans make or lose money: revenue against AI cost per customer and per tier.',
} as const satisfies AnalysisAbout;
