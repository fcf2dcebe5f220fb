/**
 * The hand-kept part of the built-in catalog: which providers and models it
 * lists, the price class of each model (a product judgement that drives
 * switch recommendations), the share of calls and relative latency the
 * simulator gives them. Prices are not here: they come from the price data.
 */

/** Price class of a model (as in `@finops/schema`). */
export type SelectedClass = 'premium' | 'standard' | 'budget';

/** One model of the built-in catalog and where its prices come from. */
export interface SelectedModel {
  /** The model's name in the catalog. */
  name: string;
  /** Provider id in the price data. */
  from: string;
  /** Model id in the price data. */
  id: string;
  class: SelectedClass;
  latencyFactor: number;
  /** Ids the price data's match rules do not give, e.g. the provider's own spelling. */
  aliases?: string[];
}

/** One provider of the built-in catalog. */
export interface SelectedProvider {
  /** Canonical id (OpenTelemetry `gen_ai.provider.name`). */
  name: string;
  /** Share of simulated calls. */
  share: number;
  models: SelectedModel[];
}

type ModelRow = [
  name: string,
  id: string,
  modelClass: SelectedClass,
  latencyFactor: number,
  aliases?: string[],
];

function models(from: string, rows: ModelRow[]): SelectedModel[] {
  return rows.map(([name, id, modelClass, latencyFactor, aliases]) => ({
    name,
    from,
    id,
    class: modelClass,
    latencyFactor,
    ...(aliases === undefined ? {} : { aliases }),
  }));
}

const OPENAI_ON_AZURE: ModelRow[] = [
  ['gpt-5', 'gpt-5', 'premium', 1.2],
  ['gpt-5-mini', 'gpt-5-mini', 'standard', 0.7],
  ['gpt-5-nano', 'gpt-5-nano', 'budget', 0.45],
  ['gpt-4.1', 'gpt-4.1', 'standard', 0.9],
  ['gpt-4.1-mini', 'gpt-4.1-mini', 'budget', 0.6],
  ['gpt-4o', 'gpt-4o', 'standard', 0.8],
  ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13', 'standard', 0.8],
  ['gpt-4o-mini', 'gpt-4o-mini', 'budget', 0.5],
  ['gpt-4', 'gpt-4', 'premium', 1.5],
  ['gpt-35-turbo', 'gpt-3.5-turbo', 'budget', 0.6, ['gpt-3.5-turbo']],
];

/** Every provider of the built-in catalog, in catalog order. */
export const SELECTION: SelectedProvider[] = [
  {
    name: 'openai',
    share: 0.35,
    models: models('openai', [
      ['gpt-5.5', 'gpt-5.5', 'premium', 1.4],
      ['gpt-5.4', 'gpt-5.4', 'premium', 1.3],
      ['gpt-5', 'gpt-5', 'premium', 1.2],
      ['o3', 'o3', 'premium', 1.6],
      ['gpt-4', 'gpt-4', 'premium', 1.5],
      ['gpt-5.4-mini', 'gpt-5.4-mini', 'standard', 0.7],
      ['gpt-5-mini', 'gpt-5-mini', 'standard', 0.7],
      ['o4-mini', 'o4-mini', 'standard', 1.1],
      ['gpt-4.1', 'gpt-4.1', 'standard', 0.9],
      ['gpt-4o', 'gpt-4o', 'standard', 0.8],
      // Its first release kept its launch price: a dated id that must not fall back to gpt-4o.
      ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13', 'standard', 0.8],
      ['gpt-4-turbo', 'gpt-4-turbo', 'standard', 1.0],
      ['gpt-5.4-nano', 'gpt-5.4-nano', 'budget', 0.45],
      ['gpt-5-nano', 'gpt-5-nano', 'budget', 0.45],
      ['gpt-4.1-mini', 'gpt-4.1-mini', 'budget', 0.6],
      ['gpt-4.1-nano', 'gpt-4.1-nano', 'budget', 0.4],
      ['gpt-4o-mini', 'gpt-4o-mini', 'budget', 0.5],
      ['gpt-3.5-turbo', 'gpt-3.5-turbo', 'budget', 0.6],
    ]),
  },
  {
    name: 'anthropic',
    share: 0.25,
    models: models('anthropic', [
      ['claude-opus-5', 'claude-opus-5', 'premium', 1.4],
      ['claude-opus-4-5', 'claude-opus-4-5', 'premium', 1.4],
      ['claude-opus-4-1', 'claude-opus-4-1', 'premium', 1.5],
      ['claude-sonnet-5', 'claude-sonnet-5', 'standard', 0.9],
      ['claude-sonnet-4-6', 'claude-sonnet-4-6', 'standard', 0.9],
      ['claude-sonnet-4-5', 'claude-sonnet-4-5', 'standard', 0.9],
      ['claude-sonnet-4', 'claude-sonnet-4-0', 'standard', 0.9],
      ['claude-haiku-4-5', 'claude-haiku-4-5', 'budget', 0.5],
      ['claude-3-5-haiku', 'claude-3-5-haiku-latest', 'budget', 0.5],
    ]),
  },
  {
    name: 'gcp.gemini',
    share: 0.1,
    models: models('google', [
      ['gemini-3.1-pro-preview', 'gemini-3.1-pro-preview', 'premium', 1.3],
      ['gemini-2.5-pro', 'gemini-2.5-pro', 'premium', 1.2],
      ['gemini-3-flash-preview', 'gemini-3-flash-preview', 'standard', 0.6],
      ['gemini-2.5-flash', 'gemini-2.5-flash', 'standard', 0.6],
      ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite', 'budget', 0.4],
      ['gemini-2.0-flash', 'gemini-2.0-flash', 'budget', 0.4],
    ]),
  },
  {
    name: 'gcp.vertex_ai',
    share: 0.05,
    models: [
      ...models('google', [
        ['gemini-2.5-pro', 'gemini-2.5-pro', 'premium', 1.2],
        ['claude-opus-4-1', 'claude-4-opus', 'premium', 1.5],
        ['claude-sonnet-4-5', 'claude-sonnet-4-5', 'standard', 0.9],
        ['gemini-2.5-flash', 'gemini-2.5-flash', 'standard', 0.6],
        ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite', 'budget', 0.4],
      ]),
      ...models('anthropic', [['claude-haiku-4-5', 'claude-haiku-4-5', 'budget', 0.5]]),
    ],
  },
  {
    name: 'aws.bedrock',
    share: 0.1,
    models: models('aws', [
      ['anthropic.claude-opus-4-1', 'regional.anthropic.claude-opus-4-1-20250805-v1:0', 'premium', 1.5],
      ['amazon.nova-premier', 'amazon.nova-premier-v1:0', 'premium', 1.3],
      ['anthropic.claude-sonnet-4-5', 'regional.anthropic.claude-sonnet-4-5-20250929-v1:0', 'standard', 0.9],
      [
        'global.anthropic.claude-sonnet-4-5',
        'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'standard',
        0.9,
      ],
      ['amazon.nova-pro', 'amazon.nova-pro-v1:0', 'standard', 0.8],
      ['meta.llama3-3-70b-instruct', 'meta.llama3-3-70b-instruct-v1:0', 'standard', 0.9],
      ['anthropic.claude-haiku-4-5', 'regional.anthropic.claude-haiku-4-5-20251001-v1:0', 'budget', 0.5],
      ['amazon.nova-lite', 'amazon.nova-lite-v1:0', 'budget', 0.5],
      ['amazon.nova-micro', 'amazon.nova-micro-v1:0', 'budget', 0.4],
      ['amazon.titan-text-express', 'amazon.titan-text-express-v1', 'budget', 0.7],
      ['amazon.titan-text-lite', 'amazon.titan-text-lite-v1', 'budget', 0.5],
    ]),
  },
  {
    name: 'azure.ai.openai',
    share: 0.08,
    models: [
      ...models('openai', OPENAI_ON_AZURE),
      ...models('azure', [
        ['o3', 'o3-2025-04-16', 'premium', 1.6],
        ['o4-mini', 'o4-mini', 'standard', 1.1],
        ['o3-mini', 'o3-mini', 'standard', 1.0],
      ]),
    ],
  },
  {
    name: 'mistral_ai',
    share: 0.04,
    models: models('mistral', [
      ['mistral-large', 'mistral-large', 'standard', 1.1],
      ['mistral-large-2512', 'mistral-large-2512', 'standard', 1.0],
      ['magistral-medium', 'magistral-medium', 'standard', 1.2],
      ['mistral-medium-3.5', 'mistral-medium-3-5', 'standard', 0.9],
      ['mistral-medium', 'mistral-medium-3-1', 'standard', 0.9],
      ['mistral-small', 'mistral-small-latest', 'budget', 0.5],
      ['ministral-8b', 'ministral-8b', 'budget', 0.4],
      ['codestral', 'codestral', 'budget', 0.6],
    ]),
  },
  {
    name: 'cohere',
    share: 0.03,
    models: models('cohere', [
      ['command-a', 'command-a', 'standard', 1.0],
      ['command-r-plus', 'command-r-plus', 'standard', 1.0],
      ['command-r', 'command-r', 'budget', 0.8],
      ['command-r7b', 'command-r7b', 'budget', 0.6],
    ]),
  },
];
