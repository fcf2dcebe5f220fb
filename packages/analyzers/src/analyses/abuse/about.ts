import type { AnalysisAbout } from '../definition';

/** What the abuse analysis is: its name, report title, category and purpose. */
export const ABOUT_ABUSE = {
  name: 'abuse',
  title: 'Abuse and Security Signals',
  category: 'ubr',
  purpose:
    "Which customers use the service in ways that cost money or put it at risk: minute and hour bursts against their own normal, a low plan used like a dearer one, machine-regular traffic in their off-hours, model hopping, oversized batches and cost or volume far from every other customer's, each flag with its figures, the traffic it carries and an action.",
} as const satisfies AnalysisAbout;
