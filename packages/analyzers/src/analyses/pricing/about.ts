import type { AnalysisAbout } from '../definition';

/** What the pricing analysis is: its name, report title, category and purpose. */
export const ABOUT_PRICING = {
  name: 'pricing',
  title: 'Pricing Strategy',
  category: 'ubr',
  purpose:
    'What pricing would earn the most without losing customers: the window replayed under flat, tiered, usage and hybrid pricing.',
} as const satisfies AnalysisAbout;
