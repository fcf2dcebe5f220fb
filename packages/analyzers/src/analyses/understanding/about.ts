import type { AnalysisAbout } from '../definition';

/** What the understanding analysis is: its name, report title, category and purpose. */
export const ABOUT_UNDERSTANDING = {
  name: 'understanding',
  title: 'Understanding Usage & Cost',
  category: 'finops',
  purpose:
    'Where the AI money goes — by provider, model, customer, team and feature — and where it is heading.',
} as const satisfies AnalysisAbout;
