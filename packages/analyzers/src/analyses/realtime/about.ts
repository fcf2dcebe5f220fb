import type { AnalysisAbout } from '../definition';

/** What the realtime analysis is: its name, report title, category and purpose. */
export const ABOUT_REALTIME = {
  name: 'realtime',
  title: 'Real-Time Decision Making',
  category: 'finops',
  purpose:
    'What needs action now: alerts, spikes, runaway calls and customers burning through their plan before the month closes.',
} as const satisfies AnalysisAbout;
