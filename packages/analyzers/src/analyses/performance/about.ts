import type { AnalysisAbout } from '../definition';

/** What the performance analysis is: its name, report title, category and purpose. */
export const ABOUT_PERFORMANCE = {
  name: 'performance',
  title: 'Performance Tracking',
  category: 'finops',
  purpose:
    'How fast and how cost-efficient each model is: latency percentiles, throughput, SLA compliance and the best model per task.',
} as const satisfies AnalysisAbout;
