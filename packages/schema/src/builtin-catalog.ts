/**
 * The built-in price catalog, generated on 2026-12-01 by tools/prices
 * from the price data bundled in @pydantic/genai-prices 0.1.8 (MIT).
 * Do not edit: change tools/prices/src/selection.ts and run
 * `npm run generate -w tools/prices`.
 */
import type { CatalogData } from './catalog/types';

/** Where the built-in prices come from, and when they were taken. */
export const BUILTIN_CATALOG_SOURCE = {
  package: '@pydantic/genai-prices',
  version: '0.1.8',
  generated: '2026-12-01',
} as const;

/**
 * The built-in price catalog: USD per million tokens of each kind, with the
 * dates prices changed; classes, shares and latency factors are hand-kept.
 */
export const BUILTIN_CATALOG: CatalogData = {
  source: '@pydantic/genai-prices 0.1.8',
  providers: {
    openai: {
      share: 0.35,
      models: {
        'gpt-5.5': {
          class: 'premium',
          latencyFactor: 1.4,
          aliases: [
            'gpt-5-5',
            'gpt-5-5-chat',
            'gpt-5-5-chat-latest',
            'gpt-5-5-codex',
            'gpt-5.5-chat',
            'gpt-5.5-chat-latest',
            'gpt-5.5-codex',
          ],
          prices: [
            {
              inputPerMtok: '5',
              cacheReadPerMtok: '0.5',
              outputPerMtok: '30',
              tiers: [
                { aboveInputTokens: 271999, inputPerMtok: '10', cacheReadPerMtok: '1', outputPerMtok: '45' },
              ],
            },
          ],
        },
        'gpt-5.4': {
          class: 'premium',
          latencyFactor: 1.3,
          aliases: ['gpt-5-4'],
          prices: [
            {
              inputPerMtok: '2.5',
              cacheReadPerMtok: '0.25',
              outputPerMtok: '15',
              tiers: [
                {
                  aboveInputTokens: 271999,
                  inputPerMtok: '5',
                  cacheReadPerMtok: '0.5',
                  outputPerMtok: '22.5',
                },
              ],
            },
          ],
        },
        'gpt-5': {
          class: 'premium',
          latencyFactor: 1.2,
          aliases: ['gpt-5-chat', 'gpt-5-chat-latest', 'gpt-5-codex'],
          prices: [{ inputPerMtok: '1.25', cacheReadPerMtok: '0.125', outputPerMtok: '10' }],
        },
        o3: {
          class: 'premium',
          latencyFactor: 1.6,
          prices: [
            { inputPerMtok: '10', cacheReadPerMtok: '0.5', outputPerMtok: '40' },
            { from: '2025-06-10', inputPerMtok: '2', cacheReadPerMtok: '0.5', outputPerMtok: '8' },
          ],
        },
        'gpt-4': {
          class: 'premium',
          latencyFactor: 1.5,
          aliases: ['gpt-4-0314', 'gpt-4-0613'],
          prices: [{ inputPerMtok: '30', outputPerMtok: '60' }],
        },
        'gpt-5.4-mini': {
          class: 'standard',
          latencyFactor: 0.7,
          aliases: ['gpt-5-4-mini'],
          prices: [{ inputPerMtok: '0.75', cacheReadPerMtok: '0.075', outputPerMtok: '4.5' }],
        },
        'gpt-5-mini': {
          class: 'standard',
          latencyFactor: 0.7,
          prices: [{ inputPerMtok: '0.25', cacheReadPerMtok: '0.025', outputPerMtok: '2' }],
        },
        'o4-mini': {
          class: 'standard',
          latencyFactor: 1.1,
          aliases: ['o4-mini-high'],
          prices: [{ inputPerMtok: '1.1', cacheReadPerMtok: '0.275', outputPerMtok: '4.4' }],
        },
        'gpt-4.1': {
          class: 'standard',
          latencyFactor: 0.9,
          prices: [{ inputPerMtok: '2', cacheReadPerMtok: '0.5', outputPerMtok: '8' }],
        },
        'gpt-4o': {
          class: 'standard',
          latencyFactor: 0.8,
          prices: [{ inputPerMtok: '2.5', cacheReadPerMtok: '1.25', outputPerMtok: '10' }],
        },
        'gpt-4o-2024-05-13': {
          class: 'standard',
          latencyFactor: 0.8,
          prices: [{ inputPerMtok: '5', outputPerMtok: '15' }],
        },
        'gpt-4-turbo': {
          class: 'standard',
          latencyFactor: 1,
          aliases: [
            'gpt-4-0125-preview',
            'gpt-4-1106-preview',
            'gpt-4-turbo-0125-preview',
            'gpt-4-turbo-preview',
          ],
          prices: [{ inputPerMtok: '10', outputPerMtok: '30' }],
        },
        'gpt-5.4-nano': {
          class: 'budget',
          latencyFactor: 0.45,
          aliases: ['gpt-5-4-nano'],
          prices: [{ inputPerMtok: '0.2', cacheReadPerMtok: '0.02', outputPerMtok: '1.25' }],
        },
        'gpt-5-nano': {
          class: 'budget',
          latencyFactor: 0.45,
          prices: [{ inputPerMtok: '0.05', cacheReadPerMtok: '0.005', outputPerMtok: '0.4' }],
        },
        'gpt-4.1-mini': {
          class: 'budget',
          latencyFactor: 0.6,
          prices: [{ inputPerMtok: '0.4', cacheReadPerMtok: '0.1', outputPerMtok: '1.6' }],
        },
        'gpt-4.1-nano': {
          class: 'budget',
          latencyFactor: 0.4,
          prices: [{ inputPerMtok: '0.1', cacheReadPerMtok: '0.025', outputPerMtok: '0.4' }],
        },
        'gpt-4o-mini': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['gpt-4o-mini-search-preview'],
          prices: [{ inputPerMtok: '0.15', cacheReadPerMtok: '0.075', outputPerMtok: '0.6' }],
        },
        'gpt-3.5-turbo': {
          class: 'budget',
          latencyFactor: 0.6,
          aliases: ['gpt-3.5-turbo-0125', 'gpt-35-turbo'],
          prices: [{ inputPerMtok: '0.5', outputPerMtok: '1.5' }],
        },
      },
    },
    anthropic: {
      share: 0.25,
      models: {
        'claude-opus-5': {
          class: 'premium',
          latencyFactor: 1.4,
          aliases: ['claude-5-opus', 'claude-5.0-opus', 'claude-opus-5.0'],
          prices: [
            { inputPerMtok: '5', cacheReadPerMtok: '0.5', cacheWritePerMtok: '6.25', outputPerMtok: '25' },
          ],
        },
        'claude-opus-4-5': {
          class: 'premium',
          latencyFactor: 1.4,
          aliases: ['claude-4-5-opus', 'claude-4.5-opus', 'claude-opus-4.5'],
          prices: [
            { inputPerMtok: '5', cacheReadPerMtok: '0.5', cacheWritePerMtok: '6.25', outputPerMtok: '25' },
          ],
        },
        'claude-opus-4-1': {
          class: 'premium',
          latencyFactor: 1.5,
          aliases: ['claude-opus-4.1'],
          prices: [
            { inputPerMtok: '15', cacheReadPerMtok: '1.5', cacheWritePerMtok: '18.75', outputPerMtok: '75' },
          ],
        },
        'claude-sonnet-5': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['claude-5-sonnet', 'claude-5.0-sonnet', 'claude-sonnet-5.0'],
          prices: [
            { inputPerMtok: '2', cacheReadPerMtok: '0.2', cacheWritePerMtok: '2.5', outputPerMtok: '10' },
          ],
        },
        'claude-sonnet-4-6': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['claude-sonnet-4.6'],
          prices: [
            {
              inputPerMtok: '3',
              cacheReadPerMtok: '0.3',
              cacheWritePerMtok: '3.75',
              outputPerMtok: '15',
              tiers: [
                {
                  aboveInputTokens: 200000,
                  inputPerMtok: '6',
                  cacheReadPerMtok: '0.6',
                  cacheWritePerMtok: '7.5',
                  outputPerMtok: '22.5',
                },
              ],
            },
            {
              from: '2026-03-13',
              inputPerMtok: '3',
              cacheReadPerMtok: '0.3',
              cacheWritePerMtok: '3.75',
              outputPerMtok: '15',
            },
          ],
        },
        'claude-sonnet-4-5': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['claude-sonnet-4.5'],
          prices: [
            {
              inputPerMtok: '3',
              cacheReadPerMtok: '0.3',
              cacheWritePerMtok: '3.75',
              outputPerMtok: '15',
              tiers: [
                {
                  aboveInputTokens: 200000,
                  inputPerMtok: '6',
                  cacheReadPerMtok: '0.6',
                  cacheWritePerMtok: '7.5',
                  outputPerMtok: '22.5',
                },
              ],
            },
          ],
        },
        'claude-sonnet-4': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['claude-4-sonnet', 'claude-sonnet-4-0'],
          prices: [
            { inputPerMtok: '3', cacheReadPerMtok: '0.3', cacheWritePerMtok: '3.75', outputPerMtok: '15' },
          ],
        },
        'claude-haiku-4-5': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['claude-4-5-haiku', 'claude-4.5-haiku', 'claude-haiku-4.5'],
          prices: [
            { inputPerMtok: '1', cacheReadPerMtok: '0.1', cacheWritePerMtok: '1.25', outputPerMtok: '5' },
          ],
        },
        'claude-3-5-haiku': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['claude-3-5-haiku-latest', 'claude-3.5-haiku'],
          prices: [
            { inputPerMtok: '0.8', cacheReadPerMtok: '0.08', cacheWritePerMtok: '1', outputPerMtok: '4' },
          ],
        },
      },
    },
    'gcp.gemini': {
      share: 0.1,
      models: {
        'gemini-3.1-pro-preview': {
          class: 'premium',
          latencyFactor: 1.3,
          prices: [
            {
              inputPerMtok: '2',
              cacheReadPerMtok: '0.2',
              outputPerMtok: '12',
              tiers: [
                { aboveInputTokens: 200000, inputPerMtok: '4', cacheReadPerMtok: '0.4', outputPerMtok: '18' },
              ],
            },
          ],
        },
        'gemini-2.5-pro': {
          class: 'premium',
          latencyFactor: 1.2,
          prices: [
            {
              inputPerMtok: '1.25',
              cacheReadPerMtok: '0.125',
              outputPerMtok: '10',
              tiers: [
                {
                  aboveInputTokens: 200000,
                  inputPerMtok: '2.5',
                  cacheReadPerMtok: '0.25',
                  outputPerMtok: '15',
                },
              ],
            },
          ],
        },
        'gemini-3-flash-preview': {
          class: 'standard',
          latencyFactor: 0.6,
          prices: [{ inputPerMtok: '0.5', cacheReadPerMtok: '0.05', outputPerMtok: '3' }],
        },
        'gemini-2.5-flash': {
          class: 'standard',
          latencyFactor: 0.6,
          aliases: ['gemini-2.5-flash-latest'],
          prices: [{ inputPerMtok: '0.3', cacheReadPerMtok: '0.03', outputPerMtok: '2.5' }],
        },
        'gemini-2.5-flash-lite': {
          class: 'budget',
          latencyFactor: 0.4,
          prices: [{ inputPerMtok: '0.1', cacheReadPerMtok: '0.01', outputPerMtok: '0.4' }],
        },
        'gemini-2.0-flash': {
          class: 'budget',
          latencyFactor: 0.4,
          aliases: [
            'gemini-2.0-flash-0',
            'gemini-2.0-flash-exp',
            'gemini-2.0-flash-latest',
            'gemini-2.0-flash-thinking',
          ],
          prices: [{ inputPerMtok: '0.1', cacheReadPerMtok: '0.025', outputPerMtok: '0.4' }],
        },
      },
    },
    'gcp.vertex_ai': {
      share: 0.05,
      models: {
        'gemini-2.5-pro': {
          class: 'premium',
          latencyFactor: 1.2,
          prices: [
            {
              inputPerMtok: '1.25',
              cacheReadPerMtok: '0.125',
              outputPerMtok: '10',
              tiers: [
                {
                  aboveInputTokens: 200000,
                  inputPerMtok: '2.5',
                  cacheReadPerMtok: '0.25',
                  outputPerMtok: '15',
                },
              ],
            },
          ],
        },
        'claude-opus-4-1': {
          class: 'premium',
          latencyFactor: 1.5,
          aliases: ['claude-4-opus', 'claude-opus-4', 'claude-opus-4-0'],
          prices: [
            { inputPerMtok: '15', cacheReadPerMtok: '1.5', cacheWritePerMtok: '18.75', outputPerMtok: '75' },
          ],
        },
        'claude-sonnet-4-5': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['claude-sonnet-4.5'],
          prices: [
            {
              inputPerMtok: '3',
              cacheReadPerMtok: '0.3',
              cacheWritePerMtok: '3.75',
              outputPerMtok: '15',
              tiers: [
                {
                  aboveInputTokens: 200000,
                  inputPerMtok: '6',
                  cacheReadPerMtok: '0.6',
                  cacheWritePerMtok: '7.5',
                  outputPerMtok: '22.5',
                },
              ],
            },
          ],
        },
        'gemini-2.5-flash': {
          class: 'standard',
          latencyFactor: 0.6,
          aliases: ['gemini-2.5-flash-latest'],
          prices: [{ inputPerMtok: '0.3', cacheReadPerMtok: '0.03', outputPerMtok: '2.5' }],
        },
        'gemini-2.5-flash-lite': {
          class: 'budget',
          latencyFactor: 0.4,
          prices: [{ inputPerMtok: '0.1', cacheReadPerMtok: '0.01', outputPerMtok: '0.4' }],
        },
        'claude-haiku-4-5': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['claude-4-5-haiku', 'claude-4.5-haiku', 'claude-haiku-4.5'],
          prices: [
            { inputPerMtok: '1', cacheReadPerMtok: '0.1', cacheWritePerMtok: '1.25', outputPerMtok: '5' },
          ],
        },
      },
    },
    'aws.bedrock': {
      share: 0.1,
      models: {
        'anthropic.claude-opus-4-1': {
          class: 'premium',
          latencyFactor: 1.5,
          aliases: ['claude-opus-4-1-20250805'],
          prices: [
            { inputPerMtok: '15', cacheReadPerMtok: '1.5', cacheWritePerMtok: '18.75', outputPerMtok: '75' },
          ],
        },
        'amazon.nova-premier': {
          class: 'premium',
          latencyFactor: 1.3,
          prices: [{ inputPerMtok: '2.5', cacheReadPerMtok: '0.625', outputPerMtok: '12.5' }],
        },
        'anthropic.claude-sonnet-4-5': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['claude-sonnet-4-5-20250929'],
          prices: [
            {
              inputPerMtok: '3.3',
              cacheReadPerMtok: '0.33',
              cacheWritePerMtok: '4.125',
              outputPerMtok: '16.5',
            },
          ],
        },
        'global.anthropic.claude-sonnet-4-5': {
          class: 'standard',
          latencyFactor: 0.9,
          prices: [
            { inputPerMtok: '3', cacheReadPerMtok: '0.3', cacheWritePerMtok: '3.75', outputPerMtok: '15' },
          ],
        },
        'amazon.nova-pro': {
          class: 'standard',
          latencyFactor: 0.8,
          prices: [{ inputPerMtok: '0.8', cacheReadPerMtok: '0.2', outputPerMtok: '3.2' }],
        },
        'meta.llama3-3-70b-instruct': {
          class: 'standard',
          latencyFactor: 0.9,
          prices: [{ inputPerMtok: '0.72', outputPerMtok: '0.72' }],
        },
        'anthropic.claude-haiku-4-5': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['claude-haiku-4-5-20251001'],
          prices: [
            {
              inputPerMtok: '1.1',
              cacheReadPerMtok: '0.11',
              cacheWritePerMtok: '1.375',
              outputPerMtok: '5.5',
            },
          ],
        },
        'amazon.nova-lite': {
          class: 'budget',
          latencyFactor: 0.5,
          prices: [{ inputPerMtok: '0.06', cacheReadPerMtok: '0.015', outputPerMtok: '0.24' }],
        },
        'amazon.nova-micro': {
          class: 'budget',
          latencyFactor: 0.4,
          prices: [{ inputPerMtok: '0.035', cacheReadPerMtok: '0.00875', outputPerMtok: '0.14' }],
        },
        'amazon.titan-text-express': {
          class: 'budget',
          latencyFactor: 0.7,
          aliases: ['titan-text-express'],
          prices: [{ inputPerMtok: '0.2', outputPerMtok: '0.6' }],
        },
        'amazon.titan-text-lite': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['titan-text-lite'],
          prices: [{ inputPerMtok: '0.15', outputPerMtok: '0.2' }],
        },
      },
    },
    'azure.ai.openai': {
      share: 0.08,
      models: {
        'gpt-5': {
          class: 'premium',
          latencyFactor: 1.2,
          aliases: ['gpt-5-chat', 'gpt-5-chat-latest', 'gpt-5-codex'],
          prices: [{ inputPerMtok: '1.25', cacheReadPerMtok: '0.125', outputPerMtok: '10' }],
        },
        'gpt-5-mini': {
          class: 'standard',
          latencyFactor: 0.7,
          prices: [{ inputPerMtok: '0.25', cacheReadPerMtok: '0.025', outputPerMtok: '2' }],
        },
        'gpt-5-nano': {
          class: 'budget',
          latencyFactor: 0.45,
          prices: [{ inputPerMtok: '0.05', cacheReadPerMtok: '0.005', outputPerMtok: '0.4' }],
        },
        'gpt-4.1': {
          class: 'standard',
          latencyFactor: 0.9,
          prices: [{ inputPerMtok: '2', cacheReadPerMtok: '0.5', outputPerMtok: '8' }],
        },
        'gpt-4.1-mini': {
          class: 'budget',
          latencyFactor: 0.6,
          prices: [{ inputPerMtok: '0.4', cacheReadPerMtok: '0.1', outputPerMtok: '1.6' }],
        },
        'gpt-4o': {
          class: 'standard',
          latencyFactor: 0.8,
          prices: [{ inputPerMtok: '2.5', cacheReadPerMtok: '1.25', outputPerMtok: '10' }],
        },
        'gpt-4o-2024-05-13': {
          class: 'standard',
          latencyFactor: 0.8,
          prices: [{ inputPerMtok: '5', outputPerMtok: '15' }],
        },
        'gpt-4o-mini': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['gpt-4o-mini-search-preview'],
          prices: [{ inputPerMtok: '0.15', cacheReadPerMtok: '0.075', outputPerMtok: '0.6' }],
        },
        'gpt-4': {
          class: 'premium',
          latencyFactor: 1.5,
          aliases: ['gpt-4-0314', 'gpt-4-0613'],
          prices: [{ inputPerMtok: '30', outputPerMtok: '60' }],
        },
        'gpt-35-turbo': {
          class: 'budget',
          latencyFactor: 0.6,
          aliases: ['gpt-3.5-turbo', 'gpt-3.5-turbo-0125'],
          prices: [{ inputPerMtok: '0.5', outputPerMtok: '1.5' }],
        },
        o3: {
          class: 'premium',
          latencyFactor: 1.6,
          prices: [{ inputPerMtok: '2', cacheReadPerMtok: '0.5', outputPerMtok: '8' }],
        },
        'o4-mini': {
          class: 'standard',
          latencyFactor: 1.1,
          prices: [{ inputPerMtok: '1.1', cacheReadPerMtok: '0.28', outputPerMtok: '4.4' }],
        },
        'o3-mini': {
          class: 'standard',
          latencyFactor: 1,
          prices: [{ inputPerMtok: '1.1', cacheReadPerMtok: '0.55', outputPerMtok: '4.4' }],
        },
      },
    },
    mistral_ai: {
      share: 0.04,
      models: {
        'mistral-large': {
          class: 'standard',
          latencyFactor: 1.1,
          aliases: ['mistral-large-2407', 'mistral-large-2411', 'mistral-large-latest'],
          prices: [{ inputPerMtok: '2', outputPerMtok: '6' }],
        },
        'mistral-large-2512': {
          class: 'standard',
          latencyFactor: 1,
          prices: [{ inputPerMtok: '0.5', cacheReadPerMtok: '0.05', outputPerMtok: '1.5' }],
        },
        'magistral-medium': {
          class: 'standard',
          latencyFactor: 1.2,
          prices: [{ inputPerMtok: '2', outputPerMtok: '5' }],
        },
        'mistral-medium-3.5': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['mistral-medium-3', 'mistral-medium-3-5'],
          prices: [{ inputPerMtok: '1.5', cacheReadPerMtok: '0.15', outputPerMtok: '7.5' }],
        },
        'mistral-medium': {
          class: 'standard',
          latencyFactor: 0.9,
          aliases: ['mistral-medium-2505', 'mistral-medium-2508', 'mistral-medium-3-1'],
          prices: [{ inputPerMtok: '0.4', cacheReadPerMtok: '0.04', outputPerMtok: '2' }],
        },
        'mistral-small': {
          class: 'budget',
          latencyFactor: 0.5,
          aliases: ['mistral-small-latest'],
          prices: [{ inputPerMtok: '0.1', outputPerMtok: '0.3' }],
        },
        'ministral-8b': {
          class: 'budget',
          latencyFactor: 0.4,
          aliases: ['ministral-8b-2410'],
          prices: [{ inputPerMtok: '0.1', outputPerMtok: '0.1' }],
        },
        codestral: {
          class: 'budget',
          latencyFactor: 0.6,
          aliases: ['codestral-2501', 'codestral-latest'],
          prices: [{ inputPerMtok: '0.3', outputPerMtok: '0.9' }],
        },
      },
    },
    cohere: {
      share: 0.03,
      models: {
        'command-a': {
          class: 'standard',
          latencyFactor: 1,
          prices: [{ inputPerMtok: '2.5', outputPerMtok: '10' }],
        },
        'command-r-plus': {
          class: 'standard',
          latencyFactor: 1,
          prices: [{ inputPerMtok: '2.5', outputPerMtok: '10' }],
        },
        'command-r': {
          class: 'budget',
          latencyFactor: 0.8,
          prices: [{ inputPerMtok: '0.15', outputPerMtok: '0.6' }],
        },
        'command-r7b': {
          class: 'budget',
          latencyFactor: 0.6,
          prices: [{ inputPerMtok: '0.0375', outputPerMtok: '0.15' }],
        },
      },
    },
  },
  plans: { starter: 29, pro: 99, enterprise: 299 },
};
