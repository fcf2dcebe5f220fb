/** Price class of a model; drives model-switch recommendations and the simulator. */
export type ModelClass = 'premium' | 'standard' | 'budget';
/** Classes from most to least expensive. */
export const MODEL_CLASSES: readonly ModelClass[] = ['premium', 'standard', 'budget'];

/**
 * A price in USD per million tokens, as an exact decimal: a string such as
 * `"0.075"` (preferred) or a JSON number; at most six decimal places.
 */
export type DecimalPrice = string | number;

/** The prices of one kind of token each, in USD per million tokens. */
export interface CatalogPriceData {
  /** Uncached input tokens. */
  inputPerMtok: DecimalPrice;
  /** Output tokens, reasoning included unless `reasoningPerMtok` is given. */
  outputPerMtok: DecimalPrice;
  /** Input tokens read from the provider's prompt cache; the input price when absent. */
  cacheReadPerMtok?: DecimalPrice;
  /** Input tokens written to the provider's prompt cache; the input price when absent. */
  cacheWritePerMtok?: DecimalPrice;
  /** Reasoning tokens, for a model that prices them apart from other output. */
  reasoningPerMtok?: DecimalPrice;
}

/**
 * Prices for calls whose input exceeds a number of tokens (long-context
 * pricing): every token of such a call is priced at the tier's prices.
 */
export interface CatalogTierData extends CatalogPriceData {
  /** The tier applies to a call with more input tokens than this (cache reads and writes included). */
  aboveInputTokens: number;
}

/** Prices in force from a date (UTC) until the next period's date. */
export interface CatalogPeriodData extends CatalogPriceData {
  /** `YYYY-MM-DD` or an ISO 8601 timestamp; only the first period may omit it (in force since ever). */
  from?: string;
  /** Long-context tiers, by increasing threshold. */
  tiers?: CatalogTierData[];
}

/**
 * One model's entry in a catalog file. Its prices take one of three forms:
 * `prices` (periods with effective dates), the price keys of
 * {@link CatalogPriceData} on the entry itself (one price for all time), or
 * the first file format's `input` and `output` in USD per 1,000 tokens.
 */
export interface CatalogModelData extends Partial<CatalogPriceData> {
  class?: ModelClass;
  /** Relative response time the simulator gives the model (1 = typical); 1 when absent. */
  latencyFactor?: number;
  /** Other ids of the same model: dated releases, other spellings. */
  aliases?: string[];
  prices?: CatalogPeriodData[];
  /** @deprecated First file format: USD per 1,000 input tokens. */
  input?: number;
  /** @deprecated First file format: USD per 1,000 output tokens. */
  output?: number;
}

/** One provider's entry in a catalog file. */
export interface CatalogProviderData {
  /** Share of calls the simulator gives the provider (0–1; normalised over providers); 0 when absent. */
  share?: number;
  /** Other names of the provider, besides the common spellings every catalog knows. */
  aliases?: string[];
  models: Record<string, CatalogModelData>;
}

/**
 * The JSON form of a price catalog. With `"extends": "builtin"` the file
 * starts from the built-in catalog: the providers, models and plans it names
 * replace or add to the built-in ones.
 */
export interface CatalogData {
  $schema?: string;
  description?: string;
  /** Where the prices come from (e.g. the price data package and version). */
  source?: string;
  extends?: 'builtin';
  providers: Record<string, CatalogProviderData>;
  /** Monthly subscription price in USD of each plan (the same as `plans`). */
  tiers?: Record<string, number>;
  /** Monthly subscription price in USD of each plan. */
  plans?: Record<string, number>;
}
