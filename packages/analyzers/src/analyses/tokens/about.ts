import type { AnalysisAbout } from '../definition';

/** What the tokens analysis is: its name, report title, category and purpose. */
export const ABOUT_TOKENS = {
  name: 'tokens',
  title: 'Token Economics',
  category: 'finops',
  purpose:
    'How tokens are spent: the input/output ratio of calls by model, feature and customer, calls that waste tokens by stated rules and what a fix would save, prompt-cache savings, reasoning share and the spread of cost per token across models for the same task.',
} as const satisfies AnalysisAbout;
