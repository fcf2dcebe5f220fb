import type { AnalysisAbout } from '../definition';

/** What the alignment analysis is: its name, report title, category and purpose. */
export const ABOUT_ALIGNMENT = {
  name: 'alignment',
  title: 'Organizational Alignment',
  category: 'finops',
  purpose:
    'Who pays for what inside the company: cost by organization, chargeback invoices, showback and cross-team efficiency.',
} as const satisfies AnalysisAbout;
