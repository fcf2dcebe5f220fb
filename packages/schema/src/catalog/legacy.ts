import type { CatalogData } from './types';

/**
 * The catalog the toolkit shipped before its prices were generated from
 * published price data: 24 models of 2023–2024 in the first file format (USD
 * per 1,000 tokens). Kept so that a figure computed with it can be
 * reproduced: `parseCatalog(LEGACY_CATALOG)`.
 */
export const LEGACY_CATALOG: CatalogData = {
  providers: {
    openai: {
      share: 0.4,
      models: {
        'gpt-4': { input: 0.03, output: 0.06, class: 'premium', latencyFactor: 1.5 },
        'gpt-4-turbo': { input: 0.01, output: 0.03, class: 'standard', latencyFactor: 1.0 },
        'gpt-4o': { input: 0.0025, output: 0.01, class: 'standard', latencyFactor: 0.8 },
        'gpt-3.5-turbo': { input: 0.0005, output: 0.0015, class: 'budget', latencyFactor: 0.6 },
        'gpt-4o-mini': { input: 0.00015, output: 0.0006, class: 'budget', latencyFactor: 0.5 },
      },
    },
    anthropic: {
      share: 0.25,
      models: {
        'claude-opus-4': { input: 0.015, output: 0.075, class: 'premium', latencyFactor: 1.4 },
        'claude-sonnet-4': { input: 0.003, output: 0.015, class: 'standard', latencyFactor: 0.9 },
        'claude-3.5-sonnet': { input: 0.003, output: 0.015, class: 'standard', latencyFactor: 0.9 },
        'claude-haiku-4': { input: 0.00025, output: 0.00125, class: 'budget', latencyFactor: 0.5 },
      },
    },
    google: {
      share: 0.15,
      models: {
        'gemini-1.5-pro': { input: 0.00125, output: 0.00375, class: 'standard', latencyFactor: 1.0 },
        'gemini-pro': { input: 0.00025, output: 0.0005, class: 'budget', latencyFactor: 0.8 },
        'gemini-1.5-flash': { input: 0.000075, output: 0.0003, class: 'budget', latencyFactor: 0.4 },
      },
    },
    bedrock: {
      share: 0.1,
      models: {
        'claude-v2': { input: 0.008, output: 0.024, class: 'premium', latencyFactor: 1.2 },
        'claude-instant': { input: 0.0008, output: 0.0024, class: 'budget', latencyFactor: 0.6 },
        'titan-text-express': { input: 0.0002, output: 0.0006, class: 'budget', latencyFactor: 0.7 },
        'titan-text-lite': { input: 0.00015, output: 0.0002, class: 'budget', latencyFactor: 0.5 },
      },
    },
    azure: {
      share: 0.05,
      models: {
        'gpt-4-azure': { input: 0.03, output: 0.06, class: 'premium', latencyFactor: 1.5 },
        'gpt-35-turbo-azure': { input: 0.0005, output: 0.0015, class: 'budget', latencyFactor: 0.6 },
      },
    },
    mistral: {
      share: 0.03,
      models: {
        'mistral-large': { input: 0.004, output: 0.012, class: 'standard', latencyFactor: 1.1 },
        'mistral-medium': { input: 0.0027, output: 0.0081, class: 'standard', latencyFactor: 0.9 },
        'mistral-small': { input: 0.0001, output: 0.0003, class: 'budget', latencyFactor: 0.5 },
      },
    },
    cohere: {
      share: 0.02,
      models: {
        command: { input: 0.001, output: 0.002, class: 'standard', latencyFactor: 1.0 },
        'command-r': { input: 0.0005, output: 0.0015, class: 'budget', latencyFactor: 0.8 },
        'command-light': { input: 0.0003, output: 0.0006, class: 'budget', latencyFactor: 0.6 },
      },
    },
  },
  tiers: { starter: 29, pro: 99, enterprise: 299 },
};
