import { parseScaledDecimal } from '../money';
import { parseTimestamp } from '../time';
import { modelNameCandidates } from './model-names';
import { canonicalProvider } from './providers';
import {
  type CatalogData,
  type CatalogModelData,
  type CatalogPeriodData,
  type CatalogProviderData,
  type CatalogTierData,
  MODEL_CLASSES,
  type ModelClass,
} from './types';

/** Monthly plan prices in USD that every catalog starts from. */
export const DEFAULT_PLAN_PRICES: Readonly<Record<string, number>> = {
  starter: 29,
  pro: 99,
  enterprise: 299,
};

/** Decimal places of a price per million tokens: pico-dollars per token are then whole numbers. */
export const PRICE_DECIMALS = 6;
const LEGACY_SCALE = 9; // USD per 1K tokens → pico-dollars per token

const TOP_KEYS = ['extends', 'providers', 'tiers', 'plans', '$schema', 'description', 'source'];
const PROVIDER_KEYS = ['share', 'aliases', 'models'];
const PRICE_KEYS = [
  'inputPerMtok',
  'outputPerMtok',
  'cacheReadPerMtok',
  'cacheWritePerMtok',
  'reasoningPerMtok',
] as const;
const MODEL_KEYS = ['class', 'latencyFactor', 'aliases', 'prices', 'input', 'output', ...PRICE_KEYS, 'tiers'];
const PERIOD_KEYS = ['from', ...PRICE_KEYS, 'tiers'];
const TIER_KEYS = ['aboveInputTokens', ...PRICE_KEYS];

type PriceKey = (typeof PRICE_KEYS)[number];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an error message shows it. */
export function describe(value: unknown): string {
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

/** Formats an integer scaled by `10^scale` as the shortest exact decimal: 1_250_000 at scale 6 → `"1.25"`. */
export function formatScaled(value: number, scale: number): string {
  const unit = 10 ** scale;
  const whole = Math.floor(value / unit);
  const fraction = value - whole * unit;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(scale, '0').replace(/0+$/, '')}`;
}

/**
 * Pico-dollars per token of a price in USD per million tokens, exactly, or
 * `-1` when the value is not a non-negative decimal with at most six places.
 */
export function perMtokToPicos(value: unknown): number {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return -1;
  const match = /^\d+(?:\.(\d+))?$/.exec(text);
  if (match === null || (match[1] ?? '').replace(/0+$/, '').length > PRICE_DECIMALS) return -1;
  return parseScaledDecimal(text, PRICE_DECIMALS);
}

function checkPerMtok(value: unknown, path: string, issues: string[]): string | undefined {
  const picos = perMtokToPicos(value);
  if (picos < 0) {
    issues.push(
      `${path}: must be a non-negative decimal of USD per million tokens with at most ${PRICE_DECIMALS} decimal places, got ${describe(value)}`,
    );
    return undefined;
  }
  return formatScaled(picos, PRICE_DECIMALS);
}

function checkLegacyPrice(value: unknown, path: string, issues: string[]): string | undefined {
  const picos =
    typeof value === 'number' && value >= 0 ? parseScaledDecimal(String(value), LEGACY_SCALE) : -1;
  if (picos < 0) {
    issues.push(`${path}: must be a non-negative number of USD per 1,000 tokens, got ${describe(value)}`);
    return undefined;
  }
  return formatScaled(picos, PRICE_DECIMALS);
}

/** Milliseconds since the epoch of a period's `from`, or `NaN`. */
export function parseFrom(text: string): number {
  return parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text);
}

function checkPriceFields(
  value: Record<string, unknown>,
  path: string,
  issues: string[],
): Omit<CatalogPeriodData, 'from'> | undefined {
  const prices: Partial<Record<PriceKey, string>> = {};
  let valid = true;
  for (const key of PRICE_KEYS) {
    if (value[key] === undefined) {
      if (key === 'inputPerMtok' || key === 'outputPerMtok') {
        issues.push(`${path}.${key}: required, got nothing`);
        valid = false;
      }
      continue;
    }
    const price = checkPerMtok(value[key], `${path}.${key}`, issues);
    if (price === undefined) valid = false;
    else prices[key] = price;
  }
  return valid ? (prices as Omit<CatalogPeriodData, 'from'>) : undefined;
}

function checkTiers(value: unknown, path: string, issues: string[]): CatalogTierData[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push(`${path}: must be a non-empty array of long-context tiers, got ${describe(value)}`);
    return undefined;
  }
  const tiers: CatalogTierData[] = [];
  let previous = 0;
  let valid = true;
  value.forEach((tier: unknown, index) => {
    const tierPath = `${path}[${index}]`;
    if (!isRecord(tier)) {
      issues.push(`${tierPath}: must be an object with aboveInputTokens and prices, got ${describe(tier)}`);
      valid = false;
      return;
    }
    checkKeys(tier, TIER_KEYS, `${tierPath}.`, issues);
    const above = tier['aboveInputTokens'];
    if (typeof above !== 'number' || !Number.isSafeInteger(above) || above <= previous) {
      issues.push(
        `${tierPath}.aboveInputTokens: must be a whole number of tokens above ${previous === 0 ? 'zero' : `the tier before it (${previous})`}, got ${describe(above)}`,
      );
      valid = false;
    } else previous = above;
    const prices = checkPriceFields(tier, tierPath, issues);
    if (prices === undefined || typeof above !== 'number') valid = false;
    else tiers.push({ aboveInputTokens: above, ...prices });
  });
  return valid ? tiers : undefined;
}

/** The prices of a period or a model, long-context tiers included. */
function checkPricesWithTiers(
  value: Record<string, unknown>,
  path: string,
  issues: string[],
): Omit<CatalogPeriodData, 'from'> | undefined {
  const prices = checkPriceFields(value, path, issues);
  if (value['tiers'] === undefined) return prices;
  const tiers = checkTiers(value['tiers'], `${path}.tiers`, issues);
  return prices === undefined || tiers === undefined ? undefined : { ...prices, tiers };
}

function checkPeriods(value: unknown, path: string, issues: string[]): CatalogPeriodData[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push(`${path}: must be a non-empty array of price periods, got ${describe(value)}`);
    return undefined;
  }
  const periods: CatalogPeriodData[] = [];
  let previousMs = Number.NEGATIVE_INFINITY;
  let valid = true;
  value.forEach((period: unknown, index) => {
    const periodPath = `${path}[${index}]`;
    if (!isRecord(period)) {
      issues.push(`${periodPath}: must be an object of prices, got ${describe(period)}`);
      valid = false;
      return;
    }
    checkKeys(period, PERIOD_KEYS, `${periodPath}.`, issues);
    const from = period['from'];
    let fromMs = Number.NEGATIVE_INFINITY;
    if (from === undefined) {
      if (index > 0) {
        issues.push(`${periodPath}.from: required after the first period, got nothing`);
        valid = false;
      }
    } else if (typeof from !== 'string' || Number.isNaN(parseFrom(from))) {
      issues.push(
        `${periodPath}.from: must be a date (YYYY-MM-DD) or an ISO 8601 timestamp, got ${describe(from)}`,
      );
      valid = false;
    } else {
      fromMs = parseFrom(from);
      if (fromMs <= previousMs) {
        issues.push(`${periodPath}.from: must be later than the period before it, got ${describe(from)}`);
        valid = false;
      }
      previousMs = fromMs;
    }
    const prices = checkPricesWithTiers(period, periodPath, issues);
    if (prices === undefined) valid = false;
    else periods.push(typeof from === 'string' ? { from, ...prices } : prices);
  });
  return valid ? periods : undefined;
}

function checkAliases(value: unknown, path: string, issues: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((alias) => typeof alias !== 'string' || alias.trim() === '')) {
    issues.push(`${path}: must be an array of non-empty names, got ${describe(value)}`);
    return undefined;
  }
  return [...new Set(value as string[])];
}

function checkModel(value: unknown, path: string, issues: string[]): CatalogModelData | undefined {
  if (!isRecord(value)) {
    issues.push(`${path}: must be an object with class and prices, got ${describe(value)}`);
    return undefined;
  }
  checkKeys(value, MODEL_KEYS, `${path}.`, issues);
  const model: CatalogModelData = {};
  const modelClass = value['class'];
  if (modelClass !== undefined) {
    if (MODEL_CLASSES.includes(modelClass as ModelClass)) model.class = modelClass as ModelClass;
    else
      issues.push(`${path}.class: must be one of ${MODEL_CLASSES.join(', ')}, got ${describe(modelClass)}`);
  }
  const factor = value['latencyFactor'];
  if (factor !== undefined) {
    if (typeof factor === 'number' && Number.isFinite(factor) && factor > 0) model.latencyFactor = factor;
    else issues.push(`${path}.latencyFactor: must be a positive number, got ${describe(factor)}`);
  }
  const aliases = checkAliases(value['aliases'], `${path}.aliases`, issues);
  if (aliases !== undefined) model.aliases = aliases;

  const forms = [
    value['prices'] !== undefined ? 'prices' : undefined,
    PRICE_KEYS.some((key) => value[key] !== undefined) || value['tiers'] !== undefined
      ? 'inputPerMtok/outputPerMtok'
      : undefined,
    value['input'] !== undefined || value['output'] !== undefined ? 'input/output' : undefined,
  ].filter((form) => form !== undefined);
  if (forms.length > 1) {
    issues.push(`${path}: give its prices one way, not ${forms.join(' and ')}`);
    return undefined;
  }
  if (forms[0] === 'prices') {
    const periods = checkPeriods(value['prices'], `${path}.prices`, issues);
    if (periods !== undefined) model.prices = periods;
  } else if (forms[0] === 'inputPerMtok/outputPerMtok') {
    const prices = checkPricesWithTiers(value, path, issues);
    if (prices !== undefined) model.prices = [prices];
  } else if (forms[0] === 'input/output') {
    const input = checkLegacyPrice(value['input'], `${path}.input`, issues);
    const output = checkLegacyPrice(value['output'], `${path}.output`, issues);
    if (input !== undefined && output !== undefined)
      model.prices = [{ inputPerMtok: input, outputPerMtok: output }];
  }
  return model;
}

function checkProvider(value: unknown, path: string, issues: string[]): CatalogProviderData | undefined {
  if (!isRecord(value)) {
    issues.push(`${path}: must be an object with share and models, got ${describe(value)}`);
    return undefined;
  }
  checkKeys(value, PROVIDER_KEYS, `${path}.`, issues);
  const provider: CatalogProviderData = { models: {} };
  const share = value['share'];
  if (share !== undefined) {
    if (typeof share === 'number' && Number.isFinite(share) && share >= 0 && share <= 1)
      provider.share = share;
    else issues.push(`${path}.share: must be a number from 0 to 1, got ${describe(share)}`);
  }
  const aliases = checkAliases(value['aliases'], `${path}.aliases`, issues);
  if (aliases !== undefined) provider.aliases = aliases;
  const models = value['models'];
  if (!isRecord(models) || Object.keys(models).length === 0) {
    issues.push(`${path}.models: must be a non-empty object of models by name, got ${describe(models)}`);
    return provider;
  }
  for (const [modelName, model] of Object.entries(models)) {
    const checked = checkModel(model, `${path}.models.${modelName}`, issues);
    if (checked !== undefined) provider.models[modelName] = checked;
  }
  return provider;
}

function checkPlans(value: unknown, key: string, issues: string[]): Record<string, number> {
  const plans: Record<string, number> = {};
  if (value === undefined) return plans;
  if (!isRecord(value)) {
    issues.push(`${key}: must be an object of monthly USD prices by plan name, got ${describe(value)}`);
    return plans;
  }
  for (const [plan, price] of Object.entries(value)) {
    if (plan.trim() === '') issues.push(`${key}: a plan name must not be empty`);
    else if (
      typeof price !== 'number' ||
      !Number.isFinite(price) ||
      price < 0 ||
      parseScaledDecimal(String(price), 6) < 0
    ) {
      issues.push(`${key}.${plan}: must be a non-negative number of USD a month, got ${describe(price)}`);
    } else plans[plan] = price;
  }
  return plans;
}

/** The checked parts of a catalog file, in the canonical form (prices as periods of exact decimals). */
export interface CheckedCatalog {
  extendsBuiltin: boolean;
  data: CatalogData;
}

/**
 * Checks catalog data and brings it to the canonical form; every problem is
 * added to `issues`, named by its JSON path.
 */
export function checkCatalog(value: unknown, issues: string[]): CheckedCatalog | undefined {
  if (!isRecord(value)) {
    issues.push(`the catalog must be a JSON object, got ${describe(value)}`);
    return undefined;
  }
  checkKeys(value, TOP_KEYS, '', issues);
  const extendsBuiltin = value['extends'] !== undefined;
  if (extendsBuiltin && value['extends'] !== 'builtin') {
    issues.push(
      `extends: the only catalog that can be extended is "builtin", got ${describe(value['extends'])}`,
    );
  }
  const data: CatalogData = { providers: {} };
  for (const key of ['$schema', 'description', 'source'] as const) {
    const text = value[key];
    if (text === undefined) continue;
    if (typeof text === 'string') data[key] = text;
    else issues.push(`${key}: must be a string, got ${describe(text)}`);
  }
  const providers = value['providers'];
  if (!isRecord(providers)) {
    issues.push(`providers: must be an object of providers by name, got ${describe(providers)}`);
  } else {
    for (const [providerName, provider] of Object.entries(providers)) {
      const checked = checkProvider(provider, `providers.${providerName}`, issues);
      if (checked !== undefined) data.providers[providerName] = checked;
    }
  }
  const plans = {
    ...checkPlans(value['tiers'], 'tiers', issues),
    ...checkPlans(value['plans'], 'plans', issues),
  };
  if (Object.keys(plans).length > 0) data.plans = plans;
  return { extendsBuiltin, data };
}

/**
 * Names and aliases of a provider's models → the model's name: exact, then
 * lower-cased. The first model to claim a lower-cased spelling keeps it.
 */
export function modelIndexOf(models: Record<string, CatalogModelData>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, model] of Object.entries(models)) {
    for (const alias of [name, ...(model.aliases ?? [])]) if (!index.has(alias)) index.set(alias, name);
  }
  for (const [name, model] of Object.entries(models)) {
    for (const alias of [name, ...(model.aliases ?? [])]) {
      const lower = alias.toLowerCase();
      if (!index.has(lower)) index.set(lower, name);
    }
  }
  return index;
}

/** The name of the model that `model` names in an index, trying its other forms after the exact one. */
export function findModel(index: ReadonlyMap<string, string>, model: string): string | undefined {
  const exact = index.get(model);
  if (exact !== undefined) return exact;
  for (const candidate of modelNameCandidates(model)) {
    const found = index.get(candidate);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The name of the provider of `providers` that `name` stands for: its own name, an alias, or the same canonical id. */
export function findProvider(
  providers: Record<string, CatalogProviderData>,
  name: string,
): string | undefined {
  if (providers[name] !== undefined) return name;
  const canonical = canonicalProvider(name);
  for (const [providerName, provider] of Object.entries(providers)) {
    if (provider.aliases?.includes(name)) return providerName;
  }
  for (const providerName of Object.keys(providers)) {
    if (canonicalProvider(providerName) === canonical) return providerName;
  }
  return undefined;
}

/**
 * Lays a checked catalog over a base one: a provider of the overlay merges
 * into the base provider it names (by name, alias or canonical id), and a
 * model into the base model it names (by name, alias or another form of its
 * id), taking every field the overlay gives. Plans merge by name.
 */
export function overlayCatalog(base: CatalogData, overlay: CatalogData): CatalogData {
  const providers: Record<string, CatalogProviderData> = {};
  for (const [name, provider] of Object.entries(base.providers))
    providers[name] = { ...provider, models: { ...provider.models } };
  for (const [name, provider] of Object.entries(overlay.providers)) {
    const target = findProvider(providers, name);
    const existing = target === undefined ? undefined : providers[target];
    if (target === undefined || existing === undefined) {
      providers[name] = { ...provider, models: { ...provider.models } };
      continue;
    }
    const index = modelIndexOf(existing.models);
    const models = { ...existing.models };
    for (const [modelName, model] of Object.entries(provider.models)) {
      const baseName = findModel(index, modelName);
      const baseModel = baseName === undefined ? undefined : models[baseName];
      if (baseName === undefined || baseModel === undefined) models[modelName] = model;
      else models[baseName] = mergeModel(baseModel, model, modelName === baseName ? undefined : modelName);
    }
    const aliases = [...(existing.aliases ?? []), ...(provider.aliases ?? [])];
    if (target !== name) aliases.push(target);
    const merged: CatalogProviderData = {
      ...existing,
      ...(provider.share === undefined ? {} : { share: provider.share }),
      ...(aliases.length > 0 ? { aliases: [...new Set(aliases)].filter((alias) => alias !== name) } : {}),
      models,
    };
    // The overlay's spelling of the provider becomes its name, the base name an alias.
    renameProvider(providers, target, name, merged);
  }
  const plans = { ...base.plans, ...overlay.plans };
  const merged: CatalogData = { providers, plans };
  const source = overlay.source ?? base.source;
  if (source !== undefined) merged.source = source;
  return merged;
}

function renameProvider(
  providers: Record<string, CatalogProviderData>,
  from: string,
  to: string,
  provider: CatalogProviderData,
): void {
  const entries = Object.entries(providers).map(([name, value]): [string, CatalogProviderData] =>
    name === from ? [to, provider] : [name, value],
  );
  for (const name of Object.keys(providers)) delete providers[name];
  for (const [name, value] of entries) providers[name] = value;
}

function mergeModel(base: CatalogModelData, overlay: CatalogModelData, nameUsed?: string): CatalogModelData {
  const aliases = [...(base.aliases ?? []), ...(overlay.aliases ?? [])];
  if (nameUsed !== undefined) aliases.push(nameUsed);
  const merged: CatalogModelData = { ...base, ...overlay };
  if (aliases.length > 0) merged.aliases = [...new Set(aliases)];
  return merged;
}

/** Problems a whole catalog can have once merged: a model without a class or prices, an alias two models claim. */
export function checkComplete(data: CatalogData, issues: string[]): void {
  if (Object.keys(data.providers).length === 0) issues.push('providers: at least one provider is needed');
  for (const [providerName, provider] of Object.entries(data.providers)) {
    const owner = new Map<string, string>();
    for (const name of Object.keys(provider.models)) owner.set(name, name);
    for (const [modelName, model] of Object.entries(provider.models)) {
      const path = `providers.${providerName}.models.${modelName}`;
      if (model.class === undefined) issues.push(`${path}.class: required, got nothing`);
      if (model.prices === undefined && issues.every((issue) => !issue.startsWith(`${path}.`)))
        issues.push(`${path}.prices: required (prices, or inputPerMtok and outputPerMtok), got nothing`);
      for (const alias of model.aliases ?? []) {
        const other = owner.get(alias);
        if (other !== undefined && other !== modelName)
          issues.push(`${path}.aliases: ${describe(alias)} already names the model ${describe(other)}`);
        else owner.set(alias, modelName);
      }
    }
  }
}

/** Plan prices in micro-dollars: the defaults under the catalog's own. */
export function planMicrosOf(data: CatalogData): Map<string, number> {
  const plans = new Map<string, number>();
  for (const [plan, usd] of Object.entries({ ...DEFAULT_PLAN_PRICES, ...data.tiers, ...data.plans }))
    plans.set(plan, parseScaledDecimal(String(usd), 6));
  return plans;
}
