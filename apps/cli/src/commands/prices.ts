import { parseArgs } from 'node:util';
import {
  BUILTIN_CATALOG_SOURCE,
  defaultCatalog,
  formatUtcDay,
  loadCatalog,
  type ModelPrice,
  parseTimestamp,
  type PriceCatalog,
  type TokenPrices,
  utcDayNumber,
} from '@finops/schema';
import { EXIT, UsageError } from '../errors';
import type { Output } from '../output';

/** Help text of `finops prices`. */
export const PRICES_HELP = `Usage: finops prices [options]

Prints the price catalog in use: each provider and model with its aliases,
class and price per million tokens of each kind of token (input, cache read,
cache write, output, reasoning), and the dates each price was in force. A
cost the analyses compute from the catalog rests on these figures.

Options:
  --catalog <file>      a price catalog JSON instead of the built-in one
  --provider <name>     only this provider (any spelling: azure, bedrock, …)
  --at <time>           only the prices in force at a day (YYYY-MM-DD, UTC) or an ISO 8601 time
  --json                print the catalog as JSON
  -h, --help            show this help

Examples:
  finops prices
  finops prices --provider anthropic
  finops prices --at 2025-06-01 --provider openai
  finops prices --catalog rates.json --json > prices.json`;

/** One price period as \`finops prices --json\` gives it: decimals in USD per million tokens, \`null\` = not priced apart. */
export interface PricePeriodListing {
  from: string | null;
  until: string | null;
  inputPerMtok: string;
  cacheReadPerMtok: string | null;
  cacheWritePerMtok: string | null;
  outputPerMtok: string;
  reasoningPerMtok: string | null;
  /** Long-context prices: every token of a call with more input tokens than \`aboveInputTokens\`. */
  tiers: (Omit<PricePeriodListing, 'from' | 'until' | 'tiers'> & { aboveInputTokens: number })[];
}

/** The catalog as \`finops prices --json\` gives it. */
export interface PriceListing {
  catalog: string;
  source: string | null;
  providers: {
    name: string;
    share: number;
    aliases: string[];
    models: {
      model: string;
      aliases: string[];
      class: string;
      latencyFactor: number;
      prices: PricePeriodListing[];
    }[];
  }[];
  /** Monthly plan prices in USD. */
  plans: Record<string, number>;
}

function dayOf(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : formatUtcDay(utcDayNumber(epochMs));
}

function timeOf(epochMs: number | undefined): string | null {
  if (epochMs === undefined) return null;
  return epochMs % 86_400_000 === 0 ? dayOf(epochMs) : new Date(epochMs).toISOString();
}

function pricesOf(prices: TokenPrices): Omit<PricePeriodListing, 'from' | 'until' | 'tiers'> {
  return {
    inputPerMtok: prices.perMtok.input,
    cacheReadPerMtok: prices.perMtok.cacheRead ?? null,
    cacheWritePerMtok: prices.perMtok.cacheWrite ?? null,
    outputPerMtok: prices.perMtok.output,
    reasoningPerMtok: prices.perMtok.reasoning ?? null,
  };
}

function periodListing(price: ModelPrice): PricePeriodListing {
  return {
    from: timeOf(price.effectiveFromMs),
    until: timeOf(price.effectiveUntilMs),
    ...pricesOf(price),
    tiers: price.tiers.map((tier) => ({ aboveInputTokens: tier.aboveInputTokens, ...pricesOf(tier) })),
  };
}

/** What to list: one provider (the catalog's name of it), only the prices in force at a time. */
export interface ListingFilter {
  provider?: string;
  atMs?: number;
}

function periodsOf(
  catalog: PriceCatalog,
  provider: string,
  model: string,
  atMs: number | undefined,
): ModelPrice[] {
  if (atMs === undefined) return [...catalog.history(provider, model)];
  const price = catalog.resolve(provider, model, atMs);
  return price === undefined ? [] : [price];
}

/** The listing of a catalog, or of what a filter keeps of it. */
export function priceListing(catalog: PriceCatalog, name: string, filter: ListingFilter = {}): PriceListing {
  const { provider, atMs } = filter;
  const providers = catalog.providers.filter((entry) => provider === undefined || entry.name === provider);
  return {
    catalog: name,
    source: catalog.data.source ?? null,
    providers: providers.map((entry) => ({
      name: entry.name,
      share: entry.share,
      aliases: [...entry.aliases],
      models: entry.models
        .map((price) => ({
          model: price.model,
          aliases: [...price.aliases],
          class: price.class,
          latencyFactor: price.latencyFactor,
          prices: periodsOf(catalog, entry.name, price.model, atMs).map(periodListing),
        }))
        .filter((model) => model.prices.length > 0),
    })),
    plans: Object.fromEntries(
      Object.entries(catalog.tierPrices()).map(([plan, micros]) => [plan, micros / 1e6]),
    ),
  };
}

function inForce(period: PricePeriodListing): string {
  if (period.from === null && period.until === null) return 'always';
  if (period.from === null) return `until ${period.until}`;
  if (period.until === null) return `from ${period.from}`;
  return `${period.from} to ${period.until}`;
}

function table(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** The listing as text: one table per provider, a row per model and price period. */
export function formatPriceListing(listing: PriceListing, output: Output): string {
  const lines = [
    `Price catalog: ${listing.catalog}${listing.source === null ? '' : ` (prices from ${listing.source})`}`,
    'USD per million tokens. "-": cache reads and writes at the input price, reasoning at the output price.',
    '"input > N": the prices of a call with more than N input tokens (long context), for all its tokens.',
  ];
  for (const provider of listing.providers) {
    const also = provider.aliases.length > 0 ? `; also ${provider.aliases.join(', ')}` : '';
    lines.push(
      '',
      output.color.bold(`${provider.name} (${Math.round(provider.share * 100)} % of simulated calls${also})`),
    );
    const rows = [
      ['model', 'class', 'input', 'cache read', 'cache write', 'output', 'reasoning', 'in force'],
    ];
    const aliasLines = new Map<number, string>();
    for (const model of provider.models) {
      model.prices.forEach((period, index) => {
        const cells = (prices: Omit<PricePeriodListing, 'from' | 'until' | 'tiers'>): string[] => [
          prices.inputPerMtok,
          prices.cacheReadPerMtok ?? '-',
          prices.cacheWritePerMtok ?? '-',
          prices.outputPerMtok,
          prices.reasoningPerMtok ?? '-',
        ];
        rows.push([
          index === 0 ? model.model : '',
          index === 0 ? model.class : '',
          ...cells(period),
          inForce(period),
        ]);
        for (const tier of period.tiers)
          rows.push([
            '',
            '',
            ...cells(tier),
            `${inForce(period)}, input > ${tier.aboveInputTokens.toLocaleString('en-US')}`,
          ]);
      });
      if (model.aliases.length > 0)
        aliasLines.set(rows.length - 1, `      aliases: ${model.aliases.join(', ')}`);
    }
    table(rows).forEach((line, index) => {
      lines.push(`  ${index === 0 ? output.color.dim(line) : line}`);
      const aliases = aliasLines.get(index);
      if (aliases !== undefined) lines.push(output.color.dim(aliases));
    });
  }
  const plans = Object.entries(listing.plans).map(([plan, usd]) => `${plan} $${usd}`);
  lines.push('', `Plans (a month): ${plans.join(', ')}`);
  return lines.join('\n');
}

/** `finops prices`. */
export async function pricesCommand(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      catalog: { type: 'string' },
      provider: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    output.out(PRICES_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0)
    throw new UsageError(`prices takes no file argument, got "${positionals[0]}" (see --help)`);
  const catalog = values.catalog ? await loadCatalog(values.catalog) : defaultCatalog();
  const name = values.catalog ? values.catalog : `built-in, generated ${BUILTIN_CATALOG_SOURCE.generated}`;
  let provider: string | undefined;
  if (values.provider !== undefined) {
    provider = catalog.providerName(values.provider);
    if (provider === undefined)
      throw new UsageError(
        `no provider "${values.provider}" in the catalog; it has ${catalog.providers.map((entry) => entry.name).join(', ')}`,
      );
  }
  let atMs: number | undefined;
  if (values.at !== undefined) {
    atMs = parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(values.at) ? `${values.at}T00:00:00` : values.at);
    if (Number.isNaN(atMs))
      throw new UsageError(`--at must be a day (YYYY-MM-DD) or an ISO 8601 time, got "${values.at}"`);
  }
  const listing = priceListing(
    catalog,
    atMs === undefined ? name : `${name}, prices in force at ${values.at}`,
    {
      provider,
      atMs,
    },
  );
  output.out(values.json ? JSON.stringify(listing, null, 2) : formatPriceListing(listing, output));
  return EXIT.ok;
}
