import type { AnalysisAbout } from '../definition';

/** What the overview analysis is: its name, report title, category and purpose. */
export const ABOUT_OVERVIEW = {
  name: 'overview',
  title: 'Data Set Overview',
  category: 'finops',
  purpose:
    'The data set on one page: its size and window, who and what it covers, where calls and cost go, how fast calls are, how complete the data is and how concentrated the spend is.',
} as const satisfies AnalysisAbout;
