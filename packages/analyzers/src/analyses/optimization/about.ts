import type { AnalysisAbout } from '../definition';

/** What the optimization analysis is: its name, report title, category and purpose. */
export const ABOUT_OPTIMIZATION = {
  name: 'optimization',
  title: 'Rate Optimization',
  category: 'finops',
  purpose:
    'How to pay less: cheaper models for the same task, commitments, volume discounts and the same model from another provider.',
} as const satisfies AnalysisAbout;
