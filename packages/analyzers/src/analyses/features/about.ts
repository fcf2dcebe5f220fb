import type { AnalysisAbout } from '../definition';

/** What the features analysis is: its name, report title, category and purpose. */
export const ABOUT_FEATURES = {
  name: 'features',
  title: 'Feature Economics',
  category: 'ubr',
  purpose:
    'Which features make or lose money: cost, adoption and attributed revenue per feature, where to invest and what to bundle.',
} as const satisfies AnalysisAbout;
