import { type SettingsSpec, integer, list, number, setting, shape, share, text } from '../../settings/rules';

/** A volume discount tier: from a monthly spend with one provider, a discount. */
export interface VolumeTier {
  minMonthlyUsd: number;
  discount: number;
}

/** A model family sold by several providers (e.g. GPT-4 by OpenAI and Azure). */
export interface ModelFamily {
  family: string;
  members: { provider: string; model: string }[];
}

/** Settings of analysis 4, rate optimization. */
export interface OptimizationConfig {
  /** Commitment levels as shares of the lowest steady daily spend. */
  commitmentLevels: number[];
  /** Commitment discounts tried at every level. */
  commitmentDiscounts: number[];
  /** Volume discount tiers by monthly spend per provider. */
  volumeTiers: VolumeTier[];
  /** A provider is "near" the next volume tier from this share of its threshold. */
  volumeNearShare: number;
  /** Model families for provider arbitrage. */
  modelFamilies: ModelFamily[];
  /** Task types simple enough to move to a model any number of classes lower (premium → budget). */
  simpleTasks: string[];
  /** Classes a switch may drop for other task types (1: premium → standard, standard → budget). */
  maxClassDrop: number;
}

/** The same model sold by several providers: where one lists it cheaper (a negotiated rate, say), the move is arbitrage. */
const MODEL_FAMILIES: ModelFamily[] = [
  {
    family: 'gpt-5',
    members: [
      { provider: 'openai', model: 'gpt-5' },
      { provider: 'azure.ai.openai', model: 'gpt-5' },
    ],
  },
  {
    family: 'gpt-5-mini',
    members: [
      { provider: 'openai', model: 'gpt-5-mini' },
      { provider: 'azure.ai.openai', model: 'gpt-5-mini' },
    ],
  },
  {
    family: 'gpt-4.1',
    members: [
      { provider: 'openai', model: 'gpt-4.1' },
      { provider: 'azure.ai.openai', model: 'gpt-4.1' },
    ],
  },
  {
    family: 'gpt-4o',
    members: [
      { provider: 'openai', model: 'gpt-4o' },
      { provider: 'azure.ai.openai', model: 'gpt-4o' },
    ],
  },
  {
    family: 'gpt-4o-mini',
    members: [
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'azure.ai.openai', model: 'gpt-4o-mini' },
    ],
  },
  {
    family: 'o3',
    members: [
      { provider: 'openai', model: 'o3' },
      { provider: 'azure.ai.openai', model: 'o3' },
    ],
  },
  {
    family: 'o4-mini',
    members: [
      { provider: 'openai', model: 'o4-mini' },
      { provider: 'azure.ai.openai', model: 'o4-mini' },
    ],
  },
  {
    family: 'claude-opus-4-1',
    members: [
      { provider: 'anthropic', model: 'claude-opus-4-1' },
      { provider: 'aws.bedrock', model: 'anthropic.claude-opus-4-1' },
      { provider: 'gcp.vertex_ai', model: 'claude-opus-4-1' },
    ],
  },
  {
    family: 'claude-sonnet-4-5',
    members: [
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { provider: 'aws.bedrock', model: 'anthropic.claude-sonnet-4-5' },
      { provider: 'gcp.vertex_ai', model: 'claude-sonnet-4-5' },
    ],
  },
  {
    family: 'claude-haiku-4-5',
    members: [
      { provider: 'anthropic', model: 'claude-haiku-4-5' },
      { provider: 'aws.bedrock', model: 'anthropic.claude-haiku-4-5' },
      { provider: 'gcp.vertex_ai', model: 'claude-haiku-4-5' },
    ],
  },
  {
    family: 'gemini-2.5-pro',
    members: [
      { provider: 'gcp.gemini', model: 'gemini-2.5-pro' },
      { provider: 'gcp.vertex_ai', model: 'gemini-2.5-pro' },
    ],
  },
  {
    family: 'gemini-2.5-flash',
    members: [
      { provider: 'gcp.gemini', model: 'gemini-2.5-flash' },
      { provider: 'gcp.vertex_ai', model: 'gemini-2.5-flash' },
    ],
  },
];

/** The settings of {@link OptimizationConfig}, with defaults and rules. */
export const OPTIMIZATION_SETTINGS: SettingsSpec<OptimizationConfig> = {
  commitmentLevels: setting(
    [0.5, 0.7, 0.9],
    list(number({ min: 0 })),
    'Commitment levels as shares of the lowest steady daily spend.',
  ),
  commitmentDiscounts: setting([0.2, 0.3, 0.4], list(share()), 'Commitment discounts tried at every level.'),
  volumeTiers: setting(
    [
      { minMonthlyUsd: 10_000, discount: 0.05 },
      { minMonthlyUsd: 50_000, discount: 0.1 },
      { minMonthlyUsd: 100_000, discount: 0.15 },
    ],
    list(shape({ minMonthlyUsd: number({ min: 0 }), discount: share() })),
    'Volume discount tiers by monthly spend per provider.',
  ),
  volumeNearShare: setting(
    0.8,
    share(),
    'A provider is "near" the next volume tier from this share of its threshold.',
  ),
  simpleTasks: setting(
    ['qa', 'translation', 'chat'],
    list(text()),
    'Task types simple enough to move to a model any number of classes lower (premium → budget).',
  ),
  maxClassDrop: setting(
    1,
    integer({ min: 0 }),
    'Classes a switch may drop for other task types (1: premium → standard, standard → budget).',
  ),
  modelFamilies: setting(
    MODEL_FAMILIES,
    list(shape({ family: text(), members: list(shape({ provider: text(), model: text() })) })),
    'Model families for provider arbitrage.',
  ),
};
