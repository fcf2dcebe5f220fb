import { type SettingsSpec, integer, list, number, setting, text } from '../../settings/rules';

/** Settings of the tokens analysis. */
export interface TokensConfig {
  /** A call with at least this many input tokens per output token is input-heavy. */
  inputHeavyRatio: number;
  /** A call with at most this many input tokens per output token is output-heavy. */
  outputHeavyRatio: number;
  /** Waste rule "oversized prompt": at least this many input tokens per output token. */
  oversizedRatio: number;
  /** The fix of an oversized prompt: trim it to this many input tokens per output token. */
  targetRatio: number;
  /** Waste rule "long input, tiny output": at least this many input tokens… */
  longInputTokens: number;
  /** …and at most this many output tokens. */
  tinyOutputTokens: number;
  /** Waste rule "premium model on a simple task": the task types counted as simple. */
  simpleTasks: string[];
  /** Fewest calls a model needs on a task type to be compared in the cost-per-token spread. */
  minCalls: number;
}

/** The settings of {@link TokensConfig}, with defaults and rules. */
export const TOKENS_SETTINGS: SettingsSpec<TokensConfig> = {
  inputHeavyRatio: setting(
    4,
    number({ min: 0 }),
    'A call with at least this many input tokens per output token is input-heavy.',
  ),
  outputHeavyRatio: setting(
    0.25,
    number({ min: 0 }),
    'A call with at most this many input tokens per output token is output-heavy.',
  ),
  oversizedRatio: setting(
    20,
    number({ min: 0 }),
    'Waste rule "oversized prompt": at least this many input tokens per output token.',
  ),
  targetRatio: setting(
    5,
    number({ min: 0 }),
    'Fix of an oversized prompt: trim it to this many input tokens per output token.',
  ),
  longInputTokens: setting(
    4000,
    number({ min: 0 }),
    'Waste rule "long input, tiny output": at least this many input tokens per call…',
  ),
  tinyOutputTokens: setting(20, number({ min: 0 }), '…and at most this many output tokens per call.'),
  simpleTasks: setting(
    ['qa', 'translation', 'chat'],
    list(text()),
    'Waste rule "premium model on a simple task": the task types counted as simple.',
  ),
  minCalls: setting(
    10,
    integer({ min: 1 }),
    'Fewest calls a model needs on a task type to be compared in the cost-per-token spread.',
  ),
};
