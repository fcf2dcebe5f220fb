import type { AnalysisAbout } from '../definition';

/** What the churn analysis is: its name, report title, category and purpose. */
export const ABOUT_CHURN = {
  name: 'churn',
  title: 'Churn and Growth',
  category: 'ubr',
  purpose:
    "Which customers are about to leave, grow out of their plan or pay for more than they use: each customer's usage velocity, churn-risk scores with the revenue at risk and the signals behind them, expansion and downgrade candidates with the revenue of the plan change, and feature diversity and engagement per customer.",
} as const satisfies AnalysisAbout;
