import { perMonth } from '../../context';
import type { AnalysisMeta } from '../../engine';
import { proposeAction } from '../../summary/propose';
import type { ActionCandidate } from '../definition';
import type { TokensResult, WasteRule } from './finish';

const RULE_ACTIONS: Record<WasteRule, { title: string; template: string }> = {
  oversized_prompt: {
    title: 'Trim oversized prompts',
    template:
      '{calls} calls send oversized prompts for the output they get, most on {provider}/{model} for {taskType}: trimming them saves {monthlyMicros} a month.',
  },
  long_input_tiny_output: {
    title: 'Serve long prompts with tiny answers from the prompt cache',
    template:
      '{calls} calls send long prompts for tiny answers, most on {provider}/{model} for {taskType}: caching those prompts saves {monthlyMicros} a month.',
  },
  premium_on_simple_task: {
    title: 'Take premium models off simple tasks',
    template:
      '{calls} calls use a premium model for a simple task, most on {provider}/{model} for {taskType}: a cheaper model of the same provider saves {monthlyMicros} a month.',
  },
};

/** One action per waste rule with a saving: the saving its stated fix brings over the window, prorated to a month. */
export function tokensActions(result: TokensResult, meta: AnalysisMeta): ActionCandidate[] {
  return result.wasteByRule.flatMap((row) => {
    const largest = result.waste.find((entry) => entry.rule === row.rule && entry.savingMicros > 0);
    if (row.savingMicros <= 0 || largest === undefined) return [];
    const monthlyMicros = perMonth(row.savingMicros, meta.window.days);
    const { title, template } = RULE_ACTIONS[row.rule];
    return [
      proposeAction(
        title,
        template,
        {
          calls: row.calls,
          provider: largest.provider,
          model: largest.model,
          taskType: largest.taskType,
          monthlyMicros,
        },
        monthlyMicros,
        'Wasted tokens',
      ),
    ];
  });
}
