import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseScaledDecimal } from './money';
import { SUBSCRIPTION_TIERS, type SubscriptionTier } from './record';

/** Price class of a model; drives model-switch recommendations and the simulator. */
export type ModelClass = 'premium' | 'standard' | 'budget';
/** Classes from most to least expensive. */
export const MODEL_CLASSES: readonly ModelClass[] = ['premium', 'standard', 'budget'];

/** One model's entry in a catalog file: prices in USD per 1,000 tokens. */
export interface CatalogModelData {
  input: number;
  output: number;
  class: ModelClass;
  latencyFactor: number;
}

/** One provider's entry in a catalog file. */
export interface CatalogProviderData {
  /** Share of calls the simulator gives the provider (0–1; normalised over providers). */
  share: number;
  models: Record<string, CatalogModelData>;
}

/**
 * The JSON form of a price catalog. With `"extends": "builtin"` the file
 * starts from the built-in catalog: the providers, models and tiers it names
 * replace or add to the built-in ones.
 */
export interface CatalogData {
  extends?: 'builtin';
  providers: Record<string, CatalogProviderData>;
  /** Monthly subscription price in USD of each tier. */
  tiers?: Partial<Record<SubscriptionTier, number>>;
}

/** A model of the catalog with its prices resolved for exact arithmetic. */
export interface ModelPrice {
  provider: string;
  model: string;
  /** USD per 1,000 input tokens. */
  inputPer1k: number;
  /** USD per 1,000 output tokens. */
  outputPer1k: number;
  class: ModelClass;
  latencyFactor: number;
  /** Input price in pico-dollars (10⁻¹² $) per token: exact integer arithmetic. */
  inputPicosPerToken: number;
  /** Output price in pico-dollars per token. */
  outputPicosPerToken: number;
}

/** A provider of the catalog. */
export interface ProviderInfo {
  name: string;
  share: number;
  models: readonly ModelPrice[];
}

/** The built-in price catalog (USD per 1,000 tokens). */
export const BUILTIN_CATALOG: CatalogData = {
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

/** A catalog file (or object) that does not describe a valid catalog; `issues` lists every problem. */
export class CatalogError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid price catalog ${source}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

const PICOS_PER_1K_SCALE = 9; // USD per 1K tokens → pico-dollars per token

/**
 * Prices of models by provider, subscription tier prices, model classes and
 * latency factors. Immutable; build one with {@link defaultCatalog},
 * {@link parseCatalog} or {@link loadCatalog}.
 */
export class PriceCatalog {
  /** Providers in catalog order. */
  readonly providers: readonly ProviderInfo[];
  private readonly byProvider = new Map<string, Map<string, ModelPrice>>();
  private readonly tierMonthlyMicros: Readonly<Record<SubscriptionTier, number>>;

  /** Use {@link parseCatalog}; the constructor trusts already-validated data. */
  constructor(
    readonly data: CatalogData,
    tierMonthlyMicros: Record<SubscriptionTier, number>,
  ) {
    const providers: ProviderInfo[] = [];
    for (const [providerName, provider] of Object.entries(data.providers)) {
      const models: ModelPrice[] = [];
      const modelMap = new Map<string, ModelPrice>();
      for (const [modelName, model] of Object.entries(provider.models)) {
        const price: ModelPrice = {
          provider: providerName,
          model: modelName,
          inputPer1k: model.input,
          outputPer1k: model.output,
          class: model.class,
          latencyFactor: model.latencyFactor,
          inputPicosPerToken: parseScaledDecimal(String(model.input), PICOS_PER_1K_SCALE),
          outputPicosPerToken: parseScaledDecimal(String(model.output), PICOS_PER_1K_SCALE),
        };
        models.push(price);
        modelMap.set(modelName, price);
      }
      providers.push({ name: providerName, share: provider.share, models });
      this.byProvider.set(providerName, modelMap);
    }
    this.providers = providers;
    this.tierMonthlyMicros = tierMonthlyMicros;
  }

  /** The model's entry, or `undefined` when the provider does not offer it here. */
  get(provider: string, model: string): ModelPrice | undefined {
    return this.byProvider.get(provider)?.get(model);
  }

  /** Every model of every provider, in catalog order. */
  models(): ModelPrice[] {
    return this.providers.flatMap((provider) => provider.models);
  }

  /**
   * Catalog price of a call in micro-dollars,
   * `(inputTokens × input + outputTokens × output) / 1000` rounded half up to
   * six decimals of a dollar and computed exactly; `undefined` for a model not
   * in the catalog.
   */
  costOf(provider: string, model: string, inputTokens: number, outputTokens: number): number | undefined {
    const price = this.get(provider, model);
    return price === undefined ? undefined : priceTokensMicros(price, inputTokens, outputTokens);
  }

  /** Monthly subscription price of a tier in micro-dollars. */
  tierPriceMicros(tier: SubscriptionTier): number {
    return this.tierMonthlyMicros[tier];
  }

  /** Monthly tier prices in micro-dollars. */
  tierPrices(): Readonly<Record<SubscriptionTier, number>> {
    return this.tierMonthlyMicros;
  }

  /** The catalog as JSON-ready data (the form {@link parseCatalog} reads). */
  toJSON(): CatalogData {
    return this.data;
  }
}

/** Exact cost in pico-dollars of tokens at a model's prices. */
export function priceTokensPicos(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  const picos = inputTokens * price.inputPicosPerToken + outputTokens * price.outputPicosPerToken;
  if (picos <= Number.MAX_SAFE_INTEGER) return picos;
  return Number(
    BigInt(inputTokens) * BigInt(price.inputPicosPerToken) +
      BigInt(outputTokens) * BigInt(price.outputPicosPerToken),
  );
}

/** Cost in micro-dollars, rounded half up, of tokens at a model's prices. */
export function priceTokensMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  const picos = inputTokens * price.inputPicosPerToken + outputTokens * price.outputPicosPerToken;
  if (picos <= Number.MAX_SAFE_INTEGER) return Math.floor((picos + 500_000) / 1_000_000);
  const exact =
    BigInt(inputTokens) * BigInt(price.inputPicosPerToken) +
    BigInt(outputTokens) * BigInt(price.outputPicosPerToken);
  return Number((exact + 500_000n) / 1_000_000n);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function checkKeys(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  issues: string[],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      issues.push(`${path}${key}: unknown key (expected one of ${allowed.join(', ')})`);
  }
}

function checkPrice(value: unknown, path: string, issues: string[]): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    issues.push(`${path}: must be a non-negative number of USD per 1,000 tokens, got ${describe(value)}`);
    return false;
  }
  if (parseScaledDecimal(String(value), PICOS_PER_1K_SCALE) < 0) {
    issues.push(`${path}: ${value} cannot be represented to 9 decimal places`);
    return false;
  }
  return true;
}

function validateModel(value: unknown, path: string, issues: string[]): void {
  if (!isRecord(value)) {
    issues.push(
      `${path}: must be an object with input, output, class and latencyFactor, got ${describe(value)}`,
    );
    return;
  }
  checkKeys(value, ['input', 'output', 'class', 'latencyFactor'], `${path}.`, issues);
  checkPrice(value['input'], `${path}.input`, issues);
  checkPrice(value['output'], `${path}.output`, issues);
  if (!MODEL_CLASSES.includes(value['class'] as ModelClass)) {
    issues.push(`${path}.class: must be one of ${MODEL_CLASSES.join(', ')}, got ${describe(value['class'])}`);
  }
  const factor = value['latencyFactor'];
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0) {
    issues.push(`${path}.latencyFactor: must be a positive number, got ${describe(factor)}`);
  }
}

/**
 * Validates catalog data (the parsed JSON of a catalog file) and builds a
 * {@link PriceCatalog}. Throws a {@link CatalogError} naming every problem by
 * its path, e.g. `providers.openai.models.gpt-4.input: must be a non-negative
 * number of USD per 1,000 tokens, got "abc"`.
 */
export function parseCatalog(value: unknown, source = 'catalog'): PriceCatalog {
  const issues: string[] = [];
  if (!isRecord(value))
    throw new CatalogError(source, [`the catalog must be a JSON object, got ${describe(value)}`]);
  checkKeys(value, ['extends', 'providers', 'tiers', '$schema', 'description'], '', issues);
  const extendsBuiltin = value['extends'] !== undefined;
  if (extendsBuiltin && value['extends'] !== 'builtin') {
    issues.push(
      `extends: the only catalog that can be extended is "builtin", got ${describe(value['extends'])}`,
    );
  }
  const providers = value['providers'];
  if (!isRecord(providers)) {
    issues.push(`providers: must be an object of providers by name, got ${describe(providers)}`);
  } else {
    for (const [providerName, provider] of Object.entries(providers)) {
      const path = `providers.${providerName}`;
      if (!isRecord(provider)) {
        issues.push(`${path}: must be an object with share and models, got ${describe(provider)}`);
        continue;
      }
      checkKeys(provider, ['share', 'models'], `${path}.`, issues);
      const share = provider['share'];
      if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 1) {
        issues.push(`${path}.share: must be a number from 0 to 1, got ${describe(share)}`);
      }
      const models = provider['models'];
      if (!isRecord(models) || Object.keys(models).length === 0) {
        issues.push(`${path}.models: must be a non-empty object of models by name, got ${describe(models)}`);
        continue;
      }
      for (const [modelName, model] of Object.entries(models))
        validateModel(model, `${path}.models.${modelName}`, issues);
    }
  }
  const tiers = value['tiers'];
  if (tiers !== undefined) {
    if (!isRecord(tiers))
      issues.push(`tiers: must be an object of monthly USD prices by tier, got ${describe(tiers)}`);
    else {
      checkKeys(tiers, SUBSCRIPTION_TIERS, 'tiers.', issues);
      for (const [tier, price] of Object.entries(tiers)) {
        if (
          typeof price !== 'number' ||
          !Number.isFinite(price) ||
          price < 0 ||
          parseScaledDecimal(String(price), 6) < 0
        ) {
          issues.push(`tiers.${tier}: must be a non-negative number of USD a month, got ${describe(price)}`);
        }
      }
    }
  }
  if (issues.length > 0) throw new CatalogError(source, issues);

  const data = value as unknown as CatalogData;
  const merged: CatalogData = extendsBuiltin
    ? {
        providers: mergeProviders(BUILTIN_CATALOG.providers, data.providers),
        tiers: { ...BUILTIN_CATALOG.tiers, ...data.tiers },
      }
    : { providers: data.providers, tiers: { ...BUILTIN_CATALOG.tiers, ...data.tiers } };
  if (Object.keys(merged.providers).length === 0)
    throw new CatalogError(source, ['providers: at least one provider is needed']);
  const tierMicros = {} as Record<SubscriptionTier, number>;
  for (const tier of SUBSCRIPTION_TIERS)
    tierMicros[tier] = parseScaledDecimal(String(merged.tiers?.[tier] ?? 0), 6);
  return new PriceCatalog(merged, tierMicros);
}

function mergeProviders(
  base: Record<string, CatalogProviderData>,
  overrides: Record<string, CatalogProviderData>,
): Record<string, CatalogProviderData> {
  const merged: Record<string, CatalogProviderData> = {};
  for (const [name, provider] of Object.entries(base))
    merged[name] = { share: provider.share, models: { ...provider.models } };
  for (const [name, provider] of Object.entries(overrides)) {
    const existing = merged[name];
    merged[name] = existing
      ? { share: provider.share, models: { ...existing.models, ...provider.models } }
      : { share: provider.share, models: { ...provider.models } };
  }
  return merged;
}

let builtinCatalog: PriceCatalog | undefined;

/** The built-in catalog ({@link BUILTIN_CATALOG}), built once. */
export function defaultCatalog(): PriceCatalog {
  builtinCatalog ??= parseCatalog(BUILTIN_CATALOG, 'built-in catalog');
  return builtinCatalog;
}

function parseCatalogText(text: string, path: string): PriceCatalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseCatalog(json, path);
}

/** Reads and validates a catalog JSON file. */
export async function loadCatalog(path: string): Promise<PriceCatalog> {
  return parseCatalogText(await readFile(path, 'utf8'), path);
}

/** Reads and validates a catalog JSON file, synchronously. */
export function loadCatalogSync(path: string): PriceCatalog {
  return parseCatalogText(readFileSync(path, 'utf8'), path);
}
