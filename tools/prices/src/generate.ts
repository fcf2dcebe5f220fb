import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type CatalogData,
  type CatalogModelData,
  type CatalogPeriodData,
  type CatalogPriceData,
  type CatalogTierData,
  modelNameCandidates,
} from '@finops/schema';
import type { ConditionalPrice, MatchLogic, ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices';
import { SELECTION, type SelectedModel, type SelectedProvider } from './selection';

/** The package the prices come from. */
export const PRICE_PACKAGE = '@pydantic/genai-prices';

/** Where the generated catalog goes, from the workspace root. */
export const OUTPUT_PATH = 'packages/schema/src/builtin-catalog.ts';

/** The price data of the installed price package. */
export interface PriceSource {
  version: string;
  /** The provider with this id in the price data, or `undefined`. */
  provider(id: string): Provider | undefined;
}

/** Reads the price data bundled in the installed price package (no network). */
export function installedPriceSource(root: string): PriceSource {
  const require = createRequire(join(root, 'tools/prices/package.json'));
  const entry = require.resolve(PRICE_PACKAGE);
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const prices = require(PRICE_PACKAGE) as typeof import('@pydantic/genai-prices');
  return {
    version: manifest.version,
    provider: (id) => {
      const found = prices.findProvider({ providerId: id });
      return found?.id === id ? found : undefined;
    },
  };
}

const PRICE_KEYS: [source: string, target: keyof CatalogPriceData][] = [
  ['input_mtok', 'inputPerMtok'],
  ['cache_read_mtok', 'cacheReadPerMtok'],
  ['cache_write_mtok', 'cacheWritePerMtok'],
  ['output_mtok', 'outputPerMtok'],
  ['output_reasoning_mtok', 'reasoningPerMtok'],
];

function decimalText(number: number, where: string): string {
  const text = String(number);
  if (!/^\d+(?:\.\d{1,6})?$/.test(text))
    throw new Error(`${where}: ${text} is not a decimal with at most 6 places`);
  return text;
}

/**
 * A price of the data as an exact decimal string, for a call with more input
 * tokens than `aboveInputTokens` (0: the base price). A tiered price applies a
 * tier to a call whose input exceeds the tier's start.
 */
function decimalOf(value: ModelPrice[string], aboveInputTokens: number, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return decimalText(value, where);
  let price = value.base;
  for (const tier of value.tiers) if (aboveInputTokens >= tier.start) price = tier.price;
  return decimalText(price, where);
}

function pricesAt(prices: ModelPrice, aboveInputTokens: number, where: string): CatalogPriceData {
  const result: Partial<Record<keyof CatalogPriceData, string>> = {};
  for (const [source, target] of PRICE_KEYS) {
    const decimal = decimalOf(prices[source], aboveInputTokens, `${where}.${source}`);
    if (decimal !== undefined) result[target] = decimal;
  }
  if (result.inputPerMtok === undefined || result.outputPerMtok === undefined)
    throw new Error(`${where}: the price data gives no input and output price per million tokens`);
  return result as CatalogPriceData;
}

/** The input thresholds of a price's long-context tiers, in increasing order. */
function thresholdsOf(prices: ModelPrice): number[] {
  const starts = new Set<number>();
  for (const [source] of PRICE_KEYS) {
    const value = prices[source];
    if (value !== undefined && typeof value !== 'number')
      for (const tier of value.tiers) starts.add(tier.start);
  }
  return [...starts].sort((a, b) => a - b);
}

function periodOf(prices: ModelPrice, from: string | undefined, where: string): CatalogPeriodData {
  const period: CatalogPeriodData = {
    ...(from === undefined ? {} : { from }),
    ...pricesAt(prices, 0, where),
  };
  const tiers: CatalogTierData[] = thresholdsOf(prices).map((start) => ({
    aboveInputTokens: start,
    ...pricesAt(prices, start, where),
  }));
  if (tiers.length > 0) period.tiers = tiers;
  return period;
}

function samePrices(a: CatalogPeriodData, b: CatalogPeriodData): boolean {
  const { from: _a, ...pricesA } = a;
  const { from: _b, ...pricesB } = b;
  return JSON.stringify(pricesA) === JSON.stringify(pricesB);
}

/** The model's price periods, oldest first; a change only to prices the catalog does not keep is no new period. */
export function periodsOf(model: ModelInfo, where: string): CatalogPeriodData[] {
  if (!Array.isArray(model.prices)) return [periodOf(model.prices, undefined, where)];
  const periods: CatalogPeriodData[] = [];
  (model.prices as ConditionalPrice[]).forEach((conditional, index) => {
    const constraint = conditional.constraint;
    if (constraint !== undefined && constraint.type !== 'start_date')
      throw new Error(
        `${where}.prices[${index}]: a ${constraint.type} constraint has no place in the catalog`,
      );
    if ((constraint === undefined) !== (index === 0))
      throw new Error(`${where}.prices[${index}]: only the first price may have no start date`);
    const period = periodOf(conditional.prices, constraint?.start_date, `${where}.prices[${index}]`);
    const previous = periods[periods.length - 1];
    if (previous === undefined || !samePrices(previous, period)) periods.push(period);
  });
  return periods;
}

/** The ids a match rule names exactly or as the start of an id. */
export function matchedIds(match: MatchLogic): string[] {
  if ('or' in match) return match.or.flatMap(matchedIds);
  if ('equals' in match) return [match.equals];
  if ('starts_with' in match) return [match.starts_with];
  if ('contains' in match) return [match.contains];
  return [];
}

function usableAlias(alias: string, name: string): boolean {
  return (
    alias !== name &&
    !alias.startsWith('ft:') &&
    !/[-@.:_]$/.test(alias) &&
    !/-20\d\d$/.test(alias) &&
    alias === alias.trim()
  );
}

function findIn(index: ReadonlyMap<string, string>, model: string): string | undefined {
  return (
    index.get(model) ??
    modelNameCandidates(model).reduce<string | undefined>(
      (found, candidate) => found ?? index.get(candidate),
      undefined,
    )
  );
}

/**
 * Aliases of each model of a provider: those no other model claims, without
 * the ones its name and other aliases already resolve (a dated or regional
 * form of an id the catalog lists).
 */
export function providerAliases(candidates: Map<string, string[]>): Map<string, string[]> {
  const claims = new Map<string, Set<string>>();
  for (const [name, aliases] of candidates) {
    for (const alias of [name, ...aliases]) {
      const owners = claims.get(alias) ?? new Set<string>();
      owners.add(name);
      claims.set(alias, owners);
    }
  }
  const kept = new Map<string, string[]>();
  for (const [name, aliases] of candidates)
    kept.set(
      name,
      [...new Set(aliases)].filter((alias) => claims.get(alias)?.size === 1 && !candidates.has(alias)).sort(),
    );
  // Drop, longest first, each alias that still resolves to its model without it.
  const all = [...kept].flatMap(([name, aliases]) => aliases.map((alias) => [name, alias] as const));
  all.sort(([, a], [, b]) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, alias] of all) {
    const index = new Map<string, string>();
    for (const [model, aliases] of kept) {
      index.set(model, model);
      for (const other of aliases) if (other !== alias) index.set(other, model);
    }
    if (findIn(index, alias) === name)
      kept.set(
        name,
        (kept.get(name) ?? []).filter((other) => other !== alias),
      );
  }
  return kept;
}

function modelInfoOf(source: PriceSource, selected: SelectedModel): ModelInfo {
  const provider = source.provider(selected.from);
  const model = provider?.models.find((candidate) => candidate.id === selected.id);
  if (model === undefined)
    throw new Error(`${selected.from}/${selected.id} is not in ${PRICE_PACKAGE} ${source.version}`);
  return model;
}

function providerData(source: PriceSource, selected: SelectedProvider): CatalogData['providers'][string] {
  const candidates = new Map<string, string[]>();
  const models: Record<string, CatalogModelData> = {};
  for (const model of selected.models) {
    if (models[model.name] !== undefined) throw new Error(`${selected.name}/${model.name} is selected twice`);
    const info = modelInfoOf(source, model);
    const where = `${selected.name}/${model.name} (${model.from}/${model.id})`;
    const ids = [info.id.replace(/^regional\./, ''), ...matchedIds(info.match), ...(model.aliases ?? [])];
    candidates.set(
      model.name,
      ids.filter((alias) => usableAlias(alias, model.name)),
    );
    models[model.name] = {
      class: model.class,
      latencyFactor: model.latencyFactor,
      prices: periodsOf(info, where),
    };
  }
  for (const [name, aliases] of providerAliases(candidates)) {
    const model = models[name] as CatalogModelData;
    models[name] = {
      class: model.class,
      latencyFactor: model.latencyFactor,
      ...(aliases.length > 0 ? { aliases } : {}),
      prices: model.prices ?? [],
    };
  }
  return { share: selected.share, models };
}

/** The built-in catalog's data from the price data and the hand-kept selection. */
export function buildCatalogData(
  source: PriceSource,
  selection: SelectedProvider[] = SELECTION,
): CatalogData {
  const providers: CatalogData['providers'] = {};
  for (const provider of selection) providers[provider.name] = providerData(source, provider);
  return {
    source: `${PRICE_PACKAGE} ${source.version}`,
    providers,
    plans: { starter: 29, pro: 99, enterprise: 299 },
  };
}

/** The generated module's text, formatted with the workspace's Prettier settings. */
export async function catalogModuleText(
  source: PriceSource,
  options: { date: string; root: string },
): Promise<string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date))
    throw new Error(`the date must be YYYY-MM-DD, got ${JSON.stringify(options.date)}`);
  const data = buildCatalogData(source);
  const text = `/**
 * The built-in price catalog, generated on ${options.date} by tools/prices
 * from the price data bundled in ${PRICE_PACKAGE} ${source.version} (MIT).
 * Do not edit: change tools/prices/src/selection.ts and run
 * \`npm run generate -w tools/prices\`.
 */
import type { CatalogData } from './catalog/types';

/** Where the built-in prices come from, and when they were taken. */
export const BUILTIN_CATALOG_SOURCE = ${JSON.stringify({ package: PRICE_PACKAGE, version: source.version, generated: options.date })} as const;

/**
 * The built-in price catalog: USD per million tokens of each kind, with the
 * dates prices changed; classes, shares and latency factors are hand-kept.
 */
export const BUILTIN_CATALOG: CatalogData = ${JSON.stringify(data)};
`;
  const path = join(options.root, OUTPUT_PATH);
  // Loaded here: Prettier's entry imports ES modules, which a CommonJS test run cannot.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(text, { ...config, filepath: path });
}

/** The generation date written in a generated module's header, if any. */
export function generatedDateOf(text: string): string | undefined {
  return /generated on (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
}
