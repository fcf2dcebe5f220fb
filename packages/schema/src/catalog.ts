import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BUILTIN_CATALOG } from './builtin-catalog';
import { FinopsError } from './errors';
import {
  checkCatalog,
  checkComplete,
  findModel,
  formatScaled,
  modelIndexOf,
  overlayCatalog,
  parseFrom,
  perMtokToPicos,
  planMicrosOf,
  PRICE_DECIMALS,
} from './catalog/parse';
import { canonicalProvider } from './catalog/providers';
import type { CatalogData, CatalogPeriodData, CatalogPriceData, ModelClass } from './catalog/types';

export * from './catalog/types';
export { CANONICAL_PROVIDERS, PROVIDER_ALIASES, canonicalProvider } from './catalog/providers';
export { modelNameCandidates } from './catalog/model-names';
export { DEFAULT_PLAN_PRICES } from './catalog/parse';
export { LEGACY_CATALOG } from './catalog/legacy';
export { BUILTIN_CATALOG, BUILTIN_CATALOG_SOURCE } from './builtin-catalog';

/** Prices of one kind of token each in USD per million tokens, as exact decimals; absent = not priced apart. */
export interface PerMtokPrices {
  readonly input: string;
  readonly output: string;
  readonly cacheRead?: string;
  readonly cacheWrite?: string;
  readonly reasoning?: string;
}

/** Prices of each kind of token, resolved for exact arithmetic: pico-dollars (10⁻¹² $) per token, whole numbers. */
export interface TokenPrices {
  /** The prices as listed, in USD per million tokens. */
  perMtok: PerMtokPrices;
  /** Uncached input price in pico-dollars per token. */
  inputPicosPerToken: number;
  /** Output price in pico-dollars per token (reasoning included unless priced apart). */
  outputPicosPerToken: number;
  /** Cache-read price in pico-dollars per token; the input price when the model lists none. */
  cacheReadPicosPerToken: number;
  /** Cache-write price in pico-dollars per token; the input price when the model lists none. */
  cacheWritePicosPerToken: number;
  /** Reasoning price in pico-dollars per token; the output price when the model lists none. */
  reasoningPicosPerToken: number;
}

/** Long-context prices: every token of a call with more input tokens than `aboveInputTokens`. */
export interface PriceTier extends TokenPrices {
  aboveInputTokens: number;
}

/** A model's prices over one period, resolved for exact arithmetic. */
export interface ModelPrice extends TokenPrices {
  provider: string;
  model: string;
  /** Other ids that resolve to this model. */
  aliases: readonly string[];
  class: ModelClass;
  latencyFactor: number;
  /** Start of the period (ms since the epoch, UTC); `undefined` = since ever. */
  effectiveFromMs: number | undefined;
  /** End of the period, exclusive (the next period's start); `undefined` = still in force. */
  effectiveUntilMs: number | undefined;
  /** Long-context tiers by increasing threshold (empty for most models); {@link priceCallPicos} applies them. */
  tiers: readonly PriceTier[];
  /** @deprecated USD per 1,000 input tokens (a rounded number); use `perMtok` or the pico prices. */
  inputPer1k: number;
  /** @deprecated USD per 1,000 output tokens (a rounded number); use `perMtok` or the pico prices. */
  outputPer1k: number;
}

/** A provider of the catalog. */
export interface ProviderInfo {
  name: string;
  /** Share of calls the simulator gives the provider. */
  share: number;
  /** Other names of the provider declared by the catalog (common spellings resolve too). */
  aliases: readonly string[];
  /** Each model at its latest price. */
  models: readonly ModelPrice[];
}

/** Token counts of a call by kind (token rule: cache reads and writes are part of input, reasoning of output). */
export interface CallTokens {
  /** All input tokens, cache reads and writes included. */
  inputTokens: number;
  /** Input tokens read from the prompt cache (part of `inputTokens`). */
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (part of `inputTokens`). */
  cacheWriteInputTokens?: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** Reasoning tokens (part of `outputTokens`). */
  reasoningTokens?: number;
}

/** A catalog file (or object) that does not describe a valid catalog; `issues` lists every problem. */
export class CatalogError extends FinopsError {
  declare readonly code: 'invalid_catalog';

  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(
      'invalid_catalog',
      `invalid price catalog ${source}:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`,
    );
    this.name = 'CatalogError';
  }
}

/** A model with its prices over time, oldest first. */
interface ModelEntry {
  readonly periods: readonly ModelPrice[];
  readonly latest: ModelPrice;
}

const RESOLVED_CACHE_LIMIT = 10_000;

/**
 * Prices of models by provider over time, plan prices, model classes and
 * latency factors. Immutable; build one with {@link defaultCatalog},
 * {@link parseCatalog} or {@link loadCatalog}.
 *
 * Providers and models are found by their names in the catalog first, then
 * by alias: a provider by the aliases the catalog declares and the common
 * spellings of its canonical id (`azure` → `azure.ai.openai`), a model by its
 * aliases and its other forms (`gpt-4o-2024-08-06` → `gpt-4o`,
 * `us.anthropic.claude-sonnet-4-5-20250929-v1:0` →
 * `anthropic.claude-sonnet-4-5`).
 */
export class PriceCatalog {
  /** Providers in catalog order. */
  readonly providers: readonly ProviderInfo[];
  private readonly latestByName = new Map<string, Map<string, ModelPrice>>();
  private readonly entries = new Map<string, Map<string, ModelEntry>>();
  private readonly providerIndex = new Map<string, string>();
  private readonly modelIndexes = new Map<string, Map<string, string>>();
  /** Entries found by another spelling, by provider then model as written (bounded). */
  private readonly resolved = new Map<string, Map<string, ModelEntry | null>>();
  private readonly planMicros: Map<string, number>;
  private readonly planRecord: Readonly<Record<string, number>>;

  /** Use {@link parseCatalog}; the constructor trusts data already checked and in canonical form. */
  constructor(readonly data: CatalogData) {
    const providers: ProviderInfo[] = [];
    for (const [providerName, provider] of Object.entries(data.providers)) {
      const latest = new Map<string, ModelPrice>();
      const entries = new Map<string, ModelEntry>();
      for (const [modelName, model] of Object.entries(provider.models)) {
        const periods = (model.prices ?? []).map((period, index, all) =>
          modelPrice(
            providerName,
            modelName,
            model.aliases ?? [],
            model.class ?? 'standard',
            model.latencyFactor ?? 1,
            period,
            all[index + 1],
          ),
        );
        const last = periods[periods.length - 1];
        if (last === undefined) continue;
        latest.set(modelName, last);
        entries.set(modelName, { periods, latest: last });
      }
      providers.push({
        name: providerName,
        share: provider.share ?? 0,
        aliases: provider.aliases ?? [],
        models: [...latest.values()],
      });
      this.latestByName.set(providerName, latest);
      this.entries.set(providerName, entries);
      this.modelIndexes.set(providerName, modelIndexOf(provider.models));
    }
    this.providers = providers;
    for (const provider of providers) this.indexProvider(provider.name, provider.name);
    for (const provider of providers)
      for (const alias of provider.aliases) this.indexProvider(alias, provider.name);
    for (const provider of providers) this.indexProvider(canonicalProvider(provider.name), provider.name);
    this.planMicros = planMicrosOf(data);
    this.planRecord = Object.freeze(Object.fromEntries(this.planMicros));
  }

  private indexProvider(name: string, providerName: string): void {
    if (!this.providerIndex.has(name)) this.providerIndex.set(name, providerName);
    const lower = name.toLowerCase();
    if (!this.providerIndex.has(lower)) this.providerIndex.set(lower, providerName);
  }

  /** The catalog's name of the provider `provider` stands for (its own name, an alias, a common spelling), or `undefined`. */
  providerName(provider: string): string | undefined {
    if (this.entries.has(provider)) return provider;
    return (
      this.providerIndex.get(provider) ??
      this.providerIndex.get(provider.toLowerCase()) ??
      this.providerIndex.get(canonicalProvider(provider))
    );
  }

  private entryOf(provider: string, model: string): ModelEntry | undefined {
    let byModel = this.resolved.get(provider);
    const cached = byModel?.get(model);
    if (cached !== undefined) return cached ?? undefined;
    const providerName = this.providerName(provider);
    const index = providerName === undefined ? undefined : this.modelIndexes.get(providerName);
    const modelName = index === undefined ? undefined : findModel(index, model);
    const entry =
      providerName === undefined || modelName === undefined
        ? undefined
        : this.entries.get(providerName)?.get(modelName);
    if (byModel === undefined || byModel.size >= RESOLVED_CACHE_LIMIT) {
      if (this.resolved.size >= RESOLVED_CACHE_LIMIT) this.resolved.clear();
      byModel = new Map();
      this.resolved.set(provider, byModel);
    }
    byModel.set(model, entry ?? null);
    return entry;
  }

  /**
   * The model's latest price (the last period listed), or `undefined` when
   * the provider does not offer it here. Names in the catalog are found by one
   * map look-up; aliases and other forms are resolved once and remembered.
   */
  get(provider: string, model: string): ModelPrice | undefined {
    return this.latestByName.get(provider)?.get(model) ?? this.entryOf(provider, model)?.latest;
  }

  /**
   * The model's price in force at `timeMs` (ms since the epoch, UTC), or
   * `undefined` for a model not in the catalog or a time before its first
   * listed period.
   */
  resolve(provider: string, model: string, timeMs: number): ModelPrice | undefined {
    const entry = this.entryOf(provider, model);
    if (entry === undefined) return undefined;
    const periods = entry.periods;
    for (let index = periods.length - 1; index >= 0; index--) {
      const period = periods[index] as ModelPrice;
      if (period.effectiveFromMs === undefined || period.effectiveFromMs <= timeMs) return period;
    }
    return undefined;
  }

  /** Every price period of a model, oldest first (empty for a model not in the catalog). */
  history(provider: string, model: string): readonly ModelPrice[] {
    return this.entryOf(provider, model)?.periods ?? [];
  }

  /** Every model of every provider at its latest price, in catalog order. */
  models(): ModelPrice[] {
    return this.providers.flatMap((provider) => provider.models);
  }

  /**
   * Catalog price of a call in micro-dollars at the model's latest prices,
   * `(inputTokens × input + outputTokens × output)` (at a long-context tier's
   * prices when the input exceeds its threshold) rounded half up to six
   * decimals of a dollar and computed exactly; `undefined` for a model not in
   * the catalog.
   */
  costOf(provider: string, model: string, inputTokens: number, outputTokens: number): number | undefined {
    const price = this.get(provider, model);
    return price === undefined ? undefined : priceCallMicros(price, { inputTokens, outputTokens });
  }

  /**
   * Catalog price of a call in micro-dollars at the prices in force at its
   * time, every kind of token at its own price ({@link priceCallPicos});
   * `undefined` when no price is in force.
   */
  costOfCall(provider: string, model: string, timeMs: number, tokens: CallTokens): number | undefined {
    const price = this.resolve(provider, model, timeMs);
    return price === undefined ? undefined : priceCallMicros(price, tokens);
  }

  /** Monthly price of a plan in micro-dollars, or `undefined` for a plan the catalog does not price. */
  planPriceMicros(plan: string): number | undefined {
    return this.planMicros.get(plan);
  }

  /** Monthly price of a plan (tier) in micro-dollars; 0 for a plan the catalog does not price. */
  tierPriceMicros(tier: string): number {
    return this.planMicros.get(tier) ?? 0;
  }

  /** Monthly prices of every plan in micro-dollars, by plan name. */
  tierPrices(): Readonly<Record<string, number>> {
    return this.planRecord;
  }

  /** The catalog as JSON-ready data in the canonical form (the form {@link parseCatalog} reads). */
  toJSON(): CatalogData {
    return this.data;
  }
}

function picosOf(price: string | number | undefined): number | undefined {
  return price === undefined ? undefined : perMtokToPicos(price);
}

function tokenPricesOf(prices: CatalogPriceData): TokenPrices {
  const input = picosOf(prices.inputPerMtok) ?? 0;
  const output = picosOf(prices.outputPerMtok) ?? 0;
  const cacheRead = picosOf(prices.cacheReadPerMtok);
  const cacheWrite = picosOf(prices.cacheWritePerMtok);
  const reasoning = picosOf(prices.reasoningPerMtok);
  const perMtok: {
    input: string;
    output: string;
    cacheRead?: string;
    cacheWrite?: string;
    reasoning?: string;
  } = { input: formatScaled(input, PRICE_DECIMALS), output: formatScaled(output, PRICE_DECIMALS) };
  if (cacheRead !== undefined) perMtok.cacheRead = formatScaled(cacheRead, PRICE_DECIMALS);
  if (cacheWrite !== undefined) perMtok.cacheWrite = formatScaled(cacheWrite, PRICE_DECIMALS);
  if (reasoning !== undefined) perMtok.reasoning = formatScaled(reasoning, PRICE_DECIMALS);
  return {
    perMtok,
    inputPicosPerToken: input,
    outputPicosPerToken: output,
    cacheReadPicosPerToken: cacheRead ?? input,
    cacheWritePicosPerToken: cacheWrite ?? input,
    reasoningPicosPerToken: reasoning ?? output,
  };
}

function modelPrice(
  provider: string,
  model: string,
  aliases: readonly string[],
  modelClass: ModelClass,
  latencyFactor: number,
  period: CatalogPeriodData,
  next: CatalogPeriodData | undefined,
): ModelPrice {
  const prices = tokenPricesOf(period);
  return {
    provider,
    model,
    aliases,
    class: modelClass,
    latencyFactor,
    effectiveFromMs: period.from === undefined ? undefined : parseFrom(period.from),
    effectiveUntilMs: next?.from === undefined ? undefined : parseFrom(next.from),
    ...prices,
    tiers: (period.tiers ?? []).map((tier) => ({
      aboveInputTokens: tier.aboveInputTokens,
      ...tokenPricesOf(tier),
    })),
    inputPer1k: prices.inputPicosPerToken / 1e9,
    outputPer1k: prices.outputPicosPerToken / 1e9,
  };
}

/**
 * Exact cost in pico-dollars of tokens at a model's base input and output
 * prices (no cache, reasoning or long-context prices): fit for token totals
 * of many calls; price one call with {@link priceCallPicos}.
 */
export function priceTokensPicos(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  const picos = inputTokens * price.inputPicosPerToken + outputTokens * price.outputPicosPerToken;
  if (picos <= Number.MAX_SAFE_INTEGER) return picos;
  return Number(
    BigInt(inputTokens) * BigInt(price.inputPicosPerToken) +
      BigInt(outputTokens) * BigInt(price.outputPicosPerToken),
  );
}

/** Cost in micro-dollars, rounded half up, of tokens at a model's input and output prices. */
export function priceTokensMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  const picos = inputTokens * price.inputPicosPerToken + outputTokens * price.outputPicosPerToken;
  if (picos <= Number.MAX_SAFE_INTEGER) return Math.floor((picos + 500_000) / 1_000_000);
  const exact =
    BigInt(inputTokens) * BigInt(price.inputPicosPerToken) +
    BigInt(outputTokens) * BigInt(price.outputPicosPerToken);
  return Number((exact + 500_000n) / 1_000_000n);
}

function checkedCount(value: number | undefined, name: string): number {
  const count = value ?? 0;
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`${name} must be a non-negative whole number, got ${value}`);
  return count;
}

/** Checks a call's token counts against the token rule (cache reads and writes within the input, reasoning within the output). */
function checkTokens(
  input: number,
  cached: number,
  cacheWrite: number,
  output: number,
  reasoning: number,
): void {
  if (cached + cacheWrite > input) {
    throw new RangeError(
      `cachedInputTokens (${cached}) + cacheWriteInputTokens (${cacheWrite}) exceed inputTokens (${input}): they are part of it`,
    );
  }
  if (reasoning > output)
    throw new RangeError(
      `reasoningTokens (${reasoning}) exceed outputTokens (${output}): they are part of it`,
    );
}

/** The prices a call pays: the highest long-context tier its input exceeds, or the model's base prices. */
export function callPrices(price: ModelPrice, inputTokens: number): TokenPrices {
  const tiers = price.tiers;
  for (let index = tiers.length - 1; index >= 0; index--) {
    const tier = tiers[index] as PriceTier;
    if (inputTokens > tier.aboveInputTokens) return tier;
  }
  return price;
}

// Counts are read one by one rather than gathered in an array: this runs once per call read or simulated.
function exactCallPicos(model: ModelPrice, tokens: CallTokens): bigint | number {
  const input = checkedCount(tokens.inputTokens, 'inputTokens');
  const cached = checkedCount(tokens.cachedInputTokens, 'cachedInputTokens');
  const cacheWrite = checkedCount(tokens.cacheWriteInputTokens, 'cacheWriteInputTokens');
  const output = checkedCount(tokens.outputTokens, 'outputTokens');
  const reasoning = checkedCount(tokens.reasoningTokens, 'reasoningTokens');
  checkTokens(input, cached, cacheWrite, output, reasoning);
  const uncached = input - cached - cacheWrite;
  const plainOutput = output - reasoning;
  const price = callPrices(model, tokens.inputTokens);
  const picos =
    uncached * price.inputPicosPerToken +
    cached * price.cacheReadPicosPerToken +
    cacheWrite * price.cacheWritePicosPerToken +
    plainOutput * price.outputPicosPerToken +
    reasoning * price.reasoningPicosPerToken;
  if (picos <= Number.MAX_SAFE_INTEGER) return picos;
  return (
    BigInt(uncached) * BigInt(price.inputPicosPerToken) +
    BigInt(cached) * BigInt(price.cacheReadPicosPerToken) +
    BigInt(cacheWrite) * BigInt(price.cacheWritePicosPerToken) +
    BigInt(plainOutput) * BigInt(price.outputPicosPerToken) +
    BigInt(reasoning) * BigInt(price.reasoningPicosPerToken)
  );
}

/**
 * Exact cost in pico-dollars of a call's tokens, each kind at its own price:
 * uncached input (input − cache reads − cache writes) at the input price,
 * cache reads at the cache-read price, cache writes at the cache-write price
 * (both the input price when the model lists none), output at the output
 * price — reasoning included, unless the model prices reasoning apart. A call
 * whose input exceeds a long-context tier's threshold pays that tier's prices
 * for all its tokens. Throws a `RangeError` for counts that break the token rule (cache reads and
 * writes beyond the input, reasoning beyond the output).
 */
export function priceCallPicos(price: ModelPrice, tokens: CallTokens): number {
  return Number(exactCallPicos(price, tokens));
}

/** {@link priceCallPicos} in micro-dollars, rounded half up, exactly. */
export function priceCallMicros(price: ModelPrice, tokens: CallTokens): number {
  const picos = exactCallPicos(price, tokens);
  if (typeof picos === 'number') return Math.floor((picos + 500_000) / 1_000_000);
  return Number((picos + 500_000n) / 1_000_000n);
}

let builtinCatalog: PriceCatalog | undefined;

/**
 * Validates catalog data (the parsed JSON of a catalog file) and builds a
 * {@link PriceCatalog}. Throws a {@link CatalogError} naming every problem by
 * its path, e.g. `providers.openai.models.gpt-4o.prices[1].from: must be
 * later than the period before it, got "2024-01-01"`.
 */
export function parseCatalog(value: unknown, source = 'catalog'): PriceCatalog {
  const issues: string[] = [];
  const checked = checkCatalog(value, issues);
  if (checked === undefined || issues.length > 0) throw new CatalogError(source, issues);
  const data = checked.extendsBuiltin ? overlayCatalog(defaultCatalog().data, checked.data) : checked.data;
  checkComplete(data, issues);
  if (issues.length > 0) throw new CatalogError(source, issues);
  return new PriceCatalog(data);
}

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
