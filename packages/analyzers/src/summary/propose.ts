import type { ActionCandidate } from '../analyses/definition';
import { recommend } from '../recommend';

/**
 * A candidate action from a sentence template with `{name}` placeholders:
 * the text is the template with `figures` filled in as the recommendations
 * write them, so every number in it is one of the figures.
 */
export function proposeAction(
  title: string,
  template: string,
  figures: Record<string, number | string>,
  monthlyMicros: number,
  section?: string,
): ActionCandidate {
  const { text } = recommend(template, figures);
  return section === undefined
    ? { title, text, monthlyMicros, figures }
    : { title, text, monthlyMicros, figures, section };
}
