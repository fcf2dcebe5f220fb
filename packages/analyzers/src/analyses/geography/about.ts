import type { AnalysisAbout } from '../definition';

/** What the geography analysis is: its name, report title, category and purpose. */
export const ABOUT_GEOGRAPHY = {
  name: 'geography',
  title: 'Regions and Routes',
  category: 'finops',
  purpose:
    'Where calls are served: calls, cost and latency by region and by provider × region, the regions and routes that break the SLA, and the fastest and cheapest route for each model.',
} as const satisfies AnalysisAbout;
